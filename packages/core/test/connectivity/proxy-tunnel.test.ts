import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectStageError, ProxyError, TlsError } from '../../src/node/connectivity/connectivity-errors.js';
import { buildConnectRequest, openTunnel, parseProxyResponseHead, upgradeToTls } from '../../src/node/connectivity/proxy-tunnel.js';
import { startConnectProxy, type ConnectProxy } from './helpers/connect-proxy.js';
import { openTcpSockets, settleCount } from './helpers/open-handles.js';
import { readUntil, startTcpEchoOrigin, startTlsEchoOrigin, type TestOrigin } from './helpers/origins.js';
import { tlsFixtures } from './helpers/tls-fixtures.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  // Every socket of the test is gone before the next one counts its own.
  await settleCount(openTcpSockets, 0);
});

async function proxyWith(options: Parameters<typeof startConnectProxy>[0] = {}): Promise<ConnectProxy> {
  const proxy = await startConnectProxy(options);
  cleanups.push(() => proxy.close());
  return proxy;
}
async function plainOrigin(): Promise<TestOrigin> {
  const origin = await startTcpEchoOrigin();
  cleanups.push(() => origin.close());
  return origin;
}
async function tlsOrigin(options: Partial<Parameters<typeof startTlsEchoOrigin>[0]> = {}): Promise<TestOrigin> {
  const origin = await startTlsEchoOrigin({ key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert, ...options });
  cleanups.push(() => origin.close());
  return origin;
}
function keep<T extends net.Socket>(socket: T): T {
  cleanups.push(() => {
    socket.destroy();
  });
  return socket;
}
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('openTunnel through an http:// proxy', () => {
  it('tunnels to a plain origin with a well-formed CONNECT', async () => {
    const proxy = await proxyWith();
    const origin = await plainOrigin();
    const socket = keep(
      await openTunnel({ proxy: proxy.url, targetHost: '127.0.0.1', targetPort: origin.port, headers: { 'User-Agent': 'keel-test' } }),
    );
    expect(await readUntil(socket, '\n')).toBe('hello plain\n');
    socket.write('ping\n');
    expect(await readUntil(socket, 'ping\n')).toBe('ping\n');
    expect(proxy.tunnels).toBe(1);
    expect(proxy.requests).toHaveLength(1);
    expect(proxy.requests[0]?.target).toBe(`127.0.0.1:${origin.port}`);
    expect(proxy.requests[0]?.headers.host).toBe(`127.0.0.1:${origin.port}`);
    expect(proxy.requests[0]?.headers['user-agent']).toBe('keel-test');
    expect(proxy.requests[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('runs TLS to the origin inside the tunnel with the origin name as SNI', async () => {
    const proxy = await proxyWith();
    const origin = await tlsOrigin();
    const tunnel = keep(await openTunnel({ proxy: proxy.url, targetHost: 'localhost', targetPort: origin.port }));
    const secure = keep(await upgradeToTls(tunnel, { servername: 'localhost', ca: tlsFixtures.ca }));
    expect(secure.authorized).toBe(true);
    expect(await readUntil(secure, '\n')).toBe('hello localhost\n');
    expect(origin.servernames).toEqual(['localhost']);
    expect(proxy.requests[0]?.target).toBe(`localhost:${origin.port}`);
  });

  it('sends Basic credentials from the URL, percent-decoded, and the proxy accepts them', async () => {
    const proxy = await proxyWith({ credentials: { username: 'user@corp', password: 'p:ss wörd' } });
    const origin = await plainOrigin();
    const url = new URL(`http://user%40corp:p%3Ass%20w%C3%B6rd@127.0.0.1:${proxy.url.port}`);
    const socket = keep(await openTunnel({ proxy: url, targetHost: '127.0.0.1', targetPort: origin.port }));
    expect(await readUntil(socket, '\n')).toBe('hello plain\n');
    expect(proxy.requests[0]?.headers['proxy-authorization']).toBe(`Basic ${Buffer.from('user@corp:p:ss wörd').toString('base64')}`);
  });

  it('reports refused credentials as ERR_PROXY_STATUS 407 with the proxy headers, and closes the socket', async () => {
    const proxy = await proxyWith({ credentials: { username: 'user', password: 'right' } });
    const origin = await plainOrigin();
    const before = openTcpSockets();
    const wrong = new URL(`http://user:wrong@127.0.0.1:${proxy.url.port}`);
    const error = await rejection(openTunnel({ proxy: wrong, targetHost: '127.0.0.1', targetPort: origin.port }));
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ code: 'ERR_PROXY_STATUS', status: 407, statusText: 'Proxy Authentication Required' });
    expect((error as ProxyError).headers).toContainEqual(['proxy-authenticate', 'Basic realm="keel-test"']);
    const missing = await rejection(openTunnel({ proxy: proxy.url, targetHost: '127.0.0.1', targetPort: origin.port }));
    expect(missing).toMatchObject({ code: 'ERR_PROXY_STATUS', status: 407 });
    expect(proxy.tunnels).toBe(0);
    expect(await settleCount(openTcpSockets, before)).toBe(before);
  });

  it('reports a refusing proxy as ERR_PROXY_STATUS 403', async () => {
    const proxy = await proxyWith({ mode: 'refuse' });
    const error = await rejection(openTunnel({ proxy: proxy.url, targetHost: 'localhost', targetPort: 9 }));
    expect(error).toMatchObject({ code: 'ERR_PROXY_STATUS', status: 403, statusText: 'Forbidden' });
    expect((error as Error).message).toContain('403');
  });

  it('keeps bytes the proxy sent right after its 200 answer', async () => {
    const proxy = await proxyWith({ afterResponse: Buffer.from('early-bytes|') });
    const origin = await plainOrigin();
    const socket = keep(await openTunnel({ proxy: proxy.url, targetHost: '127.0.0.1', targetPort: origin.port }));
    expect(await readUntil(socket, 'hello plain\n')).toBe('early-bytes|hello plain\n');
  });

  it('reports a proxy that hangs up without answering as ERR_PROXY', async () => {
    const proxy = await proxyWith({ mode: { raw: '' } });
    expect(await rejection(openTunnel({ proxy: proxy.url, targetHost: 'localhost', targetPort: 9 }))).toMatchObject({ code: 'ERR_PROXY' });
  });

  it('reports a malformed answer as ERR_PROXY', async () => {
    const proxy = await proxyWith({ mode: { raw: 'SSH-2.0-OpenSSH\r\n\r\n' } });
    expect(await rejection(openTunnel({ proxy: proxy.url, targetHost: 'localhost', targetPort: 9 }))).toMatchObject({ code: 'ERR_PROXY' });
  });

  it('bounds the size of the answer', async () => {
    const proxy = await proxyWith({ mode: { raw: `HTTP/1.1 200 OK\r\nX-Pad: ${'a'.repeat(2000)}\r\n` } });
    const error = await rejection(openTunnel({ proxy: proxy.url, targetHost: 'localhost', targetPort: 9, maxResponseSize: 1024 }));
    expect(error).toMatchObject({ code: 'ERR_PROXY_RESPONSE_TOO_LARGE' });
  });

  it('reports an unreachable proxy as ERR_CONNECT with the system code', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(openTunnel({ proxy: new URL(`http://127.0.0.1:${port}`), targetHost: 'localhost', targetPort: 9 }));
    expect(error).toBeInstanceOf(ConnectStageError);
    expect(error).toMatchObject({ code: 'ERR_CONNECT', stage: 'tcp', systemCode: 'ECONNREFUSED' });
  });

  it('stops at its own timeout when the proxy never answers', async () => {
    const proxy = await proxyWith({ mode: 'silent' });
    const before = openTcpSockets();
    const error = await rejection(openTunnel({ proxy: proxy.url, targetHost: 'localhost', targetPort: 9, timeout: 1_000 }));
    expect(error).toMatchObject({ code: 'ERR_CONNECT_TIMEOUT', stage: 'proxy' });
    expect(proxy.requests).toHaveLength(1);
    expect(await settleCount(openTcpSockets, before)).toBe(before);
  });
});

describe('openTunnel through an https:// proxy', () => {
  it('speaks TLS to the proxy, then TLS to the origin inside the tunnel', async () => {
    const proxy = await proxyWith({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } });
    const origin = await tlsOrigin();
    expect(proxy.url.protocol).toBe('https:');
    const tunnel = keep(
      await openTunnel({ proxy: proxy.url, targetHost: 'localhost', targetPort: origin.port, proxyTls: { ca: tlsFixtures.ca } }),
    );
    const secure = keep(await upgradeToTls(tunnel, { servername: 'localhost', ca: tlsFixtures.ca }));
    expect(await readUntil(secure, '\n')).toBe('hello localhost\n');
    secure.write('over two TLS layers\n');
    expect(await readUntil(secure, 'layers\n')).toBe('over two TLS layers\n');
    expect(origin.servernames).toEqual(['localhost']);
    expect(proxy.tunnels).toBe(1);
  });

  it('refuses a proxy certificate it cannot verify, as ERR_TLS from the proxy', async () => {
    const proxy = await proxyWith({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } });
    const error = await rejection(openTunnel({ proxy: proxy.url, targetHost: 'localhost', targetPort: 9 }));
    expect(error).toBeInstanceOf(TlsError);
    expect(error).toMatchObject({ code: 'ERR_TLS', peer: 'proxy', tlsCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(proxy.requests).toHaveLength(0);
  });
});

describe('buildConnectRequest', () => {
  const proxy = new URL('http://proxy:3128');

  it('writes the authority as request target and Host, brackets for IPv6', () => {
    expect(buildConnectRequest({ proxy, targetHost: 'example.com', targetPort: 443 }).text).toBe(
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    );
    expect(buildConnectRequest({ proxy, targetHost: '::1', targetPort: 8080 }).authority).toBe('[::1]:8080');
    expect(buildConnectRequest({ proxy, targetHost: '[2001:db8::1]', targetPort: 443 }).authority).toBe('[2001:db8::1]:443');
  });

  it('uses a caller Proxy-Authorization instead of the URL credentials', () => {
    const text = buildConnectRequest({
      proxy: new URL('http://u:p@proxy:1'),
      targetHost: 'h',
      targetPort: 1,
      headers: { 'proxy-authorization': 'Bearer t' },
    }).text;
    expect(text).toContain('proxy-authorization: Bearer t\r\n');
    expect(text).not.toContain('Basic');
  });

  it('sends a user with an empty password as "user:"', () => {
    const text = buildConnectRequest({ proxy: new URL('http://alice@proxy:1'), targetHost: 'h', targetPort: 1 }).text;
    expect(text).toContain(`Proxy-Authorization: Basic ${Buffer.from('alice:').toString('base64')}\r\n`);
  });

  it('refuses header and request-line injection', () => {
    expect(() => buildConnectRequest({ proxy, targetHost: 'h', targetPort: 1, headers: { 'X-A': 'v\r\nX-B: w' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_HEADER' }),
    );
    expect(() => buildConnectRequest({ proxy, targetHost: 'h', targetPort: 1, headers: { 'Bad Name': 'v' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_HEADER' }),
    );
    expect(() => buildConnectRequest({ proxy, targetHost: 'h HTTP/1.1\r\nX: y', targetPort: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_URL' }),
    );
    expect(() => buildConnectRequest({ proxy, targetHost: 'h', targetPort: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_URL' }),
    );
    expect(() => buildConnectRequest({ proxy, targetHost: 'h', targetPort: 65_536 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_URL' }),
    );
  });

  it('refuses malformed percent-encoding in the credentials', () => {
    expect(() => buildConnectRequest({ proxy: new URL('http://u%ZZ:p@proxy:1'), targetHost: 'h', targetPort: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_URL' }),
    );
  });
});

describe('parseProxyResponseHead', () => {
  const parse = (text: string, max?: number) => parseProxyResponseHead(Buffer.from(text, 'latin1'), max);

  it('waits for the end of the header block', () => {
    expect(parse('HTTP/1.1 200 Connection established\r\n')).toBeUndefined();
    expect(parse('HTTP/1.1 200 Connection established\r\nVia: x\r\n\r')).toBeUndefined();
  });

  it('parses status, reason, headers and keeps the rest', () => {
    const head = parse('HTTP/1.1 200 Connection established\r\nVia: 1.1 proxy\r\nContent-Length: 5\r\n\r\nXYZ');
    expect(head?.status).toBe(200);
    expect(head?.statusText).toBe('Connection established');
    expect(head?.headers).toEqual([
      ['via', '1.1 proxy'],
      ['content-length', '5'],
    ]);
    expect(head?.rest.toString()).toBe('XYZ');
  });

  it('accepts HTTP/1.0, no reason phrase and bare LF line ends', () => {
    expect(parse('HTTP/1.0 200\n\n')?.status).toBe(200);
    expect(parse('HTTP/1.0 200 \r\n\r\n')?.statusText).toBe('');
  });

  it('skips interim 1xx answers', () => {
    const head = parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nafter');
    expect(head?.status).toBe(200);
    expect(head?.rest.toString()).toBe('after');
    expect(parse('HTTP/1.1 100 Continue\r\n\r\n')).toBeUndefined();
  });

  it('rejects malformed answers and oversized ones', () => {
    expect(() => parse('HTTP/2 200\r\n\r\n')).toThrow(expect.objectContaining({ code: 'ERR_PROXY' }));
    expect(() => parse('HTTP/1.1 20 OK\r\n\r\n')).toThrow(expect.objectContaining({ code: 'ERR_PROXY' }));
    expect(() => parse('HTTP/1.1 200 OK\r\nno colon\r\n\r\n')).toThrow(expect.objectContaining({ code: 'ERR_PROXY' }));
    expect(() => parse('HTTP/1.1 200 OK\r\n folded: x\r\n\r\n')).toThrow(expect.objectContaining({ code: 'ERR_PROXY' }));
    expect(() => parse(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(100)}`, 64)).toThrow(
      expect.objectContaining({ code: 'ERR_PROXY_RESPONSE_TOO_LARGE' }),
    );
    expect(() => parse(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(100)}\r\n\r\n`, 64)).toThrow(
      expect.objectContaining({ code: 'ERR_PROXY_RESPONSE_TOO_LARGE' }),
    );
  });
});
