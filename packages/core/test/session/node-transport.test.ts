import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as WsPeer } from 'ws';
import { connect, createNodeTransport } from '@keel/core';
import type { Session } from '@keel/session';
import { until } from './helpers/ws-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: ConstructorParameters<typeof WebSocketServer>[0] = {}, onConnection?: (peer: WsPeer) => void) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  await new Promise((resolve) => wss.once('listening', resolve));
  if (onConnection) wss.on('connection', onConnection);
  cleanups.push(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}/`;
}

function track(session: Session): Session {
  cleanups.push(async () => {
    if (session.state !== 'closed') await session.close();
  });
  return session;
}

const fast = { reconnect: { initialDelay: 10, maxDelay: 50 }, heartbeat: false } as const;

describe('Node transport and connect()', () => {
  it('declares every capability', () => {
    expect(createNodeTransport()).toMatchObject({
      name: 'node',
      capabilities: { binary: true, protocolPing: true, subprotocolNegotiation: true, customHeaders: true },
    });
  });

  it('negotiates a subprotocol in the handshake and exposes it', async () => {
    const url = await server({ handleProtocols: (offered) => (offered.has('v1') ? 'v1' : false) });
    const session = track(connect(url, { ...fast, protocols: ['v2', 'v1'] }));
    await until(() => session.state === 'open');
    expect(session.protocol).toBe('v1');
    expect(session.transport).toBe('node');
  });

  it('round-trips text and binary (binary arrives as Uint8Array)', async () => {
    const url = await server({}, (peer) => peer.on('message', (data, isBinary) => peer.send(data, { binary: isBinary })));
    const session = track(connect(new URL(url), fast));
    const received: unknown[] = [];
    session.on('message', (m) => received.push(m));
    expect(session.send('text')).toBe('queued');
    expect(session.send(new Uint8Array([1, 2, 3]))).toBe('queued');
    await until(() => received.length === 2);
    expect(received[0]).toBe('text');
    expect(received[1]).toBeInstanceOf(Uint8Array);
    expect([...(received[1] as Uint8Array)]).toEqual([1, 2, 3]);
  });

  it('refreshes credentials after a 401 handshake answer and connects with the new header', async () => {
    let token = 'expired';
    const url = await server({
      verifyClient: (
        info: { req: { headers: Record<string, string | string[] | undefined> } },
        done: (ok: boolean, code?: number) => void,
      ) => done(info.req.headers.authorization === 'Bearer fresh', 401),
    });
    const refreshed: string[] = [];
    const session = track(
      connect(url, {
        ...fast,
        headers: () => ({ authorization: `Bearer ${token}` }),
        refreshCredentials: () => {
          refreshed.push(token);
          token = 'fresh';
        },
      }),
    );
    const reasons: Array<number | undefined> = [];
    session.on('reconnecting', ({ reason, decision }) => reasons.push(decision === 'refresh' ? reason.status : -1));
    await until(() => session.state === 'open');
    expect(refreshed).toEqual(['expired']);
    expect(reasons).toEqual([401]);
  });

  it('stops on a 404 handshake answer and on a 4001 close, without reconnecting', async () => {
    const notFound = await server({ verifyClient: (_: unknown, done: (ok: boolean, code?: number) => void) => done(false, 404) });
    const a = track(connect(notFound, fast));
    const infoA = await a.closed;
    expect(infoA.error?.code).toBe('ERR_RECONNECT_STOPPED');
    expect((infoA.error?.cause as { code: string; status: number }).status).toBe(404);
    // Issue 11 #2: the message names the cause in words, not "stopped: close 1006".
    expect(infoA.error?.message).toBe(`gave up after HTTP 404 Not Found from ${notFound}`);

    let connections = 0;
    const banning = await server({}, (peer) => {
      connections++;
      peer.close(4001, 'banned');
    });
    const b = track(connect(banning, fast));
    const infoB = await b.closed;
    expect([infoB.code, infoB.reason, infoB.error?.code]).toEqual([4001, 'banned', 'ERR_RECONNECT_STOPPED']);
    expect(connections).toBe(1);
  });

  it('retries a refused first connection until the server appears', async () => {
    const url = await server();
    const port = Number(new URL(url).port);
    // A port nobody listens on first, then the real one: the url function is evaluated per attempt.
    let attempts = 0;
    const session = track(connect(() => (++attempts < 3 ? 'ws://127.0.0.1:1/' : `ws://127.0.0.1:${port}/`), fast));
    await until(() => session.state === 'open');
    expect(attempts).toBe(3);
  });

  it('refuses a keepProcessAlive that is not a boolean', () => {
    expect(() => connect('ws://127.0.0.1:1/', { keepProcessAlive: 'no' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: "keepProcessAlive must be a boolean, got 'no'" }),
    );
  });

  it('checks the websocket options at once, not at the first attempt', () => {
    expect(() => connect('ws://127.0.0.1:1/', { websocket: { closeTimeout: Number.POSITIVE_INFINITY } })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/^closeTimeout must be a number of milliseconds/),
      }),
    );
  });
});
