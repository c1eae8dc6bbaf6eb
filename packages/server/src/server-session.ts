import {
  CONTROL_PREFIX,
  encodeControl,
  escapeApplication,
  parseControl,
  PING,
  PONG,
  SessionError,
  type Delivery,
  type TransportMessage,
} from '@keel/session';
import { EventEmitter } from 'eventemitter3';
import type { Link } from './link.js';
import type { ResumeStore, StoredSession } from './resume-store.js';

/** Why a session ended. */
export type SessionEndReason = 'closed' | 'expired';

export interface ServerSessionEvents {
  /** An application message from the client (never a control message, a ping, or a duplicate). */
  message: [data: TransportMessage];
  /** A connection took the session: its first, or a resumed one (`resumed`). */
  connection: [info: { readonly transport: Link['transport']; readonly protocol: string; readonly resumed: boolean }];
  /** The connection ended; a resumable session waits windowMs for the client to come back. */
  disconnect: [];
  /** The session is over here: closed (by either side, or a plain connection ended), or its window passed. */
  end: [reason: SessionEndReason];
}

/** What a session needs from its server. */
export interface SessionContext {
  readonly store: ResumeStore;
  /** How long, in ms, a resumable session waits for its client after a connection ended. */
  readonly windowMs: number;
  readonly ackEvery: number;
  readonly ackDelay: number;
  /** The answer to a text that is an application-level ping, or null (plain sessions). */
  readonly appPing: (text: string) => string | null;
  /** The session ended: the server forgets it. */
  readonly ended: (session: ServerSession) => void;
}

/**
 * One client's logical session on the server. A resumable one (docs/resume-protocol.md) outlives
 * its connections: it numbers what it sends, keeps it in the store until acknowledged, and takes in
 * each client message once, in order. A plain one is one connection, with today's semantics.
 */
export class ServerSession extends EventEmitter<ServerSessionEvents> {
  /** Resumable: the id the client resumes with. Plain: an id for logs only. */
  readonly id: string;
  readonly resumable: boolean;
  readonly #context: SessionContext;
  #link: Link | undefined;
  #sent: number;
  #received: number;
  #unacked = 0;
  #ackTimer: NodeJS.Timeout | undefined;
  #expiry: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(
    id: string,
    resumable: boolean,
    context: SessionContext,
    counts: { sent: number; received: number } = { sent: 0, received: 0 },
  ) {
    super();
    this.id = id;
    this.resumable = resumable;
    this.#context = context;
    this.#sent = counts.sent;
    this.#received = counts.received;
  }

  /** Which guarantee holds: 'exactly-once' for a resumable session. */
  get delivery(): Delivery {
    return this.resumable ? 'exactly-once' : 'at-most-once-in-flight';
  }

  get connected(): boolean {
    return this.#link !== undefined;
  }

  get transport(): Link['transport'] | undefined {
    return this.#link?.transport;
  }

  get protocol(): string {
    return this.#link?.protocol ?? '';
  }

  /** How many messages were sent / taken in (resumable sessions count across connections). */
  get counts(): { readonly sent: number; readonly received: number } {
    return { sent: this.#sent, received: this.#received };
  }

  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Sends an application message. Resumable: numbered and kept until the client acknowledges it;
   * sent now when connected, else when the client resumes. Plain: sent when connected, else lost.
   */
  send(data: TransportMessage): void {
    if (this.#ended) throw new SessionError('ERR_SESSION_CLOSED', `session ${this.id} ended`);
    // SockJS carries text only; a numbered message that could not be written would shift every later number.
    if (typeof data !== 'string' && this.#link?.transport === 'sockjs')
      throw new SessionError('ERR_BINARY_UNSUPPORTED', 'sockjs: text only');
    if (!this.resumable) return this.#link?.send(data);
    this.#sent++;
    this.#context.store.append(this.id, this.#sent, data);
    this.#link?.send(escapeApplication(data));
  }

  /** Ends the session for good: a closing handshake on its connection, and the store forgets it. */
  close(code = 1000, reason = ''): void {
    const link = this.#link;
    this.#end('closed');
    link?.close(code, reason);
  }

  /** @internal A connection takes a new session (the server answered its resume request already, or it is plain). */
  attach(link: Link, resumed: boolean): void {
    if (this.#link !== undefined && this.#link !== link) {
      // The client came back before this server saw the old connection die: that one is dead.
      const old = this.#link;
      this.#link = undefined;
      old.terminate();
    }
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#link = link;
    link.onMessage = (data) => this.#onMessage(link, data);
    link.onClose = () => this.#onClose(link);
    if (this.resumable) this.#context.store.attach(this.id);
    this.emit('connection', { transport: link.transport, protocol: link.protocol, resumed });
  }

  /**
   * @internal Resumes on `link`: `stored` is what the store held when the request was read. Answers,
   * replays what the client did not get, then attaches. Returns false when the store's view is older
   * than this session's (a send happened while it was read): read again and retry.
   */
  resume(link: Link, clientReceived: number, clientFrom: number, stored: StoredSession): boolean {
    if (this.#sent > stored.sent) return false;
    // A crashed process may have sent a message it had not yet recorded: the client's count wins.
    this.#sent = Math.max(stored.sent, clientReceived);
    // The client gave up on what it dropped under its overflow policy: numbering goes on after it.
    const received = Math.max(this.#received, stored.received, clientFrom - 1);
    if (received !== this.#received) this.#context.store.received(this.id, received);
    this.#received = received;
    link.send(encodeControl({ type: 'keel:resumed', session: this.id, resumed: true, received }));
    const head = stored.sent - stored.messages.length + 1;
    for (let seq = clientReceived + 1; seq <= stored.sent; seq++)
      link.send(escapeApplication(stored.messages[seq - head] as TransportMessage));
    this.attach(link, true);
    return true;
  }

  #onMessage(link: Link, data: TransportMessage): void {
    if (link !== this.#link) return;
    if (typeof data === 'string') {
      if (!this.resumable) {
        const pong = this.#context.appPing(data);
        if (pong !== null) return link.send(pong);
      } else {
        if (data === PING) return link.send(PONG);
        if (data === PONG) return;
        const control = parseControl(data);
        if (control?.type === 'keel:ack') return this.#acknowledged(control.received);
        if (control?.type === 'keel:app') data = control.data;
        // Control messages of later versions, or out of place: not the application's.
        else if (data.startsWith(CONTROL_PREFIX)) return;
      }
    }
    if (this.resumable) this.#count(link);
    this.emit('message', data);
  }

  /** One more client message taken in: recorded before the app sees it, acknowledged in batches. */
  #count(link: Link): void {
    this.#received++;
    this.#context.store.received(this.id, this.#received);
    if (++this.#unacked >= this.#context.ackEvery) this.#sendAck(link);
    else if (this.#ackTimer === undefined) this.#ackTimer = setTimeout(() => this.#sendAck(link), this.#context.ackDelay).unref();
  }

  #sendAck(link: Link): void {
    this.#stopAckTimer();
    this.#unacked = 0;
    if (link === this.#link) link.send(encodeControl({ type: 'keel:ack', received: this.#received }));
  }

  #stopAckTimer(): void {
    if (this.#ackTimer !== undefined) clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }

  #acknowledged(received: number): void {
    if (received > this.#sent) return;
    this.#context.store.acknowledged(this.id, received, this.#sent);
  }

  #onClose(link: Link): void {
    if (link !== this.#link) return;
    this.#link = undefined;
    this.#stopAckTimer();
    this.#unacked = 0;
    if (this.#ended) return;
    if (!this.resumable) return this.#end('closed');
    const { windowMs } = this.#context;
    this.#context.store.detach(this.id, Date.now() + windowMs);
    this.#expiry = setTimeout(() => this.#end('expired'), windowMs).unref();
    this.emit('disconnect');
  }

  /** @internal Over here: timers stop, the server forgets it; closed sessions leave the store too. */
  end(reason: SessionEndReason): void {
    this.#end(reason);
  }

  #end(reason: SessionEndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stopAckTimer();
    if (this.#expiry !== undefined) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    const link = this.#link;
    this.#link = undefined;
    if (link !== undefined) link.onMessage = link.onClose = () => {};
    if (this.resumable && reason === 'closed') this.#context.store.discard(this.id);
    this.#context.ended(this);
    this.emit('end', reason);
  }
}
