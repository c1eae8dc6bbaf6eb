import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectDeadline } from '../../src/node/connectivity/connect-deadline.js';
import { openConnection, type ConnectivityOptions, type OpenedConnection } from '../../src/node/connectivity/open-connection.js';
import { formatUnixSocketUrl } from '../../src/node/connectivity/unix-socket-url.js';
import { startConnectProxy, type ConnectProxy } from './helpers/connect-proxy.js';
import { openTcpSockets, settleCount } from './helpers/open-handles.js';
import { readUntil, startTcpEchoOrigin, startTlsEchoOrigin, type TestOrigin } from './helpers/origins.js';
import { tlsFixtures } from './helpers/tls-fixtures.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await settleCount(openTcpSockets, 0);
});

async function open(url: string, options: ConnectivityOptions): Promise<OpenedConnection> {
  const deadline = new ConnectDeadline({ timeout: 10_000 });
  try {
    const opened = await openConnection(new URL(url), options, deadline);
    cleanups.push(() => {
      opened.socket.destroy();
    });
    return opened;
  } finally {
    deadline.finish();
  }
}
async function proxy(options: Parameters<typeof startConnectProxy>[0] = {}): Promise<ConnectProxy> {
  const started = await startConnectProxy(options);
  cleanups.push(() => started.close());
  return started;
}
async function plainOrigin(): Promise<TestOrigin> {
  const origin = await startTcpEchoOrigin();
  cleanups.push(() => origin.close());
  return origin;
}
async function tlsOrigin(requestCert = false): Promise<TestOrigin> {
  const origin = await startTlsEchoOrigin({
    key: tlsFixtures.serverKey,
    cert: tlsFixtures.serverCert,
    ...(requestCert ? { ca: tlsFixtures.ca, requestCert: true } : {}),
  });
  cleanups.push(() => origin.close());
  return origin;
}

describe('openConnection', () => {
  it('connects ws: directly and tells the handshake its resource and Host', async () => {
    const origin = await plainOrigin();
    const opened = await open(`ws://127.0.0.1:${origin.port}/chat?room=1`, { env: {} });
    expect(opened.resource).toBe('/chat?room=1');
    expect(opened.hostHeader).toBe(`127.0.0.1:${origin.port}`);
    expect(opened.proxy).toBeUndefined();
    expect(opened.socket.isPaused()).toBe(true);
    expect(await readUntil(opened.socket, '\n')).toBe('hello plain\n');
  });

  it('takes ws: through HTTP_PROXY from the environment', async () => {
    const origin = await plainOrigin();
    const through = await proxy();
    const opened = await open(`ws://localhost:${origin.port}/`, { env: { HTTP_PROXY: through.url.href } });
    expect(opened.proxy?.href).toBe(through.url.href);
    expect(await readUntil(opened.socket, '\n')).toBe('hello plain\n');
    expect(through.requests.map((request) => request.target)).toEqual([`localhost:${origin.port}`]);
  });

  it('goes direct when NO_PROXY names the host', async () => {
    const origin = await plainOrigin();
    const through = await proxy();
    const opened = await open(`ws://127.0.0.1:${origin.port}/`, {
      env: { http_proxy: through.url.href, no_proxy: 'example.com, 127.0.0.1' },
    });
    expect(opened.proxy).toBeUndefined();
    expect(await readUntil(opened.socket, '\n')).toBe('hello plain\n');
    expect(through.requests).toHaveLength(0);
  });

  it('takes wss: through HTTPS_PROXY, with TLS to the origin inside the tunnel', async () => {
    const origin = await tlsOrigin();
    const through = await proxy({ credentials: { username: 'ops', password: 's3cr3t' } });
    const proxyUrl = `http://ops:s3cr3t@127.0.0.1:${through.url.port}`;
    const opened = await open(`wss://localhost:${origin.port}/`, {
      env: { HTTPS_PROXY: proxyUrl, HTTP_PROXY: 'http://wrong.invalid:1' },
      ca: tlsFixtures.ca,
    });
    expect((opened.socket as tls.TLSSocket).authorized).toBe(true);
    expect(await readUntil(opened.socket, '\n')).toBe('hello localhost\n');
    expect(origin.servernames).toEqual(['localhost']);
    expect(through.tunnels).toBe(1);
  });

  it('takes wss: through an https:// proxy with a client certificate for the origin', async () => {
    const origin = await tlsOrigin(true);
    const through = await proxy({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } });
    const opened = await open(`wss://localhost:${origin.port}/`, {
      env: {},
      proxy: through.url,
      proxyTls: { ca: tlsFixtures.ca },
      ca: tlsFixtures.ca,
      cert: tlsFixtures.clientCert,
      key: tlsFixtures.clientKey,
    });
    expect(await readUntil(opened.socket, '\n')).toBe('hello localhost\n');
    expect(origin.clientErrors).toEqual([]);
  });

  it('uses the servername option for SNI and verification', async () => {
    const origin = await tlsOrigin();
    const opened = await open(`wss://127.0.0.1:${origin.port}/`, { env: {}, ca: tlsFixtures.ca, servername: 'localhost' });
    expect(await readUntil(opened.socket, '\n')).toBe('hello localhost\n');
  });

  it('carries the status of a refusing proxy and closes everything', async () => {
    const through = await proxy({ credentials: { username: 'ops', password: 'right' } });
    const deadline = new ConnectDeadline();
    await expect(
      openConnection(new URL('wss://localhost:9/'), { env: {}, proxy: `http://ops:wrong@127.0.0.1:${through.url.port}` }, deadline),
    ).rejects.toMatchObject({
      code: 'ERR_PROXY_STATUS',
      status: 407,
    });
    deadline.finish();
    expect(await settleCount(openTcpSockets, 0)).toBe(0);
  });

  it('connects ws+unix: URLs to the socket, with the request path as resource', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-unix-'));
    const path = join(dir, 'ws.sock');
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end('hello unix\n');
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    cleanups.push(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });
    const opened = await open(formatUnixSocketUrl(path, '/events?since=3').href, { env: { ALL_PROXY: 'http://never.invalid:1' } });
    expect(opened).toMatchObject({ resource: '/events?since=3', hostHeader: 'localhost', proxy: undefined });
    expect(await readUntil(opened.socket, '\n')).toBe('hello unix\n');
  });

  it('reports a failed DNS lookup as ERR_CONNECT in the lookup stage', async () => {
    const deadline = new ConnectDeadline();
    const lookup: net.LookupFunction = (hostname, _options, callback) => {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    };
    await expect(openConnection(new URL('wss://no-such-host.test/'), { env: {}, lookup }, deadline)).rejects.toMatchObject({
      code: 'ERR_CONNECT',
      stage: 'lookup',
      systemCode: 'ENOTFOUND',
    });
    deadline.finish();
  });

  it('refuses a scheme that is not ws:, wss: or ws+unix:', async () => {
    const deadline = new ConnectDeadline();
    await expect(openConnection(new URL('http://127.0.0.1:9/'), { env: {} }, deadline)).rejects.toMatchObject({ code: 'ERR_INVALID_URL' });
    deadline.finish();
  });
});
