import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ClientOptions, ClientUnderTest } from '../conformance/client-under-test.js';
import { keelClient } from '../conformance/keel-client.js';
import { WebSocketServer, type ServerOptions, type WebSocket as WsSocket } from 'ws';

export interface WsPeer {
  /** ws:// or wss:// URL of the server on 127.0.0.1. */
  readonly url: string;
  readonly wss: WebSocketServer;
  /** The server side of the next connection. */
  connection(): Promise<WsSocket>;
  close(): Promise<void>;
}

export interface WsPeerOptions {
  /** TLS key and certificate: serve wss://. */
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  readonly ws?: Omit<ServerOptions, 'server' | 'port' | 'host' | 'noServer'>;
}

/** A real `ws` WebSocketServer on an ephemeral port of 127.0.0.1, the independent peer of the interop tests. */
export async function startWsPeer(options: WsPeerOptions = {}): Promise<WsPeer> {
  const server: HttpServer = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }) : createHttpServer();
  const wss = new WebSocketServer({ ...options.ws, server });
  const ready: WsSocket[] = [];
  const waiting: Array<(socket: WsSocket) => void> = [];
  wss.on('connection', (socket) => {
    const next = waiting.shift();
    if (next) next(socket);
    else ready.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}/`,
    wss,
    connection: () => {
      const first = ready.shift();
      return first ? Promise.resolve(first) : new Promise((resolve) => waiting.push(resolve));
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Echoes every message back as it came (text as text, binary as binary). */
export function echo(socket: WsSocket): void {
  socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
}

/** A Keel client (permessage-deflate off unless `options` say otherwise) opened to `peer`, with the server side of its connection. */
export async function openKeel(peer: WsPeer, options: ClientOptions = {}): Promise<{ client: ClientUnderTest; server: WsSocket }> {
  const client = keelClient(peer.url, { perMessageDeflate: false, ...options });
  const server = await peer.connection();
  await client.opened;
  return { client, server };
}
