import diagnosticsChannel from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { WebSocket, diagnosticChannelNames, type ConnectDiagnosticEvent, type WebSocketOptions } from '@keel/core';
import { startConnectProxy, type ConnectProxy, type ConnectProxyOptions } from '../connectivity/helpers/connect-proxy.js';
import { tlsFixtures } from '../connectivity/helpers/tls-fixtures.js';
import { closeNormally, opened, outcome } from './helpers/client.js';
import { useFixture } from './helpers/fixture.js';
import { startEchoServer, startRoutingServer, startSilentServer, type EchoServer } from './helpers/servers.js';

const fixture = useFixture();
const { defer, own } = fixture;
const tlsServer = (): Promise<EchoServer> => own(startEchoServer({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } }));
const proxy = (options: ConnectProxyOptions = {}): Promise<ConnectProxy> => own(startConnectProxy(options));

/** Connects with an onDiagnostic hook that records every event. */
function connect(url: string, options: WebSocketOptions = {}): { ws: WebSocket; events: ConnectDiagnosticEvent[] } {
  const events: ConnectDiagnosticEvent[] = [];
  const ws = fixture.connect(url, { ...options, onDiagnostic: (event) => events.push(event) });
  return { ws, events };
}

/** Event types in order, with repeats of the same type in a row collapsed (one lookup may report several addresses). */
function sequence(events: readonly ConnectDiagnosticEvent[]): string[] {
  return events.map((event) => event.type).filter((type, index, all) => index === 0 || all[index - 1] !== type);
}

function find<T extends ConnectDiagnosticEvent['type']>(
  events: readonly ConnectDiagnosticEvent[],
  type: T,
): Extract<ConnectDiagnosticEvent, { type: T }> {
  const event = events.find((candidate) => candidate.type === type);
  if (event === undefined) throw new Error(`no ${type} event in ${sequence(events).join(', ')}`);
  return event as Extract<ConnectDiagnosticEvent, { type: T }>;
}

describe('connection diagnostics', () => {
  it('reports lookup, tcp, proxy, tls, handshake:request and handshake:response in order for wss through a proxy', async () => {
    const server = await tlsServer();
    const through = await proxy({ credentials: { username: 'ops', password: 'hunter2' } });
    const { ws, events } = connect(`wss://localhost:${server.port}/feed`, {
      proxy: `http://ops:hunter2@localhost:${through.url.port}`,
      ca: tlsFixtures.ca,
    });
    await opened(ws);
    await closeNormally(ws);
    expect(sequence(events)).toEqual(['lookup', 'tcp', 'proxy', 'tls', 'handshake:request', 'handshake:response']);
    expect(new Set(events.map((event) => event.connectId)).size).toBe(1);
    const elapsed = events.map((event) => event.elapsedMs);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
    expect(find(events, 'lookup')).toMatchObject({ host: 'localhost' });
    expect(find(events, 'tcp')).toMatchObject({ host: 'localhost', port: Number(through.url.port) });
    const proxyEvent = find(events, 'proxy');
    expect(proxyEvent).toMatchObject({ target: `localhost:${server.port}`, status: 200 });
    expect(proxyEvent.proxy).not.toContain('hunter2');
    expect(find(events, 'tls')).toMatchObject({ peer: 'origin', servername: 'localhost', protocol: 'TLSv1.3' });
    expect(find(events, 'handshake:request')).toMatchObject({ url: `wss://localhost:${server.port}/feed` });
    expect(find(events, 'handshake:response')).toMatchObject({ url: `wss://localhost:${server.port}/feed`, status: 101 });
  });

  it('redacts Authorization and Cookie values in the handshake:request event', async () => {
    const server = await tlsServer();
    const { ws, events } = connect(`wss://localhost:${server.port}/`, {
      ca: tlsFixtures.ca,
      headers: { Authorization: 'Bearer secret-token', Cookie: 'sid=42', 'X-Trace': 'abc' },
    });
    await opened(ws);
    await closeNormally(ws);
    const headers = new Map(find(events, 'handshake:request').headers.map(([name, value]) => [name.toLowerCase(), value]));
    expect(headers.get('authorization')).toBe('[redacted]');
    expect(headers.get('cookie')).toBe('[redacted]');
    expect(headers.get('x-trace')).toBe('abc');
    expect(JSON.stringify(events.map(({ type, ...rest }) => ({ type, ...rest })))).not.toContain('secret-token');
  });

  it('publishes the same events on the keel:* diagnostics channels', async () => {
    const server = await tlsServer();
    const seen: Array<{ channel: string; event: ConnectDiagnosticEvent }> = [];
    const subscriptions = Object.values(diagnosticChannelNames).map((name) => {
      const listener = (message: unknown): void => {
        seen.push({ channel: name, event: message as ConnectDiagnosticEvent });
      };
      diagnosticsChannel.subscribe(name, listener);
      return () => diagnosticsChannel.unsubscribe(name, listener);
    });
    defer(() => {
      for (const unsubscribe of subscriptions) unsubscribe();
    });
    const { ws, events } = connect(`wss://localhost:${server.port}/`, { ca: tlsFixtures.ca });
    await opened(ws);
    await closeNormally(ws);
    const ours = seen.filter(({ event }) => event.connectId === events[0]?.connectId);
    expect(ours.map(({ event }) => event)).toEqual(events);
    expect(ours.map(({ channel }) => channel)).toEqual(events.map((event) => diagnosticChannelNames[event.type]));
    expect(sequence(events)).toEqual(['lookup', 'tcp', 'tls', 'handshake:request', 'handshake:response']);
  });

  it('ends with an error event naming the stage and code when the proxy refuses', async () => {
    const through = await proxy({ credentials: { username: 'ops', password: 'right' } });
    const { ws, events } = connect('wss://localhost:9/', { proxy: through.url.href });
    const result = await outcome(ws);
    expect(result.error?.code).toBe('ERR_PROXY_STATUS');
    expect(sequence(events)).toEqual(['tcp', 'proxy', 'error']);
    expect(find(events, 'proxy').status).toBe(407);
    expect(find(events, 'error')).toMatchObject({ stage: 'proxy', code: 'ERR_PROXY_STATUS' });
  });

  it('ends with an error event in the tls stage when the certificate is refused', async () => {
    const server = await tlsServer();
    const { ws, events } = connect(`wss://localhost:${server.port}/`);
    expect((await outcome(ws)).error?.code).toBe('ERR_TLS');
    expect(events.at(-1)).toMatchObject({ type: 'error', stage: 'tls', code: 'ERR_TLS' });
    expect(events.some((event) => event.type === 'tls')).toBe(false);
  });

  it('ends with an error event in the handshake stage when the server answers other than 101', async () => {
    const server = await own(startRoutingServer());
    const { ws, events } = connect(`ws://127.0.0.1:${server.port}/nowhere`);
    expect((await outcome(ws)).error?.code).toBe('ERR_HANDSHAKE_STATUS');
    expect(sequence(events)).toEqual(['tcp', 'handshake:request', 'handshake:response', 'error']);
    expect(find(events, 'handshake:response').status).toBe(404);
    expect(find(events, 'error')).toMatchObject({ stage: 'handshake', code: 'ERR_HANDSHAKE_STATUS' });
  });

  it('ends with an error event when the handshake times out', async () => {
    const server = await own(startSilentServer());
    const { ws, events } = connect(`ws://127.0.0.1:${server.port}/`, { handshakeTimeout: 200 });
    expect((await outcome(ws)).error?.code).toBe('ERR_HANDSHAKE_TIMEOUT');
    expect(sequence(events)).toEqual(['tcp', 'handshake:request', 'error']);
    expect(find(events, 'error')).toMatchObject({ stage: 'handshake', code: 'ERR_HANDSHAKE_TIMEOUT' });
  });

  it('ends with an error event when a redirect cannot be followed (loop)', async () => {
    const server = await own(startRoutingServer());
    server.routes.set('/a', { redirect: 302, location: '/a' });
    const { ws, events } = connect(`ws://127.0.0.1:${server.port}/a`, { followRedirects: true });
    expect((await outcome(ws)).error?.code).toBe('ERR_REDIRECT_LOOP');
    expect(sequence(events)).toEqual(['tcp', 'handshake:request', 'handshake:response', 'error']);
    expect(find(events, 'error')).toMatchObject({ stage: 'handshake', code: 'ERR_REDIRECT_LOOP' });
  });

  it('reports each hop of a followed redirect', async () => {
    const server = await own(startRoutingServer());
    server.routes.set('/old', { redirect: 302, location: '/new' });
    server.routes.set('/new', 'websocket');
    const { ws, events } = connect(`ws://127.0.0.1:${server.port}/old`, { followRedirects: true });
    await opened(ws);
    await closeNormally(ws);
    expect(sequence(events)).toEqual(['tcp', 'handshake:request', 'handshake:response', 'tcp', 'handshake:request', 'handshake:response']);
    const responses = events.filter((event) => event.type === 'handshake:response');
    expect(responses.map((event) => [event.url, event.status])).toEqual([
      [`ws://127.0.0.1:${server.port}/old`, 302],
      [`ws://127.0.0.1:${server.port}/new`, 101],
    ]);
  });

  it('keeps the connection working when the hook throws', async () => {
    const server = await tlsServer();
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }): void => {
      warnings.push(warning.code ?? '');
    };
    process.on('warning', onWarning);
    defer(() => {
      process.off('warning', onWarning);
    });
    const ws = fixture.connect(`wss://localhost:${server.port}/`, {
      ca: tlsFixtures.ca,
      onDiagnostic: () => {
        throw new Error('broken hook');
      },
    });
    await opened(ws);
    await closeNormally(ws);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toContain('KEEL_DIAGNOSTIC_HOOK');
  });
});
