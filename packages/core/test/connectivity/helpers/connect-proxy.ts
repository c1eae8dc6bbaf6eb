import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/** What the test proxy does with a CONNECT request. */
export type ConnectProxyMode =
  /** Open the tunnel (after checking credentials when `credentials` is set). */
  | 'tunnel'
  /** Answer 403 Forbidden. */
  | 'refuse'
  /** Read the request and never answer (to test deadlines). */
  | 'silent'
  /** Write these bytes as the answer, then end. */
  | { readonly raw: string };

export interface ConnectProxyOptions {
  mode?: ConnectProxyMode;
  /** Require `Proxy-Authorization: Basic` with these; anything else gets 407. */
  credentials?: { readonly username: string; readonly password: string };
  /** Bytes written right after the 200 answer, in the same write (a proxy that pipelines). */
  afterResponse?: Buffer;
  /** Serve TLS: an `https://` proxy with this key and certificate. */
  tls?: { readonly key: Buffer; readonly cert: Buffer };
}

export interface RecordedConnect {
  readonly target: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface ConnectProxy {
  /** `http://127.0.0.1:port` or `https://localhost:port` (the TLS certificate names localhost). */
  readonly url: URL;
  /** CONNECT requests received, in order. */
  readonly requests: RecordedConnect[];
  /** Tunnels opened (200 answers). */
  tunnels: number;
  close(): Promise<void>;
}

const localTargets = new Set(['127.0.0.1', 'localhost', '::1']);

/** A CONNECT proxy on 127.0.0.1 built on Node's HTTP server (so requests go through a real HTTP parser). */
export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const mode = options.mode ?? 'tunnel';
  const sockets = new Set<net.Socket>();
  const keep = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = options.tls === undefined ? http.createServer() : https.createServer({ key: options.tls.key, cert: options.tls.cert });
  server.on('connection', (socket: net.Socket) => keep(socket));
  server.on('secureConnection', (socket: net.Socket) => keep(socket));
  server.on('request', (_request: http.IncomingMessage, response: http.ServerResponse) => {
    response.writeHead(405).end();
  });
  const proxy: ConnectProxy = {
    url: new URL('http://127.0.0.1'),
    requests: [],
    tunnels: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    keep(client);
    const target = request.url ?? '';
    proxy.requests.push({ target, headers: request.headers });
    if (mode === 'silent') {
      // Node's HTTP server sockets allow half-open connections: close ours when the client leaves.
      client.on('end', () => client.destroy());
      return;
    }
    if (typeof mode === 'object') {
      client.end(mode.raw);
      return;
    }
    if (mode === 'refuse') {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (options.credentials !== undefined) {
      const expected = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`, 'utf8').toString('base64')}`;
      if (request.headers['proxy-authorization'] !== expected) {
        client.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="keel-test"\r\nContent-Length: 0\r\n\r\n',
        );
        return;
      }
    }
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
    if (match === null || !localTargets.has(match[1] ?? '')) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect({ host: match[1] ?? '', port: Number(match[2]) });
    keep(upstream);
    upstream.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
    upstream.once('connect', () => {
      proxy.tunnels += 1;
      const answer = Buffer.from('HTTP/1.1 200 Connection Established\r\n\r\n', 'latin1');
      client.write(options.afterResponse === undefined ? answer : Buffer.concat([answer, options.afterResponse]));
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  Object.assign(proxy, { url: new URL(options.tls === undefined ? `http://127.0.0.1:${port}` : `https://localhost:${port}`) });
  return proxy;
}
