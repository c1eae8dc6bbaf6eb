// The bundled server: one http.Server on 127.0.0.1 carrying
//   ws      /echo, /chat                  (`ws`, noServer, routed by path on 'upgrade')
//   SockJS  /echo, /chat too (below those paths: /chat/info, /chat/<server>/<session>/xhr_streaming…,
//           which is where Keel's SockJS transport looks by default), and /sockjs/echo, /sockjs/chat
//   files   the demo, the test pages, packages/keel/dist, sockjs-client
//   control POST /control/{drop-all,black-hole,close,refuse-upgrades,restart,reset}, GET /control/status
// Each endpoint is a thin user of @keel/server: it sends Keel's hello
// `{"type":"keel:hello","features":["heartbeat","resume"]}` as every connection's first message (on
// SockJS after the in-band subprotocol answer), answers the application-level ping (app-ping.mjs's
// shapes for clients that do not resume), negotiates subprotocols in-band for SockJS, and resumes
// sessions (docs/resume-protocol.md) for clients that ask. The endpoints see ServerSessions.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { KeelServer } from '@keel/server';
import { WebSocketServer } from 'ws';
import { defaultAppPingReply } from './app-ping.mjs';
import { openChatLog } from './chat-log.mjs';
import { ChatRooms } from './chat-rooms.mjs';
import { SockjsPeer, WsPeer } from './peers.mjs';
import { resolveStatic, sendFile, sendMissing, sockjsClientUrl } from './static-files.mjs';

const require = createRequire(import.meta.url);
const sockjs = require('sockjs');

/** Subprotocols the ws endpoints accept; the first one the client offers wins (RFC 6455 §4.2.2). */
export const SUBPROTOCOLS = { echo: ['keel.echo.v1', 'keel.chat.v1'], chat: ['keel.chat.v1'] };

/**
 * @typedef {object} KeelServerOptions
 * @property {number} [port] TCP port; 0 (default) picks a free one.
 * @property {string} [host] default '127.0.0.1'.
 * @property {(text: string) => string | null} [appPing] answers an application-level ping; default defaultAppPingReply.
 * @property {number} [resumeWindowMs] how long a resumable session waits for its client after a connection ended; default 120000 ms.
 * @property {number} [blackHoleLingerMs] how long a black-holed connection is kept open before it is destroyed; default 120000 ms.
 * @property {(line: string) => void} [log] receives one line per connection event; default none.
 * @property {string} [dataDir] folder for the chat's history on disk (created if missing; see
 *   chat-log.mjs), so it survives a restart of the process; default none (history in memory).
 * @property {import('@keel/server').ResumeStore} [resumeStore] where resumable sessions are kept, so
 *   that another process can resume them (a RedisStore); default a MemoryStore per endpoint.
 * @property {{ handle(peer: object, text: string): void, leave(peer: object): void, reset(): void, describe(): object }} [chat]
 *   the chat (a RedisChatRooms, shared by processes); default a ChatRooms of this process (with dataDir's log).
 */

/** @param {KeelServerOptions} [options] */
export async function startKeelServer(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const appPing = options.appPing ?? defaultAppPingReply;
  const lingerMs = options.blackHoleLingerMs ?? 120_000;
  const log = options.log ?? (() => {});
  const chat = options.chat ?? new ChatRooms({ log: options.dataDir === undefined ? undefined : openChatLog(options.dataDir) });
  /** @type {Set<WsPeer | SockjsPeer>} */
  const peers = new Set();
  /** Every TCP connection, so that drop-all and restart can cut upgraded and streaming ones too. */
  const sockets = new Set();
  let refuseUpgrades = false;
  let listening = false;

  /** One @keel/server per endpoint (each has its own subprotocols); every session is echo or chat. */
  const keel = {};
  for (const endpoint of ['echo', 'chat']) {
    keel[endpoint] = new KeelServer({
      appPing,
      subprotocols: SUBPROTOCOLS[endpoint],
      // How long a SockJS connection waits for a possible in-band offer before its hello.
      offerWaitMs: 500,
      resume: { windowMs: options.resumeWindowMs ?? 120_000, store: options.resumeStore },
    });
    keel[endpoint].on('session', (session, { resumed }) => {
      log(`session ${session.id.slice(0, 8)} /${endpoint} ${session.delivery}${resumed ? ' (resumed from the store)' : ''}`);
      session.on('connection', (info) => info.resumed && log(`resumed ${session.id.slice(0, 8)} over ${info.transport}`));
      session.on('end', () => chat.leave(session));
      session.on('message', (data) => {
        if (endpoint === 'echo') return session.send(data);
        if (typeof data !== 'string')
          return session.send(JSON.stringify({ type: 'error', code: 'binary', message: '/chat takes JSON text' }));
        chat.handle(session, data);
      });
    });
  }

  function attach(peer) {
    peers.add(peer);
    log(`open   #${peer.id} ${peer.transport} /${peer.endpoint}${peer.protocol ? ` (${peer.protocol})` : ''}`);
    peer.onEnd = () => {
      peers.delete(peer);
      log(`close  #${peer.id} ${peer.transport} /${peer.endpoint}`);
    };
    keel[peer.endpoint].acceptLink(peer);
  }

  const wss = new WebSocketServer({
    noServer: true,
    // The first offered subprotocol the endpoint speaks (RFC 6455 §4.2.2).
    handleProtocols: (offered, request) => keel[endpointOf(request.url)]?.handleProtocols(offered) ?? false,
  });

  const sockjsHandlers = new Map();
  for (const endpoint of ['echo', 'chat']) {
    const server = sockjs.createServer({ sockjs_url: sockjsClientUrl, log: () => {} });
    server.on('connection', (connection) => connection && attach(new SockjsPeer(connection, endpoint)));
    for (const prefix of [`/${endpoint}`, `/sockjs/${endpoint}`]) {
      sockjsHandlers.set(prefix, server.listener({ prefix }).getHandler());
    }
  }
  const sockjsHandlerFor = (url) => {
    const path = url.split('?')[0];
    for (const [prefix, handler] of sockjsHandlers) if (path === prefix || path.startsWith(`${prefix}/`)) return handler;
    return null;
  };

  const http = createServer((req, res) => {
    const sockjsHandler = sockjsHandlerFor(req.url);
    if (sockjsHandler) return sockjsHandler(req, res);
    const { pathname, searchParams } = new URL(req.url, 'http://x');
    if (pathname.startsWith('/control/')) return control(pathname.slice('/control/'.length), searchParams, req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'GET only' });
    const file = resolveStatic(pathname);
    return file ? sendFile(res, file, req.method) : sendMissing(res, pathname);
  });

  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (refuseUpgrades) {
      // What a WebSocket-blocking proxy does: an ordinary HTTP refusal, never a 101.
      log(`refuse upgrade ${req.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // The endpoint's own path is plain WebSocket; anything below it is SockJS's websocket transport.
    const endpoint = endpointOf(req.url);
    if (endpoint) return wss.handleUpgrade(req, socket, head, (ws) => attach(new WsPeer(ws, endpoint)));
    const sockjsHandler = sockjsHandlerFor(req.url);
    if (sockjsHandler) return sockjsHandler(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  function control(action, params, req, res) {
    if (action === 'status' && req.method === 'GET') {
      return json(res, 200, { refuseUpgrades, peers: [...peers].map((peer) => peer.describe()), rooms: chat.describe() });
    }
    if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
    const selected = [...peers].filter((peer) => matches(peer, params));
    switch (action) {
      case 'drop-all':
        for (const peer of selected) peer.drop();
        return json(res, 200, { dropped: selected.length });
      case 'black-hole':
        for (const peer of selected) {
          peer.blackHole();
          setTimeout(() => peer.drop(), lingerMs).unref();
        }
        return json(res, 200, { blackholed: selected.length });
      case 'close': {
        const code = Number(params.get('code') ?? 1000);
        if (!(code === 1000 || (code >= 3000 && code <= 4999))) return json(res, 400, { error: 'code must be 1000 or 3000-4999' });
        const reason = params.get('reason') ?? '';
        for (const peer of selected) peer.close(code, reason);
        return json(res, 200, { closed: selected.length, code });
      }
      case 'refuse-upgrades': {
        const on = params.get('on') ?? 'true';
        refuseUpgrades = on === 'true' || on === '1' || on === 'on';
        return json(res, 200, { refuseUpgrades });
      }
      case 'reset':
        refuseUpgrades = false;
        for (const peer of [...peers]) peer.drop();
        // Sessions waiting for their client to resume are forgotten too.
        for (const server of Object.values(keel)) void server.close();
        chat.reset();
        return json(res, 200, { reset: true });
      case 'restart': {
        const downMs = Math.min(Math.max(Number(params.get('downMs') ?? 0) || 0, 0), 60_000);
        // Answer first: the connection that asked is cut with the others.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ restarting: true, downMs }), () => void restart(downMs));
        return undefined;
      }
      default:
        return json(res, 404, { error: `unknown control ${action}` });
    }
  }

  async function stop() {
    for (const peer of [...peers]) peer.drop();
    for (const socket of sockets) socket.destroy();
    if (listening) {
      listening = false;
      await new Promise((resolve) => http.close(() => resolve()));
    }
  }

  async function listen(port) {
    await new Promise((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    listening = true;
  }

  async function restart(downMs) {
    const port = http.address().port;
    log(`restart: down for ${downMs} ms`);
    await stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await listen(port);
    log('restart: listening again');
  }

  await listen(options.port ?? 0);
  const port = http.address().port;
  return {
    port,
    url: `http://${host}:${port}`,
    peers,
    chat,
    restart,
    /** Stops listening and cuts every connection. */
    close: async () => {
      await stop();
      for (const server of Object.values(keel)) await server.close();
      wss.close();
    },
  };
}

function endpointOf(url) {
  const path = (url ?? '').split('?')[0];
  return path === '/echo' ? 'echo' : path === '/chat' ? 'chat' : null;
}

/** Optional filters on a control: ?transport=websocket|sockjs&endpoint=echo|chat. */
function matches(peer, params) {
  const transport = params.get('transport');
  const endpoint = params.get('endpoint');
  return (!transport || peer.transport === transport) && (!endpoint || peer.endpoint === endpoint) && !peer.closed;
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
