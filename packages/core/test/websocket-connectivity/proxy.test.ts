import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConnectStageError, ProxyError, TlsError, WebSocket, type WebSocketOptions } from '@keel/core';
import { startConnectProxy, type ConnectProxy, type ConnectProxyOptions } from '../connectivity/helpers/connect-proxy.js';
import { tlsFixtures } from '../connectivity/helpers/tls-fixtures.js';
import { outcome, roundTrip as exchange } from './helpers/client.js';
import { useFixture } from './helpers/fixture.js';
import { startEchoServer, type EchoServer } from './helpers/servers.js';

const { own, connect } = useFixture();
const proxy = (options: ConnectProxyOptions = {}): Promise<ConnectProxy> => own(startConnectProxy(options));
const plainServer = (): Promise<EchoServer> => own(startEchoServer());
const tlsServer = (): Promise<EchoServer> => own(startEchoServer({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } }));

/** Opens `url`, checks the echo, closes cleanly. */
async function roundTrip(url: string, options: WebSocketOptions): Promise<void> {
  expect(await exchange(connect(url, options), 'through the tunnel')).toEqual({ echoed: 'through the tunnel', wasClean: true });
}

/** A port nothing listens on (listened on, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('WebSocket through an HTTP CONNECT proxy', () => {
  it('takes ws:// through the `proxy` option: CONNECT names the origin, the origin sees the handshake', async () => {
    const server = await plainServer();
    const through = await proxy();
    await roundTrip(`ws://127.0.0.1:${server.port}/chat?room=1`, { proxy: through.url.href, env: {} });
    expect(through.requests.map((request) => request.target)).toEqual([`127.0.0.1:${server.port}`]);
    expect(through.tunnels).toBe(1);
    expect(server.upgrades).toHaveLength(1);
    expect(server.upgrades[0]?.url).toBe('/chat?room=1');
    expect(server.upgrades[0]?.headers.host).toBe(`127.0.0.1:${server.port}`);
  });

  it('takes wss://localhost through the proxy with TLS to the origin inside the tunnel (SNI localhost, test CA)', async () => {
    const server = await tlsServer();
    const through = await proxy();
    await roundTrip(`wss://localhost:${server.port}/secure`, { proxy: through.url, ca: tlsFixtures.ca, env: {} });
    expect(through.requests.map((request) => request.target)).toEqual([`localhost:${server.port}`]);
    expect(server.servernames).toEqual(['localhost']);
    expect(server.upgrades[0]?.url).toBe('/secure');
    expect(server.upgrades[0]?.headers.host).toBe(`localhost:${server.port}`);
  });

  it('still verifies the origin certificate inside the tunnel: no test CA, no connection', async () => {
    const server = await tlsServer();
    const through = await proxy();
    const result = await outcome(connect(`wss://localhost:${server.port}/`, { proxy: through.url.href, env: {} }));
    expect(result.opened).toBe(false);
    expect(result.error?.code).toBe('ERR_TLS');
    expect(through.tunnels).toBe(1);
    expect(server.upgrades).toHaveLength(0);
  });

  it('reads HTTP_PROXY for ws:// and HTTPS_PROXY for wss://', async () => {
    const plain = await plainServer();
    const secure = await tlsServer();
    const forPlain = await proxy();
    const forSecure = await proxy();
    const env = { HTTP_PROXY: forPlain.url.href, HTTPS_PROXY: forSecure.url.href };
    await roundTrip(`ws://127.0.0.1:${plain.port}/`, { env });
    await roundTrip(`wss://localhost:${secure.port}/`, { env, ca: tlsFixtures.ca });
    expect(forPlain.requests.map((request) => request.target)).toEqual([`127.0.0.1:${plain.port}`]);
    expect(forSecure.requests.map((request) => request.target)).toEqual([`localhost:${secure.port}`]);
    expect(secure.servernames).toEqual(['localhost']);
  });

  it('reads the lower-case https_proxy and falls back to ALL_PROXY', async () => {
    const secure = await tlsServer();
    const plain = await plainServer();
    const lower = await proxy();
    const all = await proxy();
    await roundTrip(`wss://localhost:${secure.port}/`, { env: { https_proxy: lower.url.href }, ca: tlsFixtures.ca });
    await roundTrip(`ws://127.0.0.1:${plain.port}/`, { env: { ALL_PROXY: all.url.href } });
    expect(lower.requests).toHaveLength(1);
    expect(all.requests.map((request) => request.target)).toEqual([`127.0.0.1:${plain.port}`]);
  });

  it('does not use HTTPS_PROXY for ws:// (each scheme reads its own variable)', async () => {
    const plain = await plainServer();
    const through = await proxy();
    await roundTrip(`ws://127.0.0.1:${plain.port}/`, { env: { HTTPS_PROXY: through.url.href } });
    expect(through.requests).toHaveLength(0);
    expect(plain.upgrades).toHaveLength(1);
  });

  it('goes direct when NO_PROXY matches (host, host:port, *, domain suffix) and through the proxy when it does not', async () => {
    const plain = await plainServer();
    const secure = await tlsServer();
    const through = await proxy();
    const cases: Array<{ url: string; noProxy: string; proxied: boolean }> = [
      { url: `ws://127.0.0.1:${plain.port}/`, noProxy: 'example.com, 127.0.0.1', proxied: false },
      { url: `ws://127.0.0.1:${plain.port}/`, noProxy: `127.0.0.1:${plain.port}`, proxied: false },
      { url: `ws://127.0.0.1:${plain.port}/`, noProxy: `127.0.0.1:${plain.port + 1}`, proxied: true },
      { url: `ws://127.0.0.1:${plain.port}/`, noProxy: '*', proxied: false },
      { url: `ws://127.0.0.1:${plain.port}/`, noProxy: 'example.com,.internal', proxied: true },
      { url: `wss://localhost:${secure.port}/`, noProxy: '.localhost', proxied: false },
      { url: `wss://localhost:${secure.port}/`, noProxy: 'LOCALHOST', proxied: false },
      { url: `wss://localhost:${secure.port}/`, noProxy: 'otherhost', proxied: true },
    ];
    for (const { url, noProxy, proxied } of cases) {
      const before = through.requests.length;
      await roundTrip(url, { env: { HTTP_PROXY: through.url.href, HTTPS_PROXY: through.url.href, NO_PROXY: noProxy }, ca: tlsFixtures.ca });
      expect({ url, noProxy, proxied: through.requests.length > before }).toEqual({ url, noProxy, proxied });
    }
  });

  it('reads the lower-case no_proxy, and the `noProxy` option applies to an explicit proxy', async () => {
    const plain = await plainServer();
    const through = await proxy();
    await roundTrip(`ws://127.0.0.1:${plain.port}/`, { env: { http_proxy: through.url.href, no_proxy: '127.0.0.1' } });
    await roundTrip(`ws://127.0.0.1:${plain.port}/`, { proxy: through.url.href, noProxy: '127.0.0.1', env: {} });
    expect(through.requests).toHaveLength(0);
    expect(plain.upgrades).toHaveLength(2);
  });

  it('ignores the environment with proxy: false', async () => {
    const plain = await plainServer();
    const through = await proxy();
    await roundTrip(`ws://127.0.0.1:${plain.port}/`, { proxy: false, env: { HTTP_PROXY: through.url.href } });
    expect(through.requests).toHaveLength(0);
  });

  it('sends Basic credentials from the proxy URL (percent-decoded) to the proxy only', async () => {
    const secure = await tlsServer();
    const through = await proxy({ credentials: { username: 'keel user', password: 'p@ss:word' } });
    const withCredentials = new URL(through.url.href);
    withCredentials.username = encodeURIComponent('keel user');
    withCredentials.password = encodeURIComponent('p@ss:word');
    await roundTrip(`wss://localhost:${secure.port}/`, { proxy: withCredentials.href, ca: tlsFixtures.ca, env: {} });
    expect(through.tunnels).toBe(1);
    expect(through.requests[0]?.headers['proxy-authorization']).toBe(`Basic ${Buffer.from('keel user:p@ss:word').toString('base64')}`);
    expect(secure.upgrades[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('takes credentials from HTTP_PROXY too', async () => {
    const plain = await plainServer();
    const through = await proxy({ credentials: { username: 'env', password: 'secret' } });
    await roundTrip(`ws://127.0.0.1:${plain.port}/`, { env: { HTTP_PROXY: `http://env:secret@127.0.0.1:${through.url.port}` } });
    expect(through.tunnels).toBe(1);
  });

  it('fails with ERR_PROXY_STATUS 407 when the credentials are wrong, and never reaches the origin', async () => {
    const plain = await plainServer();
    const through = await proxy({ credentials: { username: 'user', password: 'right' } });
    const result = await outcome(
      connect(`ws://127.0.0.1:${plain.port}/`, { proxy: `http://user:wrong@127.0.0.1:${through.url.port}`, env: {} }),
    );
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(ProxyError);
    expect(result.error?.code).toBe('ERR_PROXY_STATUS');
    expect((result.error as ProxyError).status).toBe(407);
    expect((result.error as ProxyError).headers).toContainEqual(['proxy-authenticate', 'Basic realm="keel-test"']);
    expect(result.close.code).toBe(1006);
    expect(result.close.wasClean).toBe(false);
    expect(result.close.error).toBe(result.error);
    expect(plain.upgrades).toHaveLength(0);
  });

  it('fails with ERR_PROXY_STATUS 407 when the proxy wants credentials and none are given', async () => {
    const secure = await tlsServer();
    const through = await proxy({ credentials: { username: 'user', password: 'right' } });
    const result = await outcome(
      connect(`wss://localhost:${secure.port}/`, { env: { HTTPS_PROXY: through.url.href }, ca: tlsFixtures.ca }),
    );
    expect(result.error?.code).toBe('ERR_PROXY_STATUS');
    expect((result.error as ProxyError).status).toBe(407);
    expect(through.requests[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('fails with ERR_PROXY_STATUS 403 when the proxy refuses the tunnel', async () => {
    const plain = await plainServer();
    const through = await proxy({ mode: 'refuse' });
    const ws = connect(`ws://127.0.0.1:${plain.port}/`, { proxy: through.url.href, env: {} });
    const result = await outcome(ws);
    expect(result.opened).toBe(false);
    expect(result.error?.code).toBe('ERR_PROXY_STATUS');
    expect((result.error as ProxyError).status).toBe(403);
    expect(result.close.code).toBe(1006);
    expect(ws.readyState).toBe(WebSocket.CLOSED);
    expect(plain.upgrades).toHaveLength(0);
  });

  it('fails with ERR_PROXY when the proxy answers garbage', async () => {
    const plain = await plainServer();
    const through = await proxy({ mode: { raw: 'SSH-2.0-OpenSSH_9.2\r\n\r\n' } });
    const result = await outcome(connect(`ws://127.0.0.1:${plain.port}/`, { proxy: through.url.href, env: {} }));
    expect(result.error?.code).toBe('ERR_PROXY');
  });

  it('fails with ERR_CONNECT (ECONNREFUSED) when nothing listens at the proxy address', async () => {
    const plain = await plainServer();
    const port = await closedPort();
    const result = await outcome(connect(`ws://127.0.0.1:${plain.port}/`, { proxy: `http://127.0.0.1:${port}`, env: {} }));
    expect(result.error).toBeInstanceOf(ConnectStageError);
    expect(result.error?.code).toBe('ERR_CONNECT');
    expect((result.error as ConnectStageError).systemCode).toBe('ECONNREFUSED');
    expect(plain.upgrades).toHaveLength(0);
  });

  it('speaks TLS to an https:// proxy (proxyTls.ca), then TLS to the origin inside it', async () => {
    const secure = await tlsServer();
    const through = await proxy({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } });
    expect(through.url.protocol).toBe('https:');
    await roundTrip(`wss://localhost:${secure.port}/`, {
      proxy: through.url.href,
      proxyTls: { ca: tlsFixtures.ca },
      ca: tlsFixtures.ca,
      env: {},
    });
    expect(through.tunnels).toBe(1);
    expect(secure.servernames).toEqual(['localhost']);
  });

  it('takes ws:// through an https:// proxy named by HTTP_PROXY', async () => {
    const plain = await plainServer();
    const through = await proxy({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } });
    await roundTrip(`ws://127.0.0.1:${plain.port}/`, { env: { HTTP_PROXY: through.url.href }, proxyTls: { ca: tlsFixtures.ca } });
    expect(through.requests.map((request) => request.target)).toEqual([`127.0.0.1:${plain.port}`]);
  });

  it('fails with ERR_PROXY_STATUS 502 when the proxy cannot reach the origin', async () => {
    const through = await proxy();
    const port = await closedPort();
    const result = await outcome(connect(`ws://127.0.0.1:${port}/`, { proxy: through.url.href }));
    expect(result.error?.code).toBe('ERR_PROXY_STATUS');
    expect((result.error as ProxyError).status).toBe(502);
  });

  it('refuses an https:// proxy whose certificate it cannot verify (ERR_TLS, peer proxy)', async () => {
    const secure = await tlsServer();
    const through = await proxy({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } });
    const result = await outcome(connect(`wss://localhost:${secure.port}/`, { proxy: through.url.href, ca: tlsFixtures.ca, env: {} }));
    expect(result.error?.code).toBe('ERR_TLS');
    expect((result.error as TlsError).peer).toBe('proxy');
    expect(through.requests).toHaveLength(0);
  });
});
