import { expect } from 'vitest';
import { closeCodeOf, type RecordedFrame } from './client-frame-reader.js';
import type { ClientFactory, ClientOptions, ClosedInfo, ClientUnderTest, ReceivedMessage } from './client-under-test.js';
import { closeFrame, Opcode, pingFrame } from './frames.js';

const failProbe = Buffer.from('conformance probe: the client should have failed already');
import { withScripted } from './open-scripted.js';
import type { HandshakeScript, ScriptedConnection } from './scripted-server.js';

/**
 * One conformance case: a handshake answer, the bytes the server writes after it (each array
 * element a separate TCP write), and the exact reaction RFC 6455 demands of the client.
 */
export interface ConformanceCase {
  readonly name: string;
  readonly client?: ClientOptions;
  readonly handshake?: HandshakeScript;
  readonly writes: ReadonlyArray<Buffer>;
  readonly expect: Expectation;
}

export type ExpectedMessage = { readonly text: string } | { readonly binary: Uint8Array };

export type Expectation =
  /** The client accepts everything: it delivers `messages`, answers pings with `pongs` (payloads, in order),
   *  then echoes the Close(1000) the runner sends and closes cleanly. */
  | {
      readonly outcome: 'accept';
      readonly messages?: readonly ExpectedMessage[];
      readonly pongs?: readonly Uint8Array[];
      readonly pingEvents?: readonly Uint8Array[];
      readonly pongEvents?: readonly Uint8Array[];
    }
  /** The writes end with the server's Close: the client echoes `echo` (a code, or null for an empty Close), closes cleanly with `code`/`reason`. */
  | {
      readonly outcome: 'close';
      readonly echo: number | null;
      readonly code: number;
      readonly reason: string;
      readonly messages?: readonly ExpectedMessage[];
    }
  /** The client fails the connection (§7.1.7): Close(`closeCode`), then ends TCP; error `error`, close 1006 not clean. */
  | {
      readonly outcome: 'fail';
      readonly closeCode: number;
      readonly error: string;
      readonly messages?: readonly ExpectedMessage[];
      readonly pongs?: readonly Uint8Array[];
      /** The client echoes every message; these echoes (the messages before the error) precede the Close (issue 16). */
      readonly echoes?: readonly ExpectedMessage[];
      /** false: no probe Ping (a client may answer a Ping while a compressed message is still inflating). */
      readonly probe?: boolean;
    }
  /** The opening handshake fails: no frame is sent; error `error` (with `status` when given), close 1006. */
  | { readonly outcome: 'handshake-fail'; readonly error: string; readonly status?: number };

export interface Observed {
  readonly client: ClientUnderTest;
  readonly connection: ScriptedConnection;
  readonly closed: ClosedInfo;
}

export interface RunOptions {
  /** Check Keel's own promises too: error codes, the close event's error, the server ends TCP first. Off for `ws`. */
  readonly strict: boolean;
}

/** Plays `testCase` against a fresh client from `factory` and asserts the expected reaction. */
export async function runCase(factory: ClientFactory, testCase: ConformanceCase, run: RunOptions): Promise<Observed> {
  let observed: Observed | undefined;
  const echo = testCase.expect.outcome === 'fail' && testCase.expect.echoes !== undefined;
  const clientOptions = echo ? { ...testCase.client, echo } : testCase.client;
  await withScripted(factory, { handshake: testCase.handshake, client: clientOptions }, async ({ client, connection }) => {
    await connection.write(...testCase.writes);
    observed = await conclude(client, connection, testCase.expect);
    check(observed, testCase.expect, run);
  });
  if (observed === undefined) throw new Error('unreachable: the case did not run');
  return observed;
}

async function conclude(client: ClientUnderTest, connection: ScriptedConnection, expectation: Expectation): Promise<Observed> {
  if (expectation.outcome === 'accept') {
    // The server ends the exchange itself; a client that failed instead has already sent its Close.
    await connection.write(closeFrame(1000, 'done'));
  }
  if (expectation.outcome === 'accept' || expectation.outcome === 'close') {
    await Promise.race([connection.nextFrame((frame) => frame.opcode === Opcode.close), client.closed]);
    connection.end();
  }
  if (expectation.outcome === 'fail' && expectation.probe !== false) {
    // A probe Ping after the offending bytes: a client that answers it has read past them
    // without failing, and the case fails at once instead of waiting for the test timeout.
    await connection.write(pingFrame(failProbe));
    const answered = await Promise.race([
      connection.nextFrame((f) => f.opcode === Opcode.pong && f.payload.equals(failProbe)),
      client.closed.then(() => null),
    ]);
    if (answered !== null) connection.destroy();
  }
  const closed = await client.closed;
  await connection.closed;
  return { client, connection, closed };
}

const normalise = (messages: readonly ExpectedMessage[]): ReceivedMessage[] =>
  messages.map((m) => ('text' in m ? { kind: 'text', data: m.text } : { kind: 'binary', data: Buffer.from(m.binary) }));

function checkMessages(received: readonly ReceivedMessage[], expected: readonly ExpectedMessage[]): void {
  const want = normalise(expected);
  expect(received.map((m) => `${m.kind}:${m.data.length}`)).toEqual(want.map((m) => `${m.kind}:${m.data.length}`));
  // Compared one by one so a 16 MiB mismatch does not print 16 MiB.
  want.forEach((message, i) => {
    const got = received[i];
    const same = got !== undefined && (message.kind === 'text' ? got.data === message.data : Buffer.from(got.data).equals(message.data));
    expect(same, `message ${i} content`).toBe(true);
  });
}

/** A recorded frame as one readable line: `text <payload>`, `binary <hex>`, `close <code>`, or the opcode. */
function frameLabel(frame: RecordedFrame): string {
  if (frame.opcode === Opcode.text) return `text ${frame.payload.toString('utf8')}`;
  if (frame.opcode === Opcode.binary) return `binary ${frame.payload.toString('hex')}`;
  if (frame.opcode === Opcode.close) return `close ${closeCodeOf(frame)}`;
  return `opcode ${frame.opcode}`;
}

/** Payloads as hex strings, so a mismatch prints readably. */
const payloads = (frames: readonly RecordedFrame[], opcode: number): string[] =>
  frames.filter((f) => f.opcode === opcode).map((f) => f.payload.toString('hex'));
const hexes = (list: readonly Uint8Array[] | undefined): string[] => (list ?? []).map((p) => Buffer.from(p).toString('hex'));

function check(observed: Observed, expectation: Expectation, run: RunOptions): void {
  const { client, connection, closed } = observed;
  const frames = connection.frames;
  // §5.3: every frame from a client is masked.
  expect(frames.every((f) => f.masked)).toBe(true);
  const closes = frames.filter((f) => f.opcode === Opcode.close);

  switch (expectation.outcome) {
    case 'accept': {
      checkMessages(client.messages, expectation.messages ?? []);
      expect(payloads(frames, Opcode.pong)).toEqual(hexes(expectation.pongs));
      if (expectation.pingEvents) expect(hexes(client.pings)).toEqual(hexes(expectation.pingEvents));
      if (expectation.pongEvents) expect(hexes(client.pongs)).toEqual(hexes(expectation.pongEvents));
      expect(client.errors.map((e) => e.code)).toEqual([]);
      expect(closes.map(closeCodeOf)).toEqual([1000]);
      expect({ code: closed.code, reason: closed.reason, wasClean: closed.wasClean }).toEqual({
        code: 1000,
        reason: 'done',
        wasClean: true,
      });
      if (run.strict) expect(closed.errorCode).toBeNull();
      return;
    }
    case 'close': {
      checkMessages(client.messages, expectation.messages ?? []);
      expect(client.errors.map((e) => e.code)).toEqual([]);
      // The echo is the only frame: nothing after the server's Close is answered (§5.5.1).
      expect(frames.map((f) => f.opcode)).toEqual([Opcode.close]);
      const echo = closes[0];
      if (expectation.echo === null) expect(echo?.payload.length).toBe(0);
      else expect(echo && closeCodeOf(echo)).toBe(expectation.echo);
      expect({ code: closed.code, reason: closed.reason, wasClean: closed.wasClean }).toEqual({
        code: expectation.code,
        reason: expectation.reason,
        wasClean: true,
      });
      if (run.strict) expect(closed.errorCode).toBeNull();
      return;
    }
    case 'fail': {
      checkMessages(client.messages, expectation.messages ?? []);
      expect(payloads(frames, Opcode.pong)).toEqual(hexes(expectation.pongs));
      // Exactly one Close, carrying the mapped code, and nothing but Pongs (and the echoes asked for) before it.
      expect(closes.map(closeCodeOf)).toEqual([expectation.closeCode]);
      expect(frames.filter((f) => f.opcode !== Opcode.pong).map(frameLabel)).toEqual([
        ...normalise(expectation.echoes ?? []).map((m) => (m.kind === 'text' ? `text ${m.data}` : `binary ${m.data.toString('hex')}`)),
        `close ${expectation.closeCode}`,
      ]);
      expect(closed.code).toBe(1006);
      expect(closed.wasClean).toBe(false);
      // §7.1.7: the client closes the TCP connection itself.
      const clientGone = connection.timeline.findIndex((e) => e.type === 'client-end' || e.type === 'closed');
      const serverEnd = connection.timeline.findIndex((e) => e.type === 'server-end');
      expect(
        clientGone === -1 ? 'connection still open' : serverEnd !== -1 && serverEnd < clientGone ? 'server ended first' : 'client ended',
      ).toBe('client ended');
      if (run.strict) {
        expect(client.errors.map((e) => [e.code, e.closeCode])).toEqual([[expectation.error, expectation.closeCode]]);
        expect(closed.errorCode).toBe(expectation.error);
        expect(client.events.slice(-2)).toEqual(['error', 'close']);
      }
      return;
    }
    case 'handshake-fail': {
      expect(frames).toEqual([]);
      expect(client.events).not.toContain('open');
      expect(closed.code).toBe(1006);
      expect(closed.wasClean).toBe(false);
      if (run.strict) {
        expect(client.errors.map((e) => e.code)).toEqual([expectation.error]);
        expect(closed.errorCode).toBe(expectation.error);
        if (expectation.status !== undefined) expect((client.errors[0]?.error as { status?: number }).status).toBe(expectation.status);
      }
      return;
    }
  }
}
