import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type ConnectOptions } from '@keel/core';
import type { ReconnectingInfo, Session, SessionError } from '@keel/session';
import { RecordingClock } from './helpers/recording-clock.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { RecordingServer, until } from './helpers/ws-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(options: ConnectOptions = {}) {
  const server = await RecordingServer.start();
  const proxy = await TcpProxy.start(server.port);
  const clock = new RecordingClock();
  const reconnecting: Array<{ at: number; info: ReconnectingInfo }> = [];
  const session = connect(proxy.url, {
    reconnect: { initialDelay: 20, maxDelay: 200, minUptime: 50 },
    heartbeat: { interval: 100, timeout: 100 },
    websocket: { handshakeTimeout: 1000, closeTimeout: 200 },
    clock,
    ...options,
  });
  session.on('reconnecting', (info) => reconnecting.push({ at: Date.now(), info }));
  cleanups.push(async () => {
    if (session.state !== 'closed') await closeSession(session);
    await proxy.close();
    await server.stop();
  });
  await until(() => session.state === 'open');
  return { server, proxy, clock, session, reconnecting };
}

function closeSession(session: Session) {
  return session.close();
}

/** The numbers 0..n-1 missing from `received`, grouped into contiguous runs. */
function missingRuns(received: readonly number[], n: number): number[][] {
  const got = new Set(received);
  const runs: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (got.has(i)) continue;
    const last = runs.at(-1);
    if (last !== undefined && last.at(-1) === i - 1) last.push(i);
    else runs.push([i]);
  }
  return runs;
}

describe('session chaos over a TCP proxy (real sockets, ws server)', () => {
  it('cuts under load: no duplicate, no reordering, losses only as one contiguous in-flight tail per cut', async () => {
    const { server, proxy, session } = await rig();
    const total = 400;
    const cuts = [60, 150, 260, 330];
    const results: string[] = [];
    for (let i = 0; i < total; i++) {
      if (cuts.includes(i)) {
        await until(() => session.state === 'open');
        proxy.cut();
      }
      results.push(session.send(String(i)));
      // Pacing, not knowledge: spreads the sends so the cuts fall mid-stream.
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await until(() => server.received.at(-1) === String(total - 1));
    const received = server.received.map(Number);
    for (let i = 1; i < received.length; i++) expect(received[i]).toBeGreaterThan(received[i - 1] as number);
    const runs = missingRuns(received, total);
    expect(runs.length).toBeLessThanOrEqual(cuts.length);
    expect(server.connections).toBeGreaterThanOrEqual(cuts.length + 1);
    expect(results).toContain('queued');
  });

  it('cuts only while idle: every message, queued ones included, arrives exactly once and in order', async () => {
    const { server, proxy, session } = await rig();
    const results: string[] = [];
    let next = 0;
    for (let round = 0; round < 5; round++) {
      for (let k = 0; k < 20; k++) results.push(session.send(String(next++)));
      await until(() => server.received.length === next);
      proxy.cut();
      await until(() => session.state !== 'open');
      // Disconnected: these wait in the queue and go first on the next connection.
      for (let k = 0; k < 10; k++) results.push(session.send(String(next++)));
      await until(() => session.state === 'open');
    }
    await until(() => server.received.length === next);
    expect(server.received).toEqual(Array.from({ length: next }, (_, i) => String(i)));
    expect(results.filter((r) => r === 'queued').length).toBeGreaterThanOrEqual(50);
    expect(server.connections).toBe(6);
  });

  it('reconnects within the configured bounds while the server is refused, then opens', async () => {
    const { proxy, session, reconnecting } = await rig({ reconnect: { initialDelay: 20, maxDelay: 80, minUptime: 50 } });
    proxy.refuse(true);
    proxy.cut();
    await until(() => reconnecting.length >= 6);
    proxy.refuse(false);
    await until(() => session.state === 'open');
    reconnecting.forEach(({ info }, i) => {
      expect(info.attempt).toBe(i + 1);
      expect(info.delay).toBeGreaterThanOrEqual(0);
      expect(info.delay).toBeLessThanOrEqual(Math.min(80, 20 * 2 ** i));
      expect(info.decision).toBe('retry');
    });
    // Each refused attempt starts no earlier than its chosen delay after the previous failure.
    const attempts = proxy.accepted.slice(1);
    expect(attempts.length).toBe(1);
    expect(attempts[0] as number).toBeGreaterThanOrEqual(
      (reconnecting.at(-1)?.at as number) + (reconnecting.at(-1)?.info.delay as number) - 2,
    );
  });

  it('detects a black-holed link within interval + timeout and reconnects', async () => {
    const { server, proxy, clock, session, reconnecting } = await rig({ heartbeat: { interval: 100, timeout: 100 } });
    await until(() => session.rtt !== undefined);
    const before = server.connections;
    const start = Date.now();
    proxy.blackHole();
    await until(() => reconnecting.length > 0);
    const detectedAfter = (reconnecting[0]?.at as number) - start;
    expect((reconnecting[0]?.info.reason.error as SessionError).code).toBe('ERR_HEARTBEAT_TIMEOUT');
    // Bounded by interval + timeout, plus however late this busy machine ran the timers.
    expect(detectedAfter).toBeLessThanOrEqual(100 + 100 + clock.maxLateness + 5);
    await until(() => session.state === 'open');
    expect(server.connections).toBe(before + 1);
  });

  it('delivers in order through a slow link (delay), and measures the added round trip', async () => {
    const { server, proxy, session } = await rig({ heartbeat: { interval: 40, timeout: 400 } });
    proxy.delay = 30;
    const rtts: number[] = [];
    session.on('rtt', (rtt) => rtts.push(rtt));
    for (let i = 0; i < 50; i++) session.send(String(i));
    await until(() => server.received.length === 50 && rtts.length >= 2);
    expect(server.received).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect(Math.max(...rtts)).toBeGreaterThanOrEqual(60);
  });

  it('leaks no timer, listener or socket after close()', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const server = await RecordingServer.start();
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(async () => {
      await proxy.close();
      await server.stop();
    });
    const baseline = sockets();
    const controller = new AbortController();
    const clock = new RecordingClock();
    const session = connect(proxy.url, {
      reconnect: { initialDelay: 10, maxDelay: 50 },
      heartbeat: { interval: 30, timeout: 100 },
      websocket: { closeTimeout: 200 },
      signal: controller.signal,
      clock,
    });
    const loop = (async () => {
      const seen: unknown[] = [];
      for await (const m of session) seen.push(m);
      return seen;
    })();
    await until(() => session.state === 'open');
    proxy.cut();
    await until(() => session.state === 'open' && server.connections === 2 && server.clients.size === 1);
    let heard = false;
    session.once('message', () => (heard = true));
    server.clients.forEach((c) => c.send('hello'));
    await until(() => heard && session.rtt !== undefined);
    expect(sockets()).toBeGreaterThan(baseline);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const info = await session.close(1000, 'done');
    expect(info.wasClean).toBe(true);
    expect(await loop).toEqual(['hello']);
    await until(() => proxy.open === 0 && sockets() <= baseline);
    expect(clock.pending).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(session.eventNames()).toEqual([]);
  });
});
