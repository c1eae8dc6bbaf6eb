import { describe, expect, it } from 'vitest';
import { resumable } from '../src/resume.js';
import { createSession } from '../src/session.js';
import type { SessionState } from '../src/session-events.js';
import { canTransition } from '../src/session-state.js';
import { FakeConnection, FakeTransport, settle } from './helpers/fake-transport.js';
import { harness } from './helpers/session-harness.js';

/**
 * A connection whose terminate() reports its close later, as a real socket does (the Node
 * transport's close event comes after the socket is destroyed): between terminate() and onClose a
 * handshake response already on its way may still be reported as onOpen.
 */
class LateCloseConnection extends FakeConnection {
  override terminate(): void {
    this.terminated = true;
  }
}

class LateCloseTransport extends FakeTransport {
  override open(...args: Parameters<FakeTransport['open']>): LateCloseConnection {
    const connection = new LateCloseConnection(args[0], args[1], this.capabilities.protocolPing);
    this.connections.push(connection);
    return connection;
  }
}

describe('Session transitions the transport cannot force', () => {
  it('stays closing when the transport reports onOpen after close() terminated the attempt', async () => {
    const transport = new LateCloseTransport();
    const session = createSession({ url: 'ws://x/', transport, heartbeat: false });
    const states: SessionState[] = [];
    session.on('state', (state) => states.push(state));
    let opened = 0;
    session.on('open', () => opened++);
    await settle();
    const closed = session.close();
    expect(transport.last.terminated).toBe(true);
    transport.last.open();
    expect(session.state).toBe('closing');
    expect(opened).toBe(0);
    // Nothing queued was handed to the terminated connection either.
    expect(transport.last.sent).toEqual([]);
    transport.last.end({ code: 1006, reason: '', wasClean: false, beforeOpen: true });
    expect(await closed).toMatchObject({ code: 1006, wasClean: false, error: undefined });
    expect(states).toEqual(['connecting', 'closing', 'closed']);
  });

  it('stays closing when the resume handshake finishes after close() terminated the attempt', async () => {
    const transport = new LateCloseTransport();
    const session = createSession({ url: 'ws://x/', transport, heartbeat: { interval: 1000 }, resume: resumable() });
    const states: SessionState[] = [];
    session.on('state', (state) => states.push(state));
    await settle();
    transport.last.open();
    const closed = session.close();
    // The server's hello, already on its way: it does not offer resumption, so the handshake ends.
    transport.last.receive('{"type":"keel:hello","features":["heartbeat"]}');
    expect(session.state).toBe('closing');
    expect(transport.last.sent).toEqual([]);
    transport.last.end({ code: 1006, reason: '', wasClean: false, beforeOpen: false });
    expect((await closed).code).toBe(1006);
    expect(states).toEqual(['connecting', 'closing', 'closed']);
  });

  it('starts no heartbeat when the answer to the resume request comes after close()', async () => {
    const transport = new LateCloseTransport({ protocolPing: false });
    const { session, clock, states } = await harness({ heartbeat: { interval: 1000, timeout: 500 }, resume: resumable() }, transport);
    transport.last.open();
    transport.last.receive('{"type":"keel:hello","features":["heartbeat","resume"]}');
    const request = transport.last.sent.length;
    void session.close();
    transport.last.receive(
      JSON.stringify({ type: 'keel:resumed', session: 's1', resumed: false, reason: 'unknown-session', received: null, sent: null }),
    );
    clock.advance(5000);
    expect(session.state).toBe('closing');
    expect(transport.last.sent.slice(request)).toEqual([]);
    expect(states()).toEqual(['connecting', 'closing']);
  });

  it('opens once when a transport reports onOpen twice (no second flush, heartbeat or open event)', async () => {
    const transport = new FakeTransport();
    const session = createSession({ url: 'ws://x/', transport, heartbeat: { interval: 1000 } });
    const states: SessionState[] = [];
    session.on('state', (state) => states.push(state));
    let opened = 0;
    session.on('open', () => opened++);
    await settle();
    session.send('queued');
    transport.last.open();
    transport.last.open();
    expect([session.state, opened, states]).toEqual(['open', 1, ['connecting', 'open']]);
    expect(transport.last.sent).toEqual(['queued']);
    const closed = session.close();
    transport.last.end({ code: 1000, reason: '', wasClean: true, beforeOpen: false });
    expect((await closed).wasClean).toBe(true);
  });
});

const states: readonly SessionState[] = ['idle', 'connecting', 'open', 'reconnecting', 'closing', 'closed'];
/** Written out here, not read from the module: the test is the specification the table must meet. */
const allowed = new Set([
  'idle → connecting',
  'idle → closed',
  'connecting → open',
  'connecting → reconnecting',
  'connecting → closing',
  'connecting → closed',
  'open → reconnecting',
  'open → closing',
  'open → closed',
  'reconnecting → connecting',
  'reconnecting → closed',
  'closing → closed',
]);
const pairs = states.flatMap((from) => states.map((to): [string, SessionState, SessionState] => [`${from} → ${to}`, from, to]));

describe('canTransition', () => {
  it.each(pairs.filter(([name]) => allowed.has(name)))('allows %s', (_, from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(pairs.filter(([name]) => !allowed.has(name)))('refuses %s', (_, from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('covers all 36 pairs, 12 of them allowed', () => {
    expect(pairs).toHaveLength(36);
    expect(pairs.filter(([, from, to]) => canTransition(from, to)).map(([name]) => name)).toEqual([...allowed]);
  });
});
