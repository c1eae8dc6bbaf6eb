import { describe, expect, it } from 'vitest';
import { SessionError } from '../src/session-error.js';
import { lost, refused, settle } from './helpers/fake-transport.js';
import { harness } from './helpers/session-harness.js';

/** An error as transports report them: an Error with a stable `code`. */
function coded(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** Runs a for-await loop like the README's; resolves with what it read and how it ended. */
function loop(session: AsyncIterable<unknown>): Promise<{ read: unknown[]; error?: unknown }> {
  const read: unknown[] = [];
  return (async () => {
    try {
      for await (const message of session) read.push(message);
      return { read };
    } catch (error) {
      return { read, error };
    }
  })();
}

// Issue 11 #2: a 404 ended the loop as if all was well, and the message said "stopped: close 1006".
describe('how a session ends reaches the code that waits', () => {
  it('a for-await loop throws when the session gives up (404), after the messages read before, naming the status and URL', async () => {
    const { transport, clock, session } = await harness({ url: 'ws://127.0.0.1:1234/x' });
    transport.last.open();
    const result = loop(session);
    transport.last.receive('a');
    transport.last.end(lost);
    clock.advance(1000);
    await settle();
    expect(transport.connections).toHaveLength(2);
    const cause = coded('ERR_HANDSHAKE_STATUS', 'Unexpected server response: 404 Not Found');
    transport.last.end({ ...refused, status: 404, statusText: 'Not Found', error: cause });
    await settle();
    const { read, error } = await result;
    expect(read).toEqual(['a']);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe('ERR_RECONNECT_STOPPED');
    expect((error as SessionError).message).toBe('gave up after HTTP 404 Not Found from ws://127.0.0.1:1234/x');
    expect((error as SessionError).cause).toBe(cause);
    expect((await session.closed).error).toBe(error);
  });

  it('names the close code in words when there is neither status nor error, and leaves URL credentials out', async () => {
    const { transport, session } = await harness({ url: 'ws://user:secret@example.test/feed' });
    transport.last.open();
    transport.last.end({ code: 4001, reason: 'banned', wasClean: true, beforeOpen: false });
    const error = (await session.closed).error;
    expect(error?.message).toBe('gave up after close 4001 ("banned") from ws://example.test/feed');
  });

  it('ERR_MAX_ATTEMPTS names the attempts and the last failure; a loop started after the end throws it too', async () => {
    const { transport, clock, session } = await harness({ reconnect: { maxAttempts: 1, initialDelay: 10 } });
    transport.last.end({ ...refused, error: coded('ERR_CONNECT', 'connect ECONNREFUSED 127.0.0.1:9') });
    clock.advance(100);
    await settle();
    transport.last.end({ ...refused, error: coded('ERR_CONNECT', 'connect ECONNREFUSED 127.0.0.1:9') });
    const error = (await session.closed).error;
    expect(error?.code).toBe('ERR_MAX_ATTEMPTS');
    expect(error?.message).toBe('gave up after 2 failed attempts, the last: connect ECONNREFUSED 127.0.0.1:9 from ws://example.test/');
    expect((await loop(session)).error).toBe(error);
  });

  it('ERR_CREDENTIALS says what was refused and what is missing', async () => {
    const { transport, session } = await harness();
    transport.last.end({ ...refused, status: 403, statusText: 'Forbidden' });
    expect((await session.closed).error?.message).toBe(
      'gave up after HTTP 403 Forbidden from ws://example.test/: credentials refused and no refreshCredentials option',
    );
  });

  it("ends the loop without an error on the app's close(), on abort, and on the server's normal closure (1000)", async () => {
    const a = await harness();
    a.transport.last.open();
    const loopA = loop(a.session);
    void a.session.close();
    a.transport.last.end({ code: 1000, reason: '', wasClean: true, beforeOpen: false });
    expect(await loopA).toEqual({ read: [] });

    const controller = new AbortController();
    const b = await harness({ signal: controller.signal });
    const loopB = loop(b.session);
    b.transport.last.end(refused);
    controller.abort();
    expect(await loopB).toEqual({ read: [] });
    expect((await b.session.closed).error?.code).toBe('ERR_ABORTED');

    const c = await harness();
    c.transport.last.open();
    const loopC = loop(c.session);
    c.transport.last.end({ code: 1000, reason: 'done', wasClean: true, beforeOpen: false });
    expect(await loopC).toEqual({ read: [] });
  });

  it('a loop that breaks out before the end does not throw', async () => {
    const { transport, session } = await harness();
    transport.last.open();
    const iterator = session[Symbol.asyncIterator]();
    transport.last.receive('a');
    await iterator.return?.();
    transport.last.end({ ...refused, status: 404 });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
