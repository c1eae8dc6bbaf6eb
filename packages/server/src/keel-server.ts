import { randomUUID } from 'node:crypto';
import { encodeControl, parseControl, PING, PONG, type ResumeRequest, type TransportMessage } from '@keel/session';
import { EventEmitter } from 'eventemitter3';
import type { WebSocket, WebSocketServer } from 'ws';
import { answerInBandOffer, selectSubprotocol } from './in-band-subprotocol.js';
import { SockjsLink, WebSocketLink, type Link, type SockjsConnection } from './link.js';
import { MemoryStore } from './memory-store.js';
import type { ResumeStore } from './resume-store.js';
import { ServerSession, type SessionContext } from './server-session.js';

export interface ResumeServerOptions {
  /** Where resume state lives. Default: a MemoryStore (this process only); a RedisStore for several processes. */
  readonly store?: ResumeStore;
  /** How long, in ms, a session can be resumed after its connection ended. Default 120,000. */
  readonly windowMs?: number;
  /** Acknowledge the client's messages after this many. Default 64. */
  readonly ackEvery?: number;
  /** ...or this many ms after the first unacknowledged one. Default 100. */
  readonly ackDelay?: number;
}

export interface KeelServerOptions {
  /** Resumable sessions (docs/resume-protocol.md), offered in the hello. Default on (in memory); false to not offer them. */
  readonly resume?: ResumeServerOptions | false;
  /** Offer and answer the application-level heartbeat (docs/heartbeat-opt-in.md). Default true. */
  readonly heartbeat?: boolean;
  /**
   * Answers a plain session's application-level ping: the reply text, or null when `text` is not a
   * ping. Default: `{"type":"ping"}` → `{"type":"pong"}`. Resumable sessions always use those two texts.
   */
  readonly appPing?: (text: string) => string | null;
  /** Subprotocols this server speaks, for the handshake (handleProtocols) and SockJS's in-band offer. Default none. */
  readonly subprotocols?: readonly string[];
  /**
   * SockJS with subprotocols: how long, in ms, to wait for the client's in-band offer before the hello
   * (the answer must be the first message). Default 300.
   */
  readonly offerWaitMs?: number;
  /**
   * How long, in ms, after the hello a client has to send its resume request; a client that sends
   * something else first, or nothing in time, gets a plain session. Default 2,000.
   */
  readonly requestWaitMs?: number;
}

export interface KeelServerEvents {
  /** A new session: a new client, a client whose session could not be resumed, or (`resumed`) one resumed from the store by another process. */
  session: [session: ServerSession, info: { readonly resumed: boolean }];
  /** A failure that ended one connection (a store read failed...), not the server. */
  error: [error: unknown];
}

const defaultAppPing = (text: string): string | null => (text === PING ? PONG : null);

/**
 * The server side of what Keel adds to WebSocket, for a `ws` WebSocketServer and a SockJS endpoint:
 * the hello (docs/heartbeat-opt-in.md), the heartbeat's answers, in-band subprotocols for SockJS,
 * and resumable sessions (docs/resume-protocol.md). Hand it every connection (`accept`,
 * `acceptSockjs`, or `attach` a WebSocketServer) and listen to `session`.
 */
export class KeelServer extends EventEmitter<KeelServerEvents> {
  readonly #sessions = new Map<string, ServerSession>();
  readonly #context: SessionContext | undefined;
  readonly #plainContext: SessionContext;
  readonly #options: KeelServerOptions;
  readonly #pending = new Set<Link>();

  constructor(options: KeelServerOptions = {}) {
    super();
    this.#options = options;
    const appPing = options.heartbeat === false ? () => null : (options.appPing ?? defaultAppPing);
    const ended = (session: ServerSession): void => {
      if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
    };
    const resume = options.resume;
    const base = { windowMs: 0, ackEvery: 64, ackDelay: 100, appPing, ended };
    this.#plainContext = { ...base, store: new MemoryStore() };
    if (resume !== false) {
      this.#context = {
        ...base,
        store: resume?.store ?? new MemoryStore(),
        windowMs: resume?.windowMs ?? 120_000,
        ackEvery: resume?.ackEvery ?? 64,
        ackDelay: resume?.ackDelay ?? 100,
      };
    }
  }

  /** Sessions this process holds (connected, or waiting for their client within the window). */
  get sessions(): ReadonlyMap<string, ServerSession> {
    return this.#sessions;
  }

  /** For `new WebSocketServer({ handleProtocols: keel.handleProtocols })`: the first offered subprotocol this server speaks. */
  readonly handleProtocols = (offered: Set<string>): string | false => selectSubprotocol(offered, this.#options.subprotocols ?? []);

  /** Serves every connection of `wss`. */
  attach(wss: WebSocketServer): void {
    wss.on('connection', (ws) => this.accept(ws));
  }

  /** Serves one `ws` connection. */
  accept(ws: WebSocket): void {
    this.acceptLink(new WebSocketLink(ws));
  }

  /** Serves one SockJS connection (sockjs's `connection` event; a null connection is ignored). */
  acceptSockjs(connection: SockjsConnection | null): void {
    if (connection !== null) this.acceptLink(new SockjsLink(connection));
  }

  /** Serves a connection of any other shape (a test server's instrumented connections, another transport). */
  acceptLink(link: Link): void {
    this.#start(link);
  }

  /** Cuts every connection and stops every timer. The store keeps what it holds (other processes may resume from it). */
  async close(): Promise<void> {
    for (const link of this.#pending) link.terminate();
    for (const session of [...this.#sessions.values()]) {
      session.end('expired');
    }
    this.#sessions.clear();
  }

  #start(link: Link): void {
    this.#pending.add(link);
    const inBand = link.transport === 'sockjs' && (this.#options.subprotocols ?? []).length > 0;
    let timer: NodeJS.Timeout | undefined;
    const wait = (ms: number, then: () => void): void => {
      clearTimeout(timer);
      timer = setTimeout(then, ms).unref();
    };
    const done = (): void => {
      clearTimeout(timer);
      this.#pending.delete(link);
    };
    link.onClose = done;
    const hello = (): void => {
      const features = [...(this.#options.heartbeat === false ? [] : ['heartbeat']), ...(this.#context === undefined ? [] : ['resume'])];
      link.send(JSON.stringify({ type: 'keel:hello', features }));
      link.onMessage = (data) => {
        done();
        const request = typeof data === 'string' ? parseControl(data) : undefined;
        if (request?.type === 'keel:resume' && this.#context !== undefined) void this.#resume(link, request, this.#context);
        else this.#plain(link, data);
      };
      wait(this.#options.requestWaitMs ?? 2000, () => {
        done();
        this.#plain(link, undefined);
      });
    };
    if (!inBand) return hello();
    // The in-band answer must come first (packages/browser/src/in-band-subprotocol.ts): wait for an offer.
    link.onMessage = (data) => {
      const offer = typeof data === 'string' ? answerInBandOffer(data, this.#options.subprotocols ?? []) : undefined;
      if (offer === undefined) {
        hello();
        return link.onMessage(data);
      }
      link.protocol = offer.selected;
      link.send(offer.answer);
      hello();
    };
    wait(this.#options.offerWaitMs ?? 300, hello);
  }

  /** A connection whose client does not resume: a session of its own, with today's semantics. */
  #plain(link: Link, first: TransportMessage | undefined): void {
    if (!link.open) return;
    const session = new ServerSession(randomUUID(), false, this.#plainContext);
    session.attach(link, false);
    this.emit('session', session, { resumed: false });
    if (first !== undefined && link.open) link.onMessage(first);
  }

  async #resume(link: Link, request: ResumeRequest, context: SessionContext): Promise<void> {
    // Messages that follow the request while the store is read wait for the session.
    const early: TransportMessage[] = [];
    link.onMessage = (data) => early.push(data);
    const id = request.session;
    try {
      for (let tries = 0; tries < 10; tries++) {
        const stored = id === null ? undefined : await context.store.load(id);
        if (!link.open) return;
        const existing = id === null ? undefined : this.#sessions.get(id);
        if (id === null || stored === undefined) {
          existing?.end('expired');
          this.#fresh(link, context, { reason: 'unknown-session', received: null, sent: null });
          break;
        }
        const head = stored.sent - stored.messages.length + 1;
        const windowPassed = stored.expiresAt !== 0 && stored.expiresAt < Date.now();
        // The client misses messages the store no longer holds, or bytes a SockJS connection cannot
        // carry: they cannot be replayed.
        const missing = request.received + 1 < head;
        const unsendable =
          link.transport === 'sockjs' && stored.messages.slice(Math.max(0, request.received + 1 - head)).some((m) => typeof m !== 'string');
        if (windowPassed || existing?.ended === true || missing || unsendable) {
          existing?.end('expired');
          context.store.discard(id);
          this.#fresh(link, context, { reason: 'expired', received: stored.received, sent: stored.sent });
          break;
        }
        const session = existing ?? new ServerSession(id, true, context, { sent: stored.sent, received: stored.received });
        if (!session.resume(link, request.received, request.from, stored)) continue;
        if (existing === undefined) {
          this.#sessions.set(id, session);
          this.emit('session', session, { resumed: true });
        }
        break;
      }
    } catch (error) {
      this.emit('error', error);
      link.terminate();
      return;
    }
    for (const data of early) if (link.open) link.onMessage(data);
  }

  /** A new resumable session on `link`; `old` says why the client's session (if any) was not resumed. */
  #fresh(
    link: Link,
    context: SessionContext,
    old: { reason: 'expired' | 'unknown-session'; received: number | null; sent: number | null },
  ): void {
    const id = randomUUID();
    context.store.create(id);
    const session = new ServerSession(id, true, context);
    this.#sessions.set(id, session);
    link.send(encodeControl({ type: 'keel:resumed', session: id, resumed: false, ...old }));
    session.attach(link, false);
    this.emit('session', session, { resumed: false });
  }
}
