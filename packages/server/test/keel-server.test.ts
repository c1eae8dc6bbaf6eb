import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect } from '@keel/core';
import { resumable, type NotResumedInfo, type OpenInfo, type Session } from '@keel/session';
import { TcpProxy } from '../../core/test/session/helpers/tcp-proxy.js';
import { until } from '../../core/test/session/helpers/ws-server.js';
import { KeelServer, type Link, type ServerSession } from '@keel/server';
import { KeelRig } from './helpers/rig.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(options: Parameters<typeof KeelRig.start>[0] = {}) {
  const server = await KeelRig.start(options);
  const proxy = await TcpProxy.start(server.port);
  cleanups.push(
    () => server.stop(),
    () => proxy.close(),
  );
  return { server, proxy };
}

function client(url: string, options: Parameters<typeof connect>[1] = {}) {
  const session = connect(url, {
    resume: resumable(),
    reconnect: { initialDelay: 20, maxDelay: 100, minUptime: 50 },
    heartbeat: false,
    keepProcessAlive: false,
    ...options,
  });
  const opens: OpenInfo[] = [];
  const notResumed: NotResumedInfo[] = [];
  const messages: string[] = [];
  session.on('open', (info) => opens.push(info));
  session.on('notResumed', (info) => notResumed.push(info));
  session.on('message', (data) => messages.push(String(data)));
  cleanups.push(() => (session.state === 'closed' ? Promise.resolve() : session.close()));
  return { session, opens, notResumed, messages };
}

const open = (session: Session) => until(() => session.state === 'open');

/** A KeelServer fed by hand-made links (no sockets): what it sends each link is recorded. */
function linkServer() {
  const keel = new KeelServer();
  const sessions: ServerSession[] = [];
  keel.on('session', (session) => sessions.push(session));
  cleanups.push(() => keel.close());
  const connect = (transport: Link['transport']) => {
    const sent: unknown[] = [];
    const link: Link = {
      transport,
      protocol: '',
      open: true,
      send: (m) => sent.push(m),
      close() {},
      terminate() {},
      onMessage: () => {},
      onClose: () => {},
    };
    keel.acceptLink(link);
    return { link, sent };
  };
  return { sessions, connect };
}

describe('@keel/server with a Keel Node client (real sockets)', () => {
  it('negotiates resume in the hello: the open event says exactly-once, messages flow both ways, no control message reaches either app', async () => {
    const { server } = await rig();
    const c = client(server.url);
    await open(c.session);
    expect(c.opens).toEqual([expect.objectContaining({ resumed: false, delivery: 'exactly-once' })]);
    c.session.send('hello');
    c.session.send('{"type":"keel:ack","received":5}');
    c.session.send('{"type":"ping"}');
    await until(() => (server.received.get(server.session.id)?.length ?? 0) === 3);
    server.session.send('back');
    server.session.send('{"type":"pong"}');
    await until(() => c.messages.length === 2);
    expect(server.received.get(server.session.id)).toEqual(['hello', '{"type":"keel:ack","received":5}', '{"type":"ping"}']);
    expect(c.messages).toEqual(['back', '{"type":"pong"}']);
    expect(server.session.delivery).toBe('exactly-once');
  });

  it('resumes after a cut: what was in flight either way is replayed once, the open event says resumed', async () => {
    const { server, proxy } = await rig();
    const c = client(proxy.url);
    await open(c.session);
    const serverSession = server.session;
    // Nothing is forwarded any more: what both sides send now is lost in flight.
    proxy.blackHole();
    for (let i = 0; i < 5; i++) c.session.send(`c${i}`);
    for (let i = 0; i < 5; i++) serverSession.send(`s${i}`);
    proxy.cut();
    await until(() => c.opens.length === 2 && c.messages.length === 5 && server.received.get(serverSession.id)?.length === 5);
    expect(c.opens[1]).toMatchObject({ resumed: true, delivery: 'exactly-once' });
    expect(c.messages).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(server.received.get(serverSession.id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(server.sessions).toHaveLength(1);
    expect(c.notResumed).toEqual([]);
  });

  it('an expired window: the client gets notResumed with what was lost each way, and a new session starts', async () => {
    const { server, proxy } = await rig({ resume: { windowMs: 100 } });
    const c = client(proxy.url);
    await open(c.session);
    const first = server.session;
    proxy.blackHole();
    c.session.send('lost-1');
    c.session.send('lost-2');
    first.send('missed-1');
    proxy.refuse(true);
    proxy.cut();
    await until(() => first.ended);
    expect(() => first.send('late')).toThrow(expect.objectContaining({ code: 'ERR_SESSION_CLOSED' }));
    proxy.refuse(false);
    await until(() => c.notResumed.length === 1 && c.session.state === 'open');
    expect(c.notResumed[0]).toEqual({ reason: 'expired', lostSent: ['lost-1', 'lost-2'], unconfirmedSent: [], lostReceived: 1 });
    expect(c.opens.at(-1)).toMatchObject({ resumed: false, delivery: 'exactly-once' });
    expect(server.sessions).toHaveLength(2);
    c.session.send('fresh');
    await until(() => server.received.get(server.session.id)?.length === 1);
    expect(server.received.get(server.session.id)).toEqual(['fresh']);
  });

  it('a session the server does not know (restarted without its state): notResumed with the unconfirmed messages', async () => {
    const first = await KeelRig.start();
    const proxy = await TcpProxy.start(first.port);
    cleanups.push(() => proxy.close());
    const c = client(proxy.url);
    await open(c.session);
    proxy.blackHole();
    c.session.send('maybe');
    await first.stop();
    proxy.cut();
    const second = await KeelRig.start();
    cleanups.push(() => second.stop());
    proxy.targetPort = second.port;
    await until(() => c.notResumed.length === 1 && c.session.state === 'open');
    expect(c.notResumed[0]).toEqual({ reason: 'unknown-session', lostSent: [], unconfirmedSent: ['maybe'], lostReceived: undefined });
  });

  it('a Keel client without the resume option gets a plain session: the hello is consumed, nothing else is added', async () => {
    const { server } = await rig();
    const c = client(server.url, { resume: undefined });
    await open(c.session);
    c.session.send('plain');
    await until(() => server.sessions.length === 1 && server.received.get(server.session.id)?.length === 1);
    expect(server.session.resumable).toBe(false);
    expect(server.session.delivery).toBe('at-most-once-in-flight');
    server.session.send('{"type":"keel:looks-like-control"}');
    await until(() => c.messages.length === 1);
    expect(c.messages).toEqual(['{"type":"keel:looks-like-control"}']);
    expect(c.opens[0]).toMatchObject({ resumed: false, delivery: 'at-most-once-in-flight' });
  });

  it('a plain ws client: it sees the hello, its first message makes a plain session, its ping is answered', async () => {
    const { server } = await rig();
    const ws = new WebSocket(server.url);
    cleanups.push(async () => ws.terminate());
    const seen: string[] = [];
    ws.on('message', (data) => seen.push(String(data)));
    await until(() => seen.length === 1);
    expect(JSON.parse(seen[0] as string)).toEqual({ type: 'keel:hello', features: ['heartbeat', 'resume'] });
    ws.send('hi');
    ws.send('{"type":"ping"}');
    await until(() => seen.length === 2 && server.received.get(server.session.id)?.length === 1);
    expect(seen[1]).toBe('{"type":"pong"}');
    expect(server.received.get(server.session.id)).toEqual(['hi']);
  });

  it('with resume: false the hello does not offer it, and a resume client opens at-most-once-in-flight at once', async () => {
    const { server } = await rig({ resume: false });
    const c = client(server.url);
    await open(c.session);
    expect(c.opens[0]).toMatchObject({ resumed: false, delivery: 'at-most-once-in-flight' });
    c.session.send('x');
    await until(() => server.sessions.length === 1 && server.received.get(server.session.id)?.length === 1);
    expect(server.session.resumable).toBe(false);
  });

  it('a session on a SockJS connection refuses binary sends with ERR_BINARY_UNSUPPORTED (SockJS carries text only)', async () => {
    const { sessions, connect: open } = linkServer();
    const { link, sent } = open('sockjs');
    link.onMessage(JSON.stringify({ type: 'keel:resume', session: null, received: 0, from: 1 }));
    await until(() => sessions.length === 1);
    expect(() => sessions[0]?.send(new Uint8Array([1]))).toThrow(expect.objectContaining({ code: 'ERR_BINARY_UNSUPPORTED' }));
    sessions[0]?.send('text is fine');
    expect(sent.at(-1)).toBe('text is fine');
  });

  it('bytes to replay to a client back over SockJS cannot be delivered: not resumed ("expired"), with the counts', async () => {
    const { sessions, connect: open } = linkServer();
    const first = open('websocket');
    first.link.onMessage(JSON.stringify({ type: 'keel:resume', session: null, received: 0, from: 1 }));
    await until(() => sessions.length === 1);
    const session = sessions[0] as ServerSession;
    first.link.onClose();
    session.send(new Uint8Array([1]));
    const second = open('sockjs');
    second.link.onMessage(JSON.stringify({ type: 'keel:resume', session: session.id, received: 0, from: 1 }));
    await until(() => sessions.length === 2);
    expect(JSON.parse(second.sent.at(-1) as string)).toMatchObject({
      type: 'keel:resumed',
      resumed: false,
      reason: 'expired',
      received: 0,
      sent: 1,
    });
  });
});
