import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket, WebSocketServer } from 'ws';
import type { TransportMessage } from '@keel/session';
import { connect } from '../src/connect.js';
import { FallbackPolicy } from '../src/fallback-policy.js';
import type { FallbackEvent } from '../src/fallback-transport.js';
import { sockjsTransport } from '../src/sockjs-transport.js';
import type { WebSocketConstructorLike } from '../src/web-socket-like.js';
import { RecordingHandlers } from './fakes.js';

// The transports against real peers on 127.0.0.1: a `ws` server, and a `sockjs` server driven by
// the real sockjs-client (its Node build: the same protocol the browser build speaks).
const require = createRequire(import.meta.url);
type SockjsHandler = (request: IncomingMessage, response: ServerResponse | Duplex, head?: Buffer) => boolean;
const sockjs = require('sockjs') as {
  createServer(options: { log: () => void }): {
    on(event: 'connection', listener: (conn: SockjsConn | null) => void): void;
    listener(options: { prefix: string }): { getHandler(): SockjsHandler };
  };
};
interface SockjsConn {
  on(event: 'data', listener: (text: string) => void): void;
  write(text: string): void;
  close(code?: number, reason?: string): void;
}

// `ws`'s client has the WHATWG surface the native transport uses (binaryType, on* handlers).
const NodeWebSocket = WsWebSocket as unknown as WebSocketConstructorLike;
let server: Server;
let base: string;
let refuseUpgrades = false;

beforeAll(async () => {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('echo.v1') ? 'echo.v1' : false) });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  const echo = sockjs.createServer({ log: () => {} });
  echo.on('connection', (conn) => {
    conn?.on('data', (text) => (text === 'bye' ? conn.close(3001, 'asked to') : conn.write(text)));
  });
  const handler = echo.listener({ prefix: '/echo' }).getHandler();
  server = createServer((request, response) => {
    if (!handler(request, response)) response.writeHead(404).end();
  });
  server.on('upgrade', (request, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    // What a WebSocket-blocking proxy does: an ordinary HTTP refusal, never a 101 (SockJS's own
    // websocket transport included, so sockjs-client falls back to HTTP streaming).
    if (refuseUpgrades) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // /echo itself is plain WebSocket (Keel's native attempts); below it is SockJS's websocket transport.
    if (request.url === '/echo') wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    else if (!handler(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const until = <T>(register: (resolve: (value: T) => void) => void): Promise<T> => new Promise(register);

describe('native transport and connect() against a ws server', () => {
  it('negotiates the subprotocol and echoes text and binary', async () => {
    refuseUpgrades = false;
    const session = connect(`ws://${base}/echo`, {
      protocols: ['echo.v1'],
      heartbeat: false,
      fallback: { native: { WebSocket: NodeWebSocket }, policy: new FallbackPolicy() },
    });
    const info = await until<{ transport: string; protocol: string }>((resolve) => session.once('open', resolve));
    expect(info).toMatchObject({ transport: 'websocket', protocol: 'echo.v1' });
    const received: TransportMessage[] = [];
    const two = until<void>((resolve) => session.on('message', (data) => received.push(data) === 2 && resolve()));
    session.send('text');
    session.send(new Uint8Array([0, 255]));
    await two;
    expect(received[0]).toBe('text');
    expect([...(received[1] as Uint8Array)]).toEqual([0, 255]);
    const closed = await session.close(1000, 'done');
    expect(closed.code).toBe(1000);
  });
});

describe('SockJS transport against a sockjs server (real sockjs-client)', () => {
  it('opens, echoes text, refuses binary, and reports the server close code', async () => {
    const handlers = new RecordingHandlers();
    const opened = until<void>((resolve) => (handlers.onOpen = (info) => (handlers.opens.push({ ...info }), resolve())));
    const conn = sockjsTransport().open({ url: `ws://${base}/echo`, protocols: [], headers: {} }, handlers);
    await opened;
    const echoed = until<TransportMessage>((resolve) => (handlers.onMessage = resolve));
    conn.send('over sockjs');
    expect(await echoed).toBe('over sockjs');
    expect(() => conn.send(new Uint8Array([1]))).toThrow(expect.objectContaining({ code: 'ERR_BINARY_UNSUPPORTED' }));
    const closed = until<void>((resolve) => (handlers.onClose = (info) => (handlers.closes.push(info), resolve())));
    conn.send('bye');
    await closed;
    expect(handlers.closes[0]).toMatchObject({ code: 3001, reason: 'asked to', beforeOpen: false });
  });
});

describe('fallback when a proxy refuses the upgrade', () => {
  it('two refused native opens, then the session opens over SockJS on the same path', async () => {
    refuseUpgrades = true;
    const changes: string[] = [];
    const session = connect(`ws://${base}/echo`, {
      heartbeat: false,
      reconnect: { initialDelay: 10, maxDelay: 20 },
      fallback: { native: { WebSocket: NodeWebSocket }, policy: new FallbackPolicy(), onTransportChange: (name) => changes.push(name) },
    });
    const reasons: string[] = [];
    session.on('reconnecting', (info) => reasons.push(String((info.reason.error as { code?: string } | undefined)?.code)));
    const info = await until<{ transport: string }>((resolve) => session.once('open', resolve));
    expect(info.transport).toBe('sockjs');
    // Two failures start the look at /echo/info; attempts go on natively until its verdict.
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    expect(new Set(reasons)).toEqual(new Set(['ERR_CONNECTION_LOST']));
    expect(changes).toEqual(['sockjs']);
    const echoed = until<TransportMessage>((resolve) => session.once('message', resolve));
    session.send('after fallback');
    expect(await echoed).toBe('after fallback');
    await session.close();
    refuseUpgrades = false;
  });
});

describe('a server that is down at start, then a plain ws server (no SockJS) on 127.0.0.1', () => {
  /** A port that was free a moment ago: nothing listens on it until `up()`. */
  async function downThenUp() {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    let wss: WebSocketServer | undefined;
    return {
      url: `ws://127.0.0.1:${port}/`,
      up: () =>
        new Promise<void>((resolve) => {
          wss = new WebSocketServer({ host: '127.0.0.1', port, handleProtocols: (offered) => [...offered][0] ?? false }, resolve);
          wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
        }),
      down: () =>
        new Promise<void>((resolve) =>
          wss === undefined ? resolve() : (wss.clients.forEach((c) => c.terminate()), wss.close(() => resolve())),
        ),
    };
  }

  for (const protocols of [undefined, ['chat.v1']]) {
    it(`keeps retrying native WebSocket (no SockJS, the session never ends) and opens natively once it is up${protocols ? ', with protocols' : ''}`, async () => {
      const server = await downThenUp();
      const events: FallbackEvent[] = [];
      const changes: string[] = [];
      const session = connect(server.url, {
        protocols,
        heartbeat: false,
        reconnect: { initialDelay: 20, maxDelay: 40 },
        fallback: {
          native: { WebSocket: NodeWebSocket },
          policy: new FallbackPolicy(),
          onFallback: (event) => events.push(event),
          onTransportChange: (name) => changes.push(name),
        },
      });
      const failures: string[] = [];
      await until<void>((resolve) =>
        session.on(
          'reconnecting',
          (info) => failures.push(String((info.reason.error as { code?: string } | undefined)?.code)) === 3 && resolve(),
        ),
      );
      // Down: no HTTP answer either, so an outage: no event (the 3rd attempt waited for the look's verdict).
      expect(events).toEqual([]);
      await server.up();
      const info = await until<{ transport: string; protocol: string }>((resolve) => session.once('open', resolve));
      expect(info).toMatchObject({ transport: 'websocket', protocol: protocols?.[0] ?? '' });
      expect(failures.slice(0, 3)).toEqual(['ERR_CONNECTION_LOST', 'ERR_CONNECTION_LOST', 'ERR_CONNECTION_LOST']);
      expect(session.state).toBe('open');
      // Never switched to SockJS, not even for one attempt.
      expect(changes).toEqual([]);
      await session.close();
      await server.down();
    });
  }

  it('a reachable server without SockJS whose upgrades fail: SockJS skipped (no-sockjs-endpoint), native attempts go on', async () => {
    const plain = createServer((_request, response) => response.writeHead(404).end('not here'));
    plain.on('upgrade', (_request, socket: Duplex) =>
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
    );
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(plain.address() as AddressInfo).port}/feed`;
    const events: FallbackEvent[] = [];
    const session = connect(url, {
      heartbeat: false,
      reconnect: { initialDelay: 20, maxDelay: 40 },
      fallback: { native: { WebSocket: NodeWebSocket }, policy: new FallbackPolicy(), onFallback: (event) => events.push(event) },
    });
    let attempts = 0;
    await until<void>((resolve) => session.on('reconnecting', () => ++attempts === 5 && resolve()));
    expect(events[0]).toEqual({ skipped: true, reason: 'no-sockjs-endpoint' });
    expect(session.transport).toBe('websocket');
    expect(session.state).not.toBe('closed');
    await session.close();
    plain.closeAllConnections();
    await new Promise((resolve) => plain.close(resolve));
  });
});
