import { describe, expect, it } from 'vitest';
import { HandshakeError, RedirectError } from '@keel/core';
import { startConnectProxy } from '../connectivity/helpers/connect-proxy.js';
import { openTcpSockets, settleCount } from '../connectivity/helpers/open-handles.js';
import { tlsFixtures } from '../connectivity/helpers/tls-fixtures.js';
import { closeNormally, echo, opened, outcome } from './helpers/client.js';
import { useFixture } from './helpers/fixture.js';
import { startRoutingServer, type RoutingServer } from './helpers/servers.js';

const { own, connect } = useFixture();
const server = (secure = false): Promise<RoutingServer> =>
  own(startRoutingServer(secure ? { tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } } : {}));

const credentials = {
  Authorization: 'Bearer secret-token',
  Cookie: 'sid=42',
  'Proxy-Authorization': 'Basic cHJveHk6cGFzcw==',
  'X-Trace': 'abc',
};

describe('WebSocket handshake redirects', () => {
  it('does not follow a redirect by default: ERR_HANDSHAKE_STATUS with the 302 and its Location', async () => {
    const origin = await server();
    origin.routes.set('/start', { redirect: 302, location: '/final' });
    origin.routes.set('/final', 'websocket');
    const result = await outcome(connect(`ws://127.0.0.1:${origin.port}/start`));
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(HandshakeError);
    expect(result.error?.code).toBe('ERR_HANDSHAKE_STATUS');
    expect((result.error as HandshakeError).status).toBe(302);
    expect((result.error as HandshakeError).headers).toContainEqual(['location', '/final']);
    expect(result.close.code).toBe(1006);
    expect(origin.upgrades.map((upgrade) => upgrade.url)).toEqual(['/start']);
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`follows a ${status} within the origin with followRedirects, keeping url as asked`, async () => {
      const origin = await server();
      origin.routes.set('/start', { redirect: status, location: '/final?x=1' });
      origin.routes.set('/final', 'websocket');
      const ws = connect(`ws://127.0.0.1:${origin.port}/start`, { followRedirects: true });
      await opened(ws);
      expect(await echo(ws, `after ${status}`)).toBe(`after ${status}`);
      expect(ws.url).toBe(`ws://127.0.0.1:${origin.port}/start`);
      expect((await closeNormally(ws)).wasClean).toBe(true);
      expect(origin.upgrades.map((upgrade) => upgrade.url)).toEqual(['/start', '/final?x=1']);
    });
  }

  it('keeps Authorization and Cookie on a same-origin redirect', async () => {
    const origin = await server();
    origin.routes.set('/start', { redirect: 307, location: `ws://127.0.0.1:${origin.port}/final` });
    origin.routes.set('/final', 'websocket');
    const ws = connect(`ws://127.0.0.1:${origin.port}/start`, { followRedirects: true, headers: credentials });
    await opened(ws);
    await closeNormally(ws);
    const final = origin.upgrades[1]?.headers;
    expect(final?.authorization).toBe('Bearer secret-token');
    expect(final?.cookie).toBe('sid=42');
    expect(final?.['x-trace']).toBe('abc');
  });

  it('drops Authorization and Cookie (keeps other headers) when the redirect leaves the origin; Host names the new origin', async () => {
    const first = await server();
    const second = await server();
    // http: in Location is mapped to ws: (RFC 6455 URIs; what servers behind HTTP load balancers write).
    first.routes.set('/start', { redirect: 302, location: `http://127.0.0.1:${second.port}/final` });
    second.routes.set('/final', 'websocket');
    const ws = connect(`ws://127.0.0.1:${first.port}/start`, { followRedirects: true, headers: credentials });
    await opened(ws);
    expect(await echo(ws, 'moved')).toBe('moved');
    await closeNormally(ws);
    expect(first.upgrades[0]?.headers.authorization).toBe('Bearer secret-token');
    expect(second.upgrades).toHaveLength(1);
    const final = second.upgrades[0]?.headers;
    expect(final?.authorization).toBeUndefined();
    expect(final?.cookie).toBeUndefined();
    expect(final?.['proxy-authorization']).toBeUndefined();
    expect(final?.['x-trace']).toBe('abc');
    expect(final?.host).toBe(`127.0.0.1:${second.port}`);
  });

  it('treats another port on the same host as another origin', async () => {
    const first = await server();
    const second = await server();
    first.routes.set('/start', { redirect: 308, location: `ws://127.0.0.1:${second.port}/start` });
    second.routes.set('/start', 'websocket');
    const ws = connect(`ws://127.0.0.1:${first.port}/start`, { followRedirects: true, headers: { Cookie: 'sid=42' } });
    await opened(ws);
    await closeNormally(ws);
    expect(second.upgrades[0]?.headers.cookie).toBeUndefined();
  });

  it('takes each hop through the proxy, with a CONNECT to the new origin', async () => {
    const first = await server();
    const second = await server();
    const proxy = await own(startConnectProxy());
    first.routes.set('/start', { redirect: 307, location: `ws://127.0.0.1:${second.port}/final` });
    second.routes.set('/final', 'websocket');
    const ws = connect(`ws://127.0.0.1:${first.port}/start`, { followRedirects: true, env: { HTTP_PROXY: proxy.url.href } });
    await opened(ws);
    await closeNormally(ws);
    expect(proxy.requests.map((request) => request.target)).toEqual([`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`]);
  });

  it('stops a redirect loop with ERR_REDIRECT_LOOP and leaves no socket open', async () => {
    const origin = await server();
    origin.routes.set('/a', { redirect: 302, location: '/b' });
    origin.routes.set('/b', { redirect: 302, location: '/a' });
    const result = await outcome(connect(`ws://127.0.0.1:${origin.port}/a`, { followRedirects: true }));
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(RedirectError);
    expect(result.error?.code).toBe('ERR_REDIRECT_LOOP');
    expect((result.error as RedirectError).status).toBe(302);
    expect((result.error as RedirectError).location).toBe('/a');
    expect(result.close.code).toBe(1006);
    expect(result.close.error).toBe(result.error);
    expect(origin.upgrades.map((upgrade) => upgrade.url)).toEqual(['/a', '/b']);
    expect(await settleCount(openTcpSockets, 0)).toBe(0);
  });

  it('stops after maxRedirects with ERR_TOO_MANY_REDIRECTS', async () => {
    const origin = await server();
    origin.routes.set('/r0', { redirect: 307, location: '/r1' });
    origin.routes.set('/r1', { redirect: 307, location: '/r2' });
    origin.routes.set('/r2', { redirect: 307, location: '/r3' });
    origin.routes.set('/r3', 'websocket');
    const result = await outcome(connect(`ws://127.0.0.1:${origin.port}/r0`, { followRedirects: true, maxRedirects: 2 }));
    expect(result.error?.code).toBe('ERR_TOO_MANY_REDIRECTS');
    expect(origin.upgrades.map((upgrade) => upgrade.url)).toEqual(['/r0', '/r1', '/r2']);
  });

  it('fails with ERR_REDIRECT when a redirect has no Location', async () => {
    const origin = await server();
    origin.routes.set('/start', { redirect: 302, location: '' });
    const result = await outcome(connect(`ws://127.0.0.1:${origin.port}/start`, { followRedirects: true }));
    expect(result.error?.code).toBe('ERR_REDIRECT');
  });

  it('follows a redirect within a wss: origin (TLS again on the new connection)', async () => {
    const origin = await server(true);
    origin.routes.set('/start', { redirect: 302, location: '/final' });
    origin.routes.set('/final', 'websocket');
    const ws = connect(`wss://localhost:${origin.port}/start`, { followRedirects: true, ca: tlsFixtures.ca, headers: credentials });
    await opened(ws);
    expect(await echo(ws, 'secure')).toBe('secure');
    await closeNormally(ws);
    expect(origin.upgrades.map((upgrade) => upgrade.url)).toEqual(['/start', '/final']);
    expect(origin.upgrades[1]?.headers.authorization).toBe('Bearer secret-token');
  });

  it('refuses a wss: → ws: downgrade with ERR_REDIRECT_DOWNGRADE and never contacts the plain server', async () => {
    const secure = await server(true);
    const plain = await server();
    secure.routes.set('/start', { redirect: 302, location: `ws://127.0.0.1:${plain.port}/final` });
    plain.routes.set('/final', 'websocket');
    const result = await outcome(connect(`wss://localhost:${secure.port}/start`, { followRedirects: true, ca: tlsFixtures.ca }));
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(RedirectError);
    expect(result.error?.code).toBe('ERR_REDIRECT_DOWNGRADE');
    expect(plain.upgrades).toHaveLength(0);
  });

  it('allows the downgrade with allowInsecureRedirect (and drops credentials: another origin)', async () => {
    const secure = await server(true);
    const plain = await server();
    secure.routes.set('/start', { redirect: 302, location: `ws://127.0.0.1:${plain.port}/final` });
    plain.routes.set('/final', 'websocket');
    const ws = connect(`wss://localhost:${secure.port}/start`, {
      followRedirects: true,
      allowInsecureRedirect: true,
      ca: tlsFixtures.ca,
      headers: credentials,
    });
    await opened(ws);
    await closeNormally(ws);
    expect(plain.upgrades[0]?.headers.authorization).toBeUndefined();
    expect(plain.upgrades[0]?.headers.cookie).toBeUndefined();
  });
});
