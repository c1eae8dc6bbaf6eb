import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type tls from 'node:tls';
import { WebSocketServer } from 'ws';

/** A handshake request as a test server received it. */
export interface RecordedUpgrade {
  /** The request target of the GET line (path and query). */
  readonly url: string;
  /** Request headers, names lower case (Node's parser). */
  readonly headers: http.IncomingHttpHeaders;
}

/** A `ws` echo server on 127.0.0.1 (or a Unix socket) and what it saw. */
export interface EchoServer {
  /** TCP port (0 for a Unix socket server). */
  readonly port: number;
  /** Handshake requests the `ws` server accepted, in order. */
  readonly upgrades: RecordedUpgrade[];
  /** SNI of each TLS connection (`false` when the client sent none); empty for plain servers. */
  readonly servernames: Array<string | false>;
  /** Codes of TLS handshakes the server refused (e.g. `ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE`). */
  readonly tlsClientErrors: string[];
  close(): Promise<void>;
}

/** TLS settings of an `https.Server` carrying the `ws` server. */
export interface EchoTlsOptions {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** CA for client certificates; with `requestCert` the server requires one signed by it. */
  readonly ca?: Buffer;
  readonly requestCert?: boolean;
}

/**
 * Tracks the accepted sockets of `server` (plain and TLS) so that a test server's close() can end
 * them (an open connection keeps a server open); returns the function that destroys them all.
 */
export function trackSockets(server: net.Server): () => void {
  const sockets = new Set<net.Socket>();
  const add = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  server.on('connection', add);
  server.on('secureConnection', add);
  return () => {
    for (const socket of sockets) socket.destroy();
  };
}

/** Terminates the `ws` clients, closes the WebSocketServer, ends the accepted sockets and closes `server`. */
async function closeWebSocketServer(wss: WebSocketServer, server: net.Server, destroyAll: () => void): Promise<void> {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  destroyAll();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function listen(server: net.Server, where: { socketPath?: string }): Promise<number> {
  if (where.socketPath !== undefined) {
    const path = where.socketPath;
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return 0;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/**
 * A real `ws` WebSocketServer that echoes every message, on an `http.Server` (or an
 * `https.Server` when `tls` is given) listening on 127.0.0.1:0, or on `socketPath`.
 */
export async function startEchoServer(options: { tls?: EchoTlsOptions; socketPath?: string } = {}): Promise<EchoServer> {
  const upgrades: RecordedUpgrade[] = [];
  const servernames: Array<string | false> = [];
  const tlsClientErrors: string[] = [];
  const settings = options.tls;
  const server =
    settings === undefined
      ? http.createServer()
      : https.createServer({
          key: settings.key,
          cert: settings.cert,
          ...(settings.ca === undefined ? {} : { ca: settings.ca }),
          ...(settings.requestCert === true ? { requestCert: true, rejectUnauthorized: true } : {}),
        });
  server.on('request', (_request: http.IncomingMessage, response: http.ServerResponse) => {
    response.writeHead(426).end();
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    servernames.push((socket as tls.TLSSocket & { servername?: string | false }).servername ?? false);
  });
  server.on('tlsClientError', (error: Error & { code?: string }) => tlsClientErrors.push(error.code ?? error.message));
  const destroyAll = trackSockets(server);
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, request) => {
    upgrades.push({ url: request.url ?? '', headers: request.headers });
    socket.on('error', () => undefined);
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  const port = await listen(server, options.socketPath === undefined ? {} : { socketPath: options.socketPath });
  return {
    port,
    upgrades,
    servernames,
    tlsClientErrors,
    close: () => closeWebSocketServer(wss, server, destroyAll),
  };
}

/**
 * A route of {@link startRoutingServer}: answer with a redirect, hand the upgrade to the `ws` echo
 * server, or `hang` (read the request, never answer; close when the client leaves).
 */
export type Route = { readonly redirect: number; readonly location: string } | 'websocket' | 'hang';

/** An HTTP server that answers WebSocket upgrades by path: a redirect, or the real `ws` echo. */
export interface RoutingServer {
  readonly port: number;
  /** `http://127.0.0.1:port` or `https://127.0.0.1:port`, without a path. */
  readonly origin: string;
  /** Every upgrade request received (redirected or accepted), in order. */
  readonly upgrades: RecordedUpgrade[];
  /** Routes by request path (without the query); unknown paths get 404. Mutable. */
  readonly routes: Map<string, Route>;
  close(): Promise<void>;
}

/**
 * A plain (or TLS) `http.Server` whose `upgrade` listener answers per path: a 3xx with a
 * `Location`, or a real `ws` handshake (WebSocketServer with `noServer`, echoing).
 */
export async function startRoutingServer(options: { tls?: EchoTlsOptions } = {}): Promise<RoutingServer> {
  const upgrades: RecordedUpgrade[] = [];
  const routes = new Map<string, Route>();
  const settings = options.tls;
  const server = settings === undefined ? http.createServer() : https.createServer({ key: settings.key, cert: settings.cert });
  const destroyAll = trackSockets(server);
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (socket) => {
    socket.on('error', () => undefined);
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    upgrades.push({ url: request.url ?? '', headers: request.headers });
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routes.get(path);
    if (route === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    if (route === 'hang') {
      // Upgrade sockets of an http.Server allow half-open connections: close ours when the client leaves.
      socket.on('end', () => socket.destroy());
      return;
    }
    if (route === 'websocket') {
      wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
      return;
    }
    socket.end(`HTTP/1.1 ${route.redirect} Redirect\r\nLocation: ${route.location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  const port = await listen(server, {});
  return {
    port,
    origin: `${settings === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    upgrades,
    routes,
    close: () => closeWebSocketServer(wss, server, destroyAll),
  };
}

/** A TCP server that accepts and never writes, and tells when the first bytes of a connection arrived. */
export interface SilentServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Resolves with the first bytes the first connection sent (a ClientHello, a GET, a CONNECT...). */
  readonly firstData: Promise<Buffer>;
  close(): Promise<void>;
}

/** Starts a {@link SilentServer} on 127.0.0.1:0. It reads (so it sees the client leave) and closes when the client does. */
export async function startSilentServer(): Promise<SilentServer> {
  let resolveFirst: (data: Buffer) => void = () => undefined;
  const firstData = new Promise<Buffer>((resolve) => {
    resolveFirst = resolve;
  });
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.once('data', (chunk: Buffer) => resolveFirst(chunk));
    socket.resume();
  });
  const destroyAll = trackSockets(server);
  const port = await listen(server, {});
  return {
    port,
    connections: () => connections,
    firstData,
    close: async () => {
      destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
