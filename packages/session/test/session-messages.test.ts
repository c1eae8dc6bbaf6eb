import { describe, expect, it } from 'vitest';
import type { SessionOptions } from '../src/options.js';
import type { SessionCloseInfo } from '../src/session-events.js';
import { FakeTransport } from './helpers/fake-transport.js';
import { harness } from './helpers/session-harness.js';

/**
 * Issue 13: every refusal says what was wrong and what is allowed, in words a reader of a log
 * understands without the source ('url: string' and 'aborted' did not).
 */
const error = (code: string, message: string | RegExp) =>
  expect.objectContaining({ name: 'SessionError', code, message: typeof message === 'string' ? message : expect.stringMatching(message) });

/** The error the first attempt failed with (the classifier stops on bad input: it is the close's cause). */
async function firstAttemptError(options: Partial<SessionOptions>, transport?: FakeTransport): Promise<unknown> {
  const { session } = await harness({ reconnect: false, ...options }, transport);
  const info: SessionCloseInfo = await session.closed;
  return info.error?.cause;
}

describe('Session error messages', () => {
  it('send() after close(): ERR_SESSION_CLOSED naming the state', async () => {
    const { session } = await harness();
    void session.close();
    expect(() => session.send('x')).toThrow(error('ERR_SESSION_CLOSED', 'cannot send: the session is closed'));
  });

  it('send() of bytes on a text-only transport: ERR_BINARY_UNSUPPORTED naming the transport', async () => {
    const { session } = await harness({}, new FakeTransport({ binary: false }, 'sockjs'));
    expect(() => session.send(new Uint8Array(1))).toThrow(
      error('ERR_BINARY_UNSUPPORTED', 'cannot send binary data: the sockjs transport sends text only'),
    );
  });

  it('send() of something that is not data: ERR_INVALID_DATA saying what it got', async () => {
    const { session } = await harness();
    expect(() => session.send(42 as unknown as string)).toThrow(
      error('ERR_INVALID_DATA', 'send() data must be a string, ArrayBuffer or ArrayBufferView; got 42'),
    );
  });

  it.each([
    [1001, '', 'got 1001, ""'],
    [3000.5, 'x', 'got 3000.5, "x"'],
    [1000, 'é'.repeat(62), `got 1000, "${'é'.repeat(40)}"… (62 characters)`],
    [1000, 7, 'got 1000, 7'],
  ])('close(%j, %j): ERR_INVALID_CLOSE_CODE_ARG, %s', async (code, reason, got) => {
    const { session } = await harness();
    expect(() => session.close(code, reason as string)).toThrow(
      error('ERR_INVALID_CLOSE_CODE_ARG', `close() code must be 1000 or 3000–4999, reason a string ≤ 123 UTF-8 bytes; ${got}`),
    );
    expect(session.state).toBe('connecting');
  });

  it('a url function that returns no string: ERR_INVALID_OPTION saying what it returned', async () => {
    expect(await firstAttemptError({ url: () => 42 as unknown as string })).toEqual(
      error('ERR_INVALID_OPTION', 'url() must return a string; got 42'),
    );
  });

  it('a headers function that returns no object: ERR_INVALID_OPTION saying what it returned, never the value (it may be a credential)', async () => {
    expect(await firstAttemptError({ headers: () => null as unknown as Record<string, string> })).toEqual(
      error('ERR_INVALID_OPTION', 'headers() must return an object; got null'),
    );
    expect(await firstAttemptError({ headers: () => 'Bearer secret' as unknown as Record<string, string> })).toEqual(
      error('ERR_INVALID_OPTION', 'headers() must return an object; got string'),
    );
  });

  it('a url, protocols or headers function that throws: ERR_RESOLVE naming which one, with its error as cause', async () => {
    const failure = new Error('token service down');
    const thrown = await firstAttemptError({
      protocols: () => {
        throw failure;
      },
    });
    expect(thrown).toEqual(error('ERR_RESOLVE', 'protocols() failed'));
    expect((thrown as Error).cause).toBe(failure);
  });

  it('subprotocols on a transport that cannot negotiate them: ERR_SUBPROTOCOL_UNSUPPORTED naming the transport and the policy', async () => {
    const transport = new FakeTransport({ subprotocolNegotiation: false }, 'sockjs');
    expect(await firstAttemptError({ protocols: ['chat'] }, transport)).toEqual(
      error('ERR_SUBPROTOCOL_UNSUPPORTED', "the sockjs transport cannot negotiate subprotocols (subprotocolFallback: 'refuse')"),
    );
  });

  it('an aborted signal: ERR_ABORTED naming options.signal, with its reason as cause', async () => {
    const controller = new AbortController();
    const { session } = await harness({ signal: controller.signal });
    controller.abort('user left');
    const info = await session.closed;
    expect(info.error).toEqual(error('ERR_ABORTED', 'the session was aborted by options.signal'));
    expect(info.error?.cause).toBe('user left');
  });
});
