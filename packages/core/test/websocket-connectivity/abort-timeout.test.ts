import { getEventListeners } from 'node:events';
import type net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { ConnectStageError, HandshakeError, WebSocket, type ConnectDiagnosticEvent } from '@keel/core';
import { startConnectProxy, type ConnectProxy } from '../connectivity/helpers/connect-proxy.js';
import { openTcpSockets, settleCount, stableCount } from '../connectivity/helpers/open-handles.js';
import { tlsFixtures } from '../connectivity/helpers/tls-fixtures.js';
import { echo, opened, outcome, waitFor, type Outcome } from './helpers/client.js';
import { useFixture } from './helpers/fixture.js';
import {
  startEchoServer,
  startRoutingServer,
  startSilentServer,
  type EchoServer,
  type RoutingServer,
  type SilentServer,
} from './helpers/servers.js';

const { own, connect } = useFixture();
const silentServer = (): Promise<SilentServer> => own(startSilentServer());
const silentProxy = (): Promise<ConnectProxy> => own(startConnectProxy({ mode: 'silent' }));
const echoServer = (): Promise<EchoServer> => own(startEchoServer());
const tlsRoutingServer = (): Promise<RoutingServer> =>
  own(startRoutingServer({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } }));

/** A DNS lookup that never answers (the attempt stays in its lookup stage), and whether it was asked. */
function hangingLookup(): { lookup: net.LookupFunction; asked: () => boolean } {
  let asked = false;
  const lookup = ((_hostname: string, _options: unknown, _callback: unknown) => {
    asked = true;
  }) as unknown as net.LookupFunction;
  return { lookup, asked: () => asked };
}

/** The attempt failed before open with `code` in `stage`, close 1006. */
function expectStageFailure(result: Outcome, code: 'ERR_ABORTED' | 'ERR_CONNECT_TIMEOUT', stage: string): void {
  expect(result.opened).toBe(false);
  expect(result.error).toBeInstanceOf(ConnectStageError);
  expect({ code: result.error?.code, stage: (result.error as ConnectStageError).stage }).toEqual({ code, stage });
  expect(result.close.code).toBe(1006);
  expect(result.close.wasClean).toBe(false);
  expect(result.close.error).toBe(result.error);
}

/** Resolves once everything already queued (promise callbacks, process.nextTick) has run. */
const drained = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Starts an attempt with `handshakeTimeout: 200` on a fake clock (real sockets), waits until
 * `stalled()` says it reached the stage under test, then moves time: at 199 ms the WebSocket is
 * still connecting, at 200 ms the attempt fails. No wall-clock race with a busy machine.
 */
async function timeOut(start: (options: { handshakeTimeout: number }) => WebSocket, stalled: () => Promise<unknown>): Promise<Outcome> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const ws = start({ handshakeTimeout: 200 });
    const ended = outcome(ws);
    await stalled();
    vi.advanceTimersByTime(199);
    await drained();
    expect(ws.readyState).toBe(WebSocket.CONNECTING);
    vi.advanceTimersByTime(1);
    return await ended;
  } finally {
    vi.useRealTimers();
  }
}

/** The TCP sockets of this process are back to `baseline` (client and server sides closed). */
async function expectNoSocketLeft(baseline: number): Promise<void> {
  expect(await settleCount(openTcpSockets, baseline)).toBe(baseline);
}

describe('AbortSignal at each stage of the attempt', () => {
  it('aborted before the WebSocket is created: ERR_ABORTED, no connection made, the reason as cause', async () => {
    const server = await silentServer();
    const controller = new AbortController();
    const reason = new Error('user went away');
    controller.abort(reason);
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`ws://127.0.0.1:${server.port}/`, { signal: controller.signal });
    const result = await outcome(ws);
    expect(result.opened).toBe(false);
    expect(result.error?.code).toBe('ERR_ABORTED');
    expect(result.error?.cause).toBe(reason);
    expect(result.close.code).toBe(1006);
    expect(ws.readyState).toBe(WebSocket.CLOSED);
    await expectNoSocketLeft(baseline);
    expect(server.connections()).toBe(0);
  });

  it('aborted in the same tick as the constructor (before connecting started)', async () => {
    const server = await silentServer();
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`ws://127.0.0.1:${server.port}/`, { signal: controller.signal });
    controller.abort();
    const result = await outcome(ws);
    expect(result.error?.code).toBe('ERR_ABORTED');
    await expectNoSocketLeft(baseline);
    expect(server.connections()).toBe(0);
  });

  it('close() while connecting cancels the attempt the same way', async () => {
    const server = await silentServer();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`ws://127.0.0.1:${server.port}/`);
    await server.firstData;
    ws.close();
    expect(ws.readyState).toBe(WebSocket.CLOSING);
    const result = await outcome(ws);
    expect(result.opened).toBe(false);
    expect(result.error?.code).toBe('ERR_ABORTED');
    expect(result.close.code).toBe(1006);
    await expectNoSocketLeft(baseline);
  });

  it('close() right after the constructor cancels before any socket is opened', async () => {
    const server = await silentServer();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`ws://127.0.0.1:${server.port}/`);
    ws.close();
    const result = await outcome(ws);
    expect(result.opened).toBe(false);
    expect(result.error?.code).toBe('ERR_ABORTED');
    expect(result.close.code).toBe(1006);
    await expectNoSocketLeft(baseline);
    expect(server.connections()).toBe(0);
  });

  it('during the DNS lookup', async () => {
    const server = await silentServer();
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const { lookup, asked } = hangingLookup();
    const ws = connect(`ws://localhost:${server.port}/`, { signal: controller.signal, lookup });
    expect(await waitFor(asked)).toBe(true);
    controller.abort();
    expectStageFailure(await outcome(ws), 'ERR_ABORTED', 'lookup');
    await expectNoSocketLeft(baseline);
    expect(server.connections()).toBe(0);
  });

  it('during TCP to a silent proxy (right after its name was resolved)', async () => {
    const proxy = await silentProxy();
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const onDiagnostic = (event: ConnectDiagnosticEvent): void => {
      // The lookup event comes just before the stage moves to tcp; a microtask later the socket
      // is connecting (the connect completes in a later event-loop turn at the earliest).
      if (event.type === 'lookup') queueMicrotask(() => controller.abort());
    };
    const ws = connect('ws://127.0.0.1:9/', { proxy: `http://localhost:${proxy.url.port}`, signal: controller.signal, onDiagnostic });
    expectStageFailure(await outcome(ws), 'ERR_ABORTED', 'tcp');
    await expectNoSocketLeft(baseline);
    expect(proxy.requests).toHaveLength(0);
  });

  it('during the proxy CONNECT (the proxy got the request and never answers)', async () => {
    const proxy = await silentProxy();
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect('wss://localhost:9/', { proxy: proxy.url.href, signal: controller.signal, ca: tlsFixtures.ca });
    expect(await waitFor(() => proxy.requests.length === 1)).toBe(true);
    controller.abort();
    expectStageFailure(await outcome(ws), 'ERR_ABORTED', 'proxy');
    await expectNoSocketLeft(baseline);
  });

  it('during TLS (the server got the ClientHello and never answers)', async () => {
    const server = await silentServer();
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`wss://127.0.0.1:${server.port}/`, { signal: controller.signal, ca: tlsFixtures.ca });
    const hello = await server.firstData;
    expect(hello[0]).toBe(0x16); // TLS handshake record
    controller.abort();
    expectStageFailure(await outcome(ws), 'ERR_ABORTED', 'tls');
    await expectNoSocketLeft(baseline);
  });

  it('during TLS inside a proxy tunnel', async () => {
    const server = await silentServer();
    const proxy = await own(startConnectProxy());
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`wss://localhost:${server.port}/`, { proxy: proxy.url.href, signal: controller.signal, ca: tlsFixtures.ca });
    expect((await server.firstData)[0]).toBe(0x16);
    controller.abort();
    expectStageFailure(await outcome(ws), 'ERR_ABORTED', 'tls');
    await expectNoSocketLeft(baseline);
  });

  it('during the opening handshake (the server got the GET and never answers)', async () => {
    const server = await silentServer();
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`ws://127.0.0.1:${server.port}/`, { signal: controller.signal });
    expect((await server.firstData).toString('latin1')).toMatch(/^GET \/ HTTP\/1\.1\r\n/);
    controller.abort();
    expectStageFailure(await outcome(ws), 'ERR_ABORTED', 'handshake');
    await expectNoSocketLeft(baseline);
  });

  it('during the handshake over TLS, after a followed redirect (one deadline for every hop)', async () => {
    const server = await tlsRoutingServer();
    server.routes.set('/start', { redirect: 307, location: '/hang' });
    server.routes.set('/hang', 'hang');
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`wss://localhost:${server.port}/start`, { followRedirects: true, signal: controller.signal, ca: tlsFixtures.ca });
    expect(await waitFor(() => server.upgrades.length === 2)).toBe(true);
    controller.abort();
    expectStageFailure(await outcome(ws), 'ERR_ABORTED', 'handshake');
    expect(server.upgrades.map((upgrade) => upgrade.url)).toEqual(['/start', '/hang']);
    await expectNoSocketLeft(baseline);
  });

  it('after open: the connection is torn down, close 1006 with ERR_ABORTED', async () => {
    const server = await echoServer();
    const controller = new AbortController();
    const baseline = await stableCount(openTcpSockets);
    const ws = connect(`ws://127.0.0.1:${server.port}/`, { signal: controller.signal });
    await opened(ws);
    expect(await echo(ws, 'before abort')).toBe('before abort');
    const closing = outcome(ws);
    controller.abort();
    const result = await closing;
    expect(result.error?.code).toBe('ERR_ABORTED');
    expect(result.close.code).toBe(1006);
    expect(result.close.wasClean).toBe(false);
    expect(result.close.error).toBe(result.error);
    expect(ws.readyState).toBe(WebSocket.CLOSED);
    await expectNoSocketLeft(baseline);
  });

  it('an abort after the connection closed changes nothing', async () => {
    const server = await echoServer();
    const controller = new AbortController();
    const ws = connect(`ws://127.0.0.1:${server.port}/`, { signal: controller.signal });
    await opened(ws);
    // While open, the WebSocket listens to the signal (an abort tears the connection down)…
    expect(getEventListeners(controller.signal, 'abort').length).toBeGreaterThan(0);
    const closed = outcome(ws);
    ws.close(1000);
    const result = await closed;
    // …and once closed it no longer does, so an abort cannot reach it.
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    let events = 0;
    ws.addEventListener('error', () => {
      events += 1;
    });
    ws.addEventListener('close', () => {
      events += 1;
    });
    controller.abort();
    await drained();
    expect(result.close.wasClean).toBe(true);
    expect(events).toBe(0);
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });
});

describe('handshakeTimeout covers every stage', () => {
  it('ERR_HANDSHAKE_TIMEOUT once the request was sent and no answer came, at the timeout and not before', async () => {
    const server = await silentServer();
    const baseline = await stableCount(openTcpSockets);
    const result = await timeOut(
      (options) => connect(`ws://127.0.0.1:${server.port}/`, options),
      async () => expect((await server.firstData).toString('latin1')).toMatch(/^GET /),
    );
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(HandshakeError);
    expect(result.error?.code).toBe('ERR_HANDSHAKE_TIMEOUT');
    expect(result.close.code).toBe(1006);
    await expectNoSocketLeft(baseline);
  });

  it('ERR_HANDSHAKE_TIMEOUT over TLS when the server takes the request and never answers, also after a redirect', async () => {
    const server = await tlsRoutingServer();
    server.routes.set('/start', { redirect: 302, location: '/hang' });
    server.routes.set('/hang', 'hang');
    const baseline = await stableCount(openTcpSockets);
    const direct = await timeOut(
      (options) => connect(`wss://localhost:${server.port}/hang`, { ca: tlsFixtures.ca, ...options }),
      () => waitFor(() => server.upgrades.length === 1),
    );
    const redirected = await timeOut(
      (options) => connect(`wss://localhost:${server.port}/start`, { ca: tlsFixtures.ca, followRedirects: true, ...options }),
      () => waitFor(() => server.upgrades.length === 3),
    );
    for (const result of [direct, redirected]) {
      expect(result.opened).toBe(false);
      expect(result.error?.code).toBe('ERR_HANDSHAKE_TIMEOUT');
      expect(result.close.code).toBe(1006);
    }
    expect(server.upgrades.map((upgrade) => upgrade.url)).toEqual(['/hang', '/start', '/hang']);
    await expectNoSocketLeft(baseline);
  });

  it('ERR_CONNECT_TIMEOUT in the tls stage when the TLS server never answers', async () => {
    const server = await silentServer();
    const baseline = await stableCount(openTcpSockets);
    const result = await timeOut(
      (options) => connect(`wss://127.0.0.1:${server.port}/`, options),
      () => server.firstData, // the ClientHello
    );
    expectStageFailure(result, 'ERR_CONNECT_TIMEOUT', 'tls');
    await expectNoSocketLeft(baseline);
  });

  it('ERR_CONNECT_TIMEOUT in the proxy stage when the proxy never answers CONNECT', async () => {
    const proxy = await silentProxy();
    const baseline = await stableCount(openTcpSockets);
    const result = await timeOut(
      (options) => connect('ws://127.0.0.1:9/', { proxy: proxy.url.href, ...options }),
      () => waitFor(() => proxy.requests.length === 1),
    );
    expectStageFailure(result, 'ERR_CONNECT_TIMEOUT', 'proxy');
    expect(proxy.requests).toHaveLength(1);
    await expectNoSocketLeft(baseline);
  });

  it('ERR_CONNECT_TIMEOUT in the lookup stage when DNS never answers', async () => {
    const baseline = await stableCount(openTcpSockets);
    const { lookup, asked } = hangingLookup();
    const result = await timeOut(
      (options) => connect('ws://localhost:9/', { lookup, ...options }),
      () => waitFor(asked),
    );
    expectStageFailure(result, 'ERR_CONNECT_TIMEOUT', 'lookup');
    await expectNoSocketLeft(baseline);
  });

  it('does not fire once the connection is open', async () => {
    const server = await echoServer();
    // A fake clock for the timers (the sockets stay real): the handshake timer is set on it, and
    // running it far past the timeout fires the timer if opening left it armed.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const ws = connect(`ws://127.0.0.1:${server.port}/`, { handshakeTimeout: 100 });
      await opened(ws);
      vi.advanceTimersByTime(10 * 100);
      await drained();
      expect(ws.readyState).toBe(WebSocket.OPEN);
      expect(await echo(ws, 'still here')).toBe('still here');
    } finally {
      vi.useRealTimers();
    }
  });
});
