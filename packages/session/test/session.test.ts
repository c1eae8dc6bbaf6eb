import { describe, expect, it } from 'vitest';
import { createSession } from '../src/session.js';
import { SessionError } from '../src/session-error.js';
import { FakeConnection, FakeTransport, lost, refused, settle } from './helpers/fake-transport.js';
import { harness } from './helpers/session-harness.js';

describe('Session state machine', () => {
  it('starts idle, connects on the next microtask, and opens', async () => {
    const transport = new FakeTransport();
    const session = createSession({ url: 'ws://x/', transport });
    expect(session.state).toBe('idle');
    expect(transport.connections).toHaveLength(0);
    await settle();
    expect(session.state).toBe('connecting');
    transport.last.open('', 'permessage-deflate');
    expect(session.state).toBe('open');
    expect(session.transport).toBe('fake');
    expect(session.extensions).toBe('permessage-deflate');
    const closed = session.close();
    expect(session.state).toBe('closing');
    transport.last.end({ code: 1000, reason: '', wasClean: true, beforeOpen: false });
    expect((await closed).wasClean).toBe(true);
  });

  it('goes connecting → open → reconnecting → connecting → open → closing → closed', async () => {
    const { transport, clock, session, states, of } = await harness();
    transport.last.open();
    transport.last.end(lost);
    expect(session.state).toBe('reconnecting');
    clock.advance(1000);
    await settle();
    transport.last.open();
    const closing = session.close(1000, 'bye');
    expect(transport.last.closedWith).toEqual({ code: 1000, reason: 'bye' });
    transport.last.end({ code: 1000, reason: 'bye', wasClean: true, beforeOpen: false });
    const info = await closing;
    expect(states()).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closing', 'closed']);
    expect(info).toEqual({ code: 1000, reason: 'bye', wasClean: true, error: undefined, unsent: [] });
    expect(of('close')).toEqual([[info]]);
    expect(of('open')).toHaveLength(2);
  });

  it('retries the very first connection, reporting attempt, delay and reason', async () => {
    const { transport, clock, of } = await harness();
    transport.last.end(refused);
    expect(of('reconnecting')).toEqual([[{ attempt: 1, delay: 50, reason: refused, decision: 'retry' }]]);
    clock.advance(49);
    await settle();
    expect(transport.connections).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(transport.connections).toHaveLength(2);
    transport.last.end(refused);
    clock.advance(100);
    await settle();
    transport.last.end(refused);
    expect(of('reconnecting').map(([r]) => [r.attempt, r.delay])).toEqual([
      [1, 50],
      [2, 100],
      [3, 200],
    ]);
  });

  it('resets the attempt count only after the connection stayed open minUptime ms', async () => {
    const { transport, clock, of } = await harness();
    const cycle = async (uptime: number) => {
      transport.last.open();
      clock.advance(uptime);
      transport.last.end(lost);
      clock.advance(1000);
      await settle();
    };
    await cycle(999);
    await cycle(999);
    await cycle(1000);
    await cycle(10);
    expect(of('reconnecting').map(([r]) => r.attempt)).toEqual([1, 2, 1, 2]);
  });

  it('gives up after maxAttempts consecutive failures with ERR_MAX_ATTEMPTS', async () => {
    const { transport, clock, session } = await harness({ reconnect: { maxAttempts: 2, initialDelay: 10 } });
    for (let i = 0; i < 3; i++) {
      transport.last.end(refused);
      clock.advance(100);
      await settle();
    }
    const info = await session.closed;
    expect(transport.connections).toHaveLength(3);
    expect(info.error?.code).toBe('ERR_MAX_ATTEMPTS');
    expect(clock.pending).toBe(0);
  });

  it('reconnect: false closes at the first disconnect', async () => {
    const { transport, session } = await harness({ reconnect: false });
    transport.last.open();
    transport.last.end(lost);
    expect(session.state).toBe('closed');
  });

  it('stops on the classifier (4001 from the server) with ERR_RECONNECT_STOPPED, and on 1000 without an error', async () => {
    const a = await harness();
    a.transport.last.open();
    a.transport.last.end({ code: 4001, reason: 'banned', wasClean: true, beforeOpen: false });
    const infoA = await a.session.closed;
    expect([infoA.code, infoA.reason, infoA.error?.code]).toEqual([4001, 'banned', 'ERR_RECONNECT_STOPPED']);
    const b = await harness();
    b.transport.last.open();
    b.transport.last.end({ code: 1000, reason: '', wasClean: true, beforeOpen: false });
    expect((await b.session.closed).error).toBeUndefined();
  });

  it('uses a custom classifier', async () => {
    const { transport, session, of } = await harness({ classify: (info) => (info.code === 4001 ? 'retry' : undefined) });
    transport.last.open();
    transport.last.end({ code: 4001, reason: '', wasClean: true, beforeOpen: false });
    expect(session.state).toBe('reconnecting');
    expect(of('reconnecting')[0]?.[0].decision).toBe('retry');
  });

  it('refreshes credentials after a 401, before the next attempt', async () => {
    const calls: string[] = [];
    let token = 'old';
    const { transport, clock } = await harness({
      url: () => `ws://x/?token=${token}`,
      refreshCredentials: async () => {
        calls.push('refresh');
        token = 'new';
      },
    });
    expect(transport.last.request.url).toBe('ws://x/?token=old');
    transport.last.end({ ...refused, status: 401 });
    clock.advance(1000);
    await settle();
    expect(calls).toEqual(['refresh']);
    expect(transport.last.request.url).toBe('ws://x/?token=new');
  });

  it('stops with ERR_CREDENTIALS on 403 without a refreshCredentials option, or when it throws', async () => {
    const a = await harness();
    a.transport.last.end({ ...refused, status: 403 });
    expect((await a.session.closed).error?.code).toBe('ERR_CREDENTIALS');
    const b = await harness({ refreshCredentials: () => Promise.reject(new Error('auth server down')) });
    b.transport.last.end({ ...refused, status: 401 });
    b.clock.advance(1000);
    await settle();
    expect((await b.session.closed).error?.code).toBe('ERR_CREDENTIALS');
  });

  it('stops at once on a 4xx handshake answer (404)', async () => {
    const { transport, session } = await harness();
    transport.last.end({ ...refused, status: 404 });
    expect((await session.closed).error?.code).toBe('ERR_RECONNECT_STOPPED');
  });

  it('evaluates url, protocols and headers (sync or async functions) on every attempt', async () => {
    let n = 0;
    const { transport, clock } = await harness({
      url: async () => `ws://x/${++n}`,
      protocols: () => [`v${n}`],
      headers: async () => ({ authorization: `Bearer ${n}` }),
    });
    transport.last.end(refused);
    clock.advance(1000);
    await settle();
    expect(transport.connections.map((c) => c.request)).toEqual([
      { url: 'ws://x/1', protocols: ['v1'], headers: { authorization: 'Bearer 1' } },
      { url: 'ws://x/2', protocols: ['v2'], headers: { authorization: 'Bearer 2' } },
    ]);
  });

  it('treats a throwing url function as a failed attempt (ERR_RESOLVE) and retries', async () => {
    let fail = true;
    const { transport, clock, of } = await harness({
      url: () => {
        if (fail) throw new Error('token service down');
        return 'ws://x/';
      },
    });
    expect(transport.connections).toHaveLength(0);
    expect((of('reconnecting')[0]?.[0].reason.error as SessionError).code).toBe('ERR_RESOLVE');
    fail = false;
    clock.advance(1000);
    await settle();
    expect(transport.connections).toHaveLength(1);
  });

  it('stops when the transport refuses the URL synchronously (ERR_INVALID_URL)', async () => {
    const transport = new FakeTransport();
    transport.throwOnOpen = Object.assign(new Error('bad url'), { code: 'ERR_INVALID_URL' });
    const { session } = await harness({}, transport);
    const info = await session.closed;
    expect(info.error?.code).toBe('ERR_RECONNECT_STOPPED');
    expect((info.error?.cause as { code: string }).code).toBe('ERR_INVALID_URL');
  });

  it('probe() while reconnecting attempts at once instead of waiting out the backoff delay', async () => {
    const { transport, clock, session, of } = await harness({ reconnect: { initialDelay: 5000, maxDelay: 5000, minUptime: 1000 } });
    transport.last.open();
    transport.last.end(lost);
    const [[{ delay }]] = of('reconnecting');
    expect(delay).toBeGreaterThan(10);
    clock.advance(10);
    await settle();
    expect(transport.connections).toHaveLength(1);
    session.probe();
    await settle();
    expect(transport.connections).toHaveLength(2);
    expect(session.state).toBe('connecting');
    expect(clock.pending).toBe(0);
    // The cancelled backoff timer never starts a second attempt.
    clock.advance(delay);
    await settle();
    expect(transport.connections).toHaveLength(2);
    transport.last.open();
    expect(session.state).toBe('open');
  });

  it('ignores events of a connection that is no longer current', async () => {
    const { transport, clock, session, of } = await harness();
    const first = transport.last;
    first.open();
    first.end(lost);
    first.receive('late');
    clock.advance(1000);
    await settle();
    first.end(lost);
    expect(session.state).toBe('connecting');
    expect(of('message')).toEqual([]);
  });
});

describe('close()', () => {
  it('from reconnecting: closes at once, reports the queue, leaves no timer', async () => {
    const { transport, clock, session } = await harness();
    transport.last.end(refused);
    expect(session.send('a')).toBe('queued');
    expect(session.send(new Uint8Array([1, 2]))).toBe('queued');
    const info = await session.close(4000, 'done');
    expect(info).toMatchObject({ code: 4000, reason: 'done', unsent: ['a', new Uint8Array([1, 2])] });
    expect(session.state).toBe('closed');
    expect(clock.pending).toBe(0);
  });

  it('while connecting: terminates the attempt', async () => {
    const { transport, session } = await harness();
    const closed = session.close();
    expect(transport.last.terminated).toBe(true);
    expect(session.state).toBe('closed');
    expect((await closed).code).toBe(1006);
  });

  it('validates code and reason (RFC 6455 §7.4.2, §5.5)', async () => {
    const { session } = await harness();
    for (const code of [999, 1001, 1005, 2999, 5000]) {
      expect(() => session.close(code)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CLOSE_CODE_ARG' }));
    }
    expect(() => session.close(1000, 'é'.repeat(62))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CLOSE_CODE_ARG' }));
    await session.close(1000, 'x'.repeat(123));
  });

  it('is idempotent and send() after it throws ERR_SESSION_CLOSED', async () => {
    const { session } = await harness();
    const a = session.close();
    const b = session.close();
    expect(await a).toBe(await b);
    expect(() => session.send('x')).toThrow(expect.objectContaining({ code: 'ERR_SESSION_CLOSED' }));
  });
});

describe('send queue', () => {
  it('flushes queued messages once, in order, before anything sent from an open listener', async () => {
    const { transport, session } = await harness();
    session.send('1');
    session.send('2');
    session.once('open', () => session.send('3'));
    transport.last.open();
    expect(transport.last.sent).toEqual(['1', '2', '3']);
    expect(session.send('4')).toBe('sent');
    transport.last.end(lost);
    expect(session.send('5')).toBe('queued');
    expect(session.queued).toBe(1);
  });

  it('re-queues a message the transport refuses (its close is on its way) and flushes it on the next open', async () => {
    const { transport, clock, session } = await harness();
    transport.last.open();
    transport.last.broken = true;
    expect(session.send('a')).toBe('queued');
    expect(session.send('b')).toBe('queued');
    transport.last.end(lost);
    clock.advance(1000);
    await settle();
    transport.last.open();
    expect(transport.last.sent).toEqual(['a', 'b']);
  });

  it('drops and reports a queued binary message the connection cannot carry, and flushes what is behind it', async () => {
    // Queued while WebSocket was expected; the connection that opens turns out text-only (SockJS).
    const { transport, session, of } = await harness();
    session.send('a');
    session.send(new Uint8Array([1]));
    session.send('b');
    transport.capabilities = { ...transport.capabilities, binary: false };
    transport.last.textOnly = true;
    transport.last.open();
    expect(transport.last.sent).toEqual(['a', 'b']);
    expect(session.queued).toBe(0);
    expect(of('drop')).toEqual([[{ message: new Uint8Array([1]), policy: 'reject', reason: 'binary-unsupported' }]]);
    expect(session.send('c')).toBe('sent');
  });

  it('drops a queued binary message whose send throws ERR_BINARY_UNSUPPORTED even when the transport claimed binary', async () => {
    const { transport, session, of } = await harness();
    session.send(new Uint8Array([7]));
    session.send('after');
    transport.last.textOnly = true;
    transport.last.open();
    expect(transport.last.sent).toEqual(['after']);
    expect(of('drop').map(([info]) => info.reason)).toEqual(['binary-unsupported']);
    expect(session.queued).toBe(0);
  });

  it("throws ERR_QUEUE_FULL under 'reject'", async () => {
    const { session } = await harness({ queue: { maxMessages: 1 } });
    session.send('a');
    expect(() => session.send('b')).toThrow(expect.objectContaining({ code: 'ERR_QUEUE_FULL' }));
  });

  it('reports drops through the drop event', async () => {
    const { session, of } = await harness({ queue: { maxMessages: 2, overflow: 'drop-oldest' } });
    session.send('a');
    session.send('b');
    expect(session.send('c')).toBe('queued');
    expect(of('drop')).toEqual([[{ message: 'a', policy: 'drop-oldest', reason: 'overflow' }]]);
    const newest = await harness({ queue: { maxMessages: 1, overflow: 'drop-newest' } });
    newest.session.send('a');
    expect(newest.session.send('b')).toBe('dropped');
    expect(newest.of('drop')).toEqual([[{ message: 'b', policy: 'drop-newest', reason: 'overflow' }]]);
  });

  it('copies queued bytes so the caller may reuse its buffer', async () => {
    const { transport, session } = await harness();
    const buffer = new Uint8Array([1, 2, 3]);
    session.send(buffer.subarray(1));
    buffer.fill(9);
    transport.last.open();
    expect(transport.last.sent).toEqual([new Uint8Array([2, 3])]);
  });

  it('refuses binary on a text-only transport and bad data', async () => {
    const { session } = await harness({}, new FakeTransport({ binary: false }));
    expect(() => session.send(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'ERR_BINARY_UNSUPPORTED' }));
    expect(() => session.send(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DATA' }));
  });
});

describe('heartbeat in the session', () => {
  it('sends protocol pings, emits rtt, and reconnects on a dead link with ERR_HEARTBEAT_TIMEOUT', async () => {
    const { transport, clock, session, of } = await harness({ heartbeat: { interval: 1000, timeout: 500 } });
    transport.last.open();
    clock.advance(1000);
    const connection = transport.last;
    expect(connection.pings).toHaveLength(1);
    clock.advance(30);
    connection.pong(connection.pings[0] as Uint8Array);
    expect(of('rtt')).toEqual([[30]]);
    expect(session.rtt).toBe(30);
    clock.advance(1470);
    expect(connection.terminated).toBe(true);
    expect(session.state).toBe('reconnecting');
    expect((of('reconnecting')[0]?.[0].reason.error as SessionError).code).toBe('ERR_HEARTBEAT_TIMEOUT');
    expect(of('error').map(([e]) => (e as SessionError).code)).toEqual(['ERR_HEARTBEAT_TIMEOUT']);
  });

  // Issue 11 #3: a plain server that never answers {"type":"ping"} was declared dead every 35 s.
  it('with default options and no protocol ping, sends nothing the app did not send and never declares a quiet link dead', async () => {
    const transport = new FakeTransport({ protocolPing: false });
    const { clock, session, of } = await harness({ heartbeat: {} }, transport);
    transport.last.open();
    transport.last.receive('first');
    clock.advance(10 * 60_000);
    expect(transport.last.sent).toEqual([]);
    expect(session.state).toBe('open');
    expect(of('message')).toEqual([['first']]);
  });

  it("opts in on the server's keel:hello (consumed), then uses application-level pings, consumes the pong, answers server pings", async () => {
    const transport = new FakeTransport({ protocolPing: false });
    const { clock, of } = await harness({ heartbeat: { interval: 1000, timeout: 500 } }, transport);
    transport.last.open();
    transport.last.receive('{"type":"keel:hello","features":["resume","heartbeat"],"future":1}');
    clock.advance(1000);
    expect(transport.last.sent).toEqual(['{"type":"ping"}']);
    clock.advance(12);
    transport.last.receive('{"type":"pong"}');
    transport.last.receive('{"type":"ping"}');
    transport.last.receive('hello');
    expect(transport.last.sent).toEqual(['{"type":"ping"}', '{"type":"pong"}']);
    expect(of('message')).toEqual([['hello']]);
    expect(of('rtt')).toEqual([[12]]);
    expect(of('ping')).toHaveLength(1);
  });

  it('a hello without "heartbeat" is consumed but enables nothing; a hello that is not the first message is an ordinary message', async () => {
    const transport = new FakeTransport({ protocolPing: false });
    const { clock, of } = await harness({ heartbeat: { interval: 1000, timeout: 500 } }, transport);
    transport.last.open();
    transport.last.receive('{"type":"keel:hello","features":["resume"]}');
    transport.last.receive('{"type":"keel:hello","features":["heartbeat"]}');
    clock.advance(5000);
    expect(transport.last.sent).toEqual([]);
    expect(of('message')).toEqual([['{"type":"keel:hello","features":["heartbeat"]}']]);
  });

  it('decides per connection: a later connection without a hello runs without heartbeat', async () => {
    const transport = new FakeTransport({ protocolPing: false });
    const { clock } = await harness({ heartbeat: { interval: 1000, timeout: 500 } }, transport);
    transport.last.open();
    transport.last.receive('{"type":"keel:hello","features":["heartbeat"]}');
    clock.advance(1000);
    expect(transport.last.sent).toEqual(['{"type":"ping"}']);
    const first = transport.last;
    first.end({ code: 1006, reason: '', wasClean: false, beforeOpen: false });
    clock.advance(1000);
    await settle();
    expect(transport.last).not.toBe(first);
    transport.last.open();
    transport.last.receive('plain');
    clock.advance(5000);
    expect(transport.last.sent).toEqual([]);
  });

  it('consumes a first-message hello on a protocol-ping connection too, and keeps protocol pings', async () => {
    const { transport, clock, of } = await harness({ heartbeat: { interval: 1000, timeout: 500 } });
    transport.last.open();
    transport.last.receive('{"type":"keel:hello","features":["heartbeat"]}');
    clock.advance(1000);
    expect(transport.last.pings).toHaveLength(1);
    expect(transport.last.sent).toEqual([]);
    expect(of('message')).toEqual([]);
  });

  it("mode 'message' uses application-level messages on a connection without ping(), even where the transport pings in general", async () => {
    const transport = new FakeTransport({ protocolPing: true });
    transport.open = (request, handlers) => {
      const connection = new FakeConnection(request, handlers, false);
      transport.connections.push(connection);
      return connection;
    };
    const { clock, of } = await harness({ heartbeat: { interval: 1000, timeout: 500, mode: 'message' } }, transport);
    transport.last.open();
    clock.advance(1000);
    expect(transport.last.sent).toEqual(['{"type":"ping"}']);
    clock.advance(7);
    transport.last.receive('{"type":"pong"}');
    expect(of('message')).toEqual([]);
    expect(of('rtt')).toEqual([[7]]);
  });

  it("takes custom application-level payloads (mode 'message')", async () => {
    const transport = new FakeTransport({ protocolPing: false });
    const { clock, of } = await harness(
      { heartbeat: { interval: 100, timeout: 50, mode: 'message', pingMessage: 'p?', pongMessage: 'p!' } },
      transport,
    );
    transport.last.open();
    clock.advance(100);
    transport.last.receive('p!');
    transport.last.receive('p?');
    expect(transport.last.sent).toEqual(['p?', 'p!']);
    expect(of('message')).toEqual([]);
  });

  it('leaves heartbeat-looking messages alone when protocol pings are used', async () => {
    const { transport, of } = await harness({ heartbeat: { interval: 1000, timeout: 500 } });
    transport.last.open();
    transport.last.receive('{"type":"ping"}');
    expect(of('message')).toEqual([['{"type":"ping"}']]);
  });
});

describe('subprotocols', () => {
  it('offers validated protocols, exposes the selection, fails an unoffered one', async () => {
    const { transport, session } = await harness({ protocols: ['v2', 'v1'] });
    expect(transport.last.request.protocols).toEqual(['v2', 'v1']);
    transport.last.open('v1');
    expect(session.protocol).toBe('v1');
    const bad = await harness({ protocols: ['v2'] });
    bad.transport.last.open('v9');
    const info = await bad.session.closed;
    expect((info.error?.cause as SessionError).code).toBe('ERR_SUBPROTOCOL_MISMATCH');
  });

  it('throws from createSession on an invalid static offer', () => {
    expect(() => createSession({ url: 'ws://x/', transport: new FakeTransport(), protocols: ['a b'] })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_SUBPROTOCOL' }),
    );
  });

  it("refuses a transport that cannot negotiate under 'refuse' (the default)", async () => {
    const transport = new FakeTransport({ subprotocolNegotiation: false });
    const { session } = await harness({ protocols: ['chat'] }, transport);
    const info = await session.closed;
    expect(transport.connections).toHaveLength(0);
    expect((info.error?.cause as SessionError).code).toBe('ERR_SUBPROTOCOL_UNSUPPORTED');
  });

  it("under 'in-band', hands the offer to a transport that negotiates in-band and checks its selection", async () => {
    const transport = new FakeTransport({ subprotocolNegotiation: false, inBandSubprotocols: true });
    const { session, states } = await harness({ protocols: ['v2', 'v1'], subprotocolFallback: 'in-band' }, transport);
    expect(transport.last.request.protocols).toEqual(['v2', 'v1']);
    session.send('queued');
    transport.last.open('v1');
    expect(session.protocol).toBe('v1');
    expect(states()).toEqual(['connecting', 'open']);
    expect(transport.last.sent).toEqual(['queued']);
    const bad = await harness(
      { protocols: ['v2'], subprotocolFallback: 'in-band' },
      new FakeTransport({ subprotocolNegotiation: false, inBandSubprotocols: true }),
    );
    bad.transport.last.open('v9');
    const info = await bad.session.closed;
    expect((info.error?.cause as SessionError).code).toBe('ERR_SUBPROTOCOL_MISMATCH');
  });

  it("under 'in-band', still refuses a transport that can negotiate neither in its handshake nor in-band", async () => {
    const transport = new FakeTransport({ subprotocolNegotiation: false });
    const { session } = await harness({ protocols: ['chat'], subprotocolFallback: 'in-band' }, transport);
    const info = await session.closed;
    expect(transport.connections).toHaveLength(0);
    expect((info.error?.cause as SessionError).code).toBe('ERR_SUBPROTOCOL_UNSUPPORTED');
  });

  it("under 'in-band', offers nothing when no protocols are wanted", async () => {
    const transport = new FakeTransport({ subprotocolNegotiation: false, inBandSubprotocols: true });
    const { session } = await harness({ subprotocolFallback: 'in-band' }, transport);
    expect(transport.last.request.protocols).toEqual([]);
    transport.last.open();
    expect(session.state).toBe('open');
  });
});

describe('async iterator', () => {
  it('yields messages in order and ends when the session closes', async () => {
    const { transport, session } = await harness();
    transport.last.open();
    const received: unknown[] = [];
    const loop = (async () => {
      for await (const m of session) received.push(m);
    })();
    transport.last.receive('a');
    transport.last.receive(new Uint8Array([1]));
    transport.last.receive('b');
    void session.close();
    transport.last.end({ code: 1000, reason: '', wasClean: true, beforeOpen: false });
    await loop;
    expect(received).toEqual(['a', new Uint8Array([1]), 'b']);
  });

  it('detaches on break', async () => {
    const { transport, session } = await harness();
    transport.last.open();
    const iterator = session[Symbol.asyncIterator]();
    transport.last.receive('a');
    expect(await iterator.next()).toEqual({ value: 'a', done: false });
    await iterator.return?.();
    transport.last.receive('b');
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});

describe('abort signal', () => {
  it('closes an open session with ERR_ABORTED and removes its listener', async () => {
    const controller = new AbortController();
    const { transport, session } = await harness({ signal: controller.signal });
    transport.last.open();
    controller.abort('user left');
    expect(transport.last.closedWith).toEqual({ code: 1000, reason: '' });
    transport.last.end({ code: 1000, reason: '', wasClean: true, beforeOpen: false });
    const info = await session.closed;
    expect(info.error?.code).toBe('ERR_ABORTED');
    expect(info.error?.cause).toBe('user left');
  });

  it('never connects with an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const { transport, session } = await harness({ signal: controller.signal });
    expect(transport.connections).toHaveLength(0);
    expect((await session.closed).error?.code).toBe('ERR_ABORTED');
  });

  it('cancels a pending reconnect', async () => {
    const controller = new AbortController();
    const { transport, clock, session } = await harness({ signal: controller.signal });
    transport.last.end(refused);
    controller.abort();
    expect(session.state).toBe('closed');
    expect(clock.pending).toBe(0);
  });
});

describe('options', () => {
  it.each([
    { reconnect: { initialDelay: -1 } },
    { reconnect: { factor: 0.5 } },
    { heartbeat: { timeout: 0 } },
    { heartbeat: { pingMessage: 'x', pongMessage: 'x' } },
    { queue: { overflow: 'explode' } },
    { subprotocolFallback: 'maybe' },
  ])('rejects %j with ERR_INVALID_OPTION', (bad) => {
    expect(() => createSession({ url: 'ws://x/', transport: new FakeTransport(), ...(bad as object) })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it("rejects heartbeat mode 'protocol' on a transport without protocol ping", () => {
    expect(() =>
      createSession({ url: 'ws://x/', transport: new FakeTransport({ protocolPing: false }), heartbeat: { mode: 'protocol' } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});
