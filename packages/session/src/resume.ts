import type { Clock, TimerHandle } from './clock.js';
import { parseHello } from './hello.js';
import { CONTROL_PREFIX, encodeControl, escapeApplication, parseControl, PING, PONG, type NotResumedReason } from './resume-messages.js';
import type { HeartbeatOptions } from './heartbeat.js';
import { errorCode, SessionError } from './session-error.js';
import type { SendQueue } from './send-queue.js';
import type { TransportMessage } from './transport.js';

/** The `resume` option (docs/resume-protocol.md). Off by default: a session then behaves as without it. */
export interface ResumeOptions {
  /**
   * How long, in ms, a new connection waits for the server's hello, and then for its answer to the
   * resume request. No hello in time: the connection runs without resumption. No answer in time: the
   * connection is dropped and the session reconnects. Default 2,000.
   */
  readonly helloTimeout: number;
  /** Acknowledge the server's messages after this many. Default 64. */
  readonly ackEvery: number;
  /** ...or this many ms after the first unacknowledged one, whichever comes first. Default 100. */
  readonly ackDelay: number;
}

/**
 * The session's `resume` option, made by resumable(). The protocol's code is reached only through
 * it, so apps that do not resume do not ship it (their bundler drops it).
 */
export interface Resumable {
  readonly options: ResumeOptions;
  /** Makes one session's resume state (the session calls it once, with its resolved heartbeat options). */
  readonly create: (queue: SendQueue, clock: Clock, heartbeat: HeartbeatOptions) => ResumeClient;
}

/**
 * Resumable sessions (docs/resume-protocol.md): `connect(url, { resume: resumable() })`. With a server
 * that offers it in its hello, every message is delivered exactly once, in order, both ways, across
 * reconnects. Throws ERR_INVALID_OPTION for impossible values.
 */
export function resumable(options: Partial<ResumeOptions> = {}): Resumable {
  const resolved: ResumeOptions = { helloTimeout: 2000, ackEvery: 64, ackDelay: 100, ...options };
  const { helloTimeout, ackEvery, ackDelay } = resolved;
  if (!(helloTimeout > 0 && ackEvery >= 1 && ackDelay >= 0)) {
    throw new SessionError('ERR_INVALID_OPTION', 'resume: helloTimeout ms > 0, ackEvery ≥ 1, ackDelay ms ≥ 0');
  }
  return {
    options: resolved,
    create: (queue, clock, heartbeat) => {
      // On a resumable connection the heartbeat texts are the protocol's own (docs/resume-protocol.md).
      if (heartbeat.pingMessage !== PING || heartbeat.pongMessage !== PONG)
        throw new SessionError('ERR_INVALID_OPTION', 'resume: needs the default heartbeat.pingMessage and pongMessage');
      return new ResumeClient(queue, resolved, clock);
    },
  };
}

/**
 * What a failed resumption could not recover (the `notResumed` event). Never silent: the app gets
 * back its own messages that the server did not get, and the count of the server's that it missed.
 */
export interface NotResumedInfo {
  /**
   * 'expired': the server knew the session but its window had passed; 'unknown-session': the server
   * does not know it (a new server without the state); 'unsupported': the server no longer offers
   * resumption.
   */
  readonly reason: NotResumedReason | 'unsupported';
  /** Messages sent that the server reported it never got (known when the server still had the counts), oldest first. */
  readonly lostSent: readonly TransportMessage[];
  /** Messages sent and never acknowledged, whose fate the server could not tell (it lost the counts), oldest first. */
  readonly unconfirmedSent: readonly TransportMessage[];
  /** How many of the server's messages never arrived; undefined when the server no longer knows. */
  readonly lostReceived: number | undefined;
}

/** How a connection's resume handshake ended: the connection fails, or opens with a delivery guarantee. */
export type HandshakeOutcome =
  | { readonly error: SessionError }
  | {
      readonly notResumed?: NotResumedInfo;
      /** The hello's features (the heartbeat opt-in is decided on them). */
      readonly features?: readonly string[];
      /** A first message that was not a hello: an application message, delivered after the open. */
      readonly first?: TransportMessage;
    };

/** What the server's answer meant for this connection. */
export type Accepted =
  | { readonly resumed: boolean; readonly notResumed?: NotResumedInfo }
  /** The answer contradicts what this client holds (it cannot be honoured): drop the connection. */
  | 'mismatch';

/**
 * The client's side of the resume protocol, for the whole session: the session id, the count of the
 * server's messages taken in, and the numbering of its own. Its own messages stay in the session's
 * send queue until acknowledged: the queue holds the unacknowledged ones first, then those never
 * sent, so its bounds and overflow policy cover both, and the queue's head has seq `#headSeq`.
 */
export class ResumeClient {
  readonly options: ResumeOptions;
  readonly #queue: SendQueue;
  readonly #clock: Clock;
  /** Given by the server; null until the first answer (or after resumption became impossible). */
  #session: string | null = null;
  /** The highest seq of the server's application messages taken in. */
  #received = 0;
  /** The seq of the send queue's head. */
  #headSeq = 1;
  /** How many messages at the queue's head were sent at least once in this resume session. */
  #transmitted = 0;
  /** The index in the queue of the next message to send on the current connection. */
  #cursor = 0;
  /** `from` of the request on the current connection. */
  #requestedFrom = 1;
  /** The current connection speaks the protocol (its answer was accepted). */
  #active = false;
  #send: ((message: string) => void) | undefined;
  #unacked = 0;
  #ackTimer: TimerHandle | undefined;
  /** The pending handshake's timer. */
  #handshakeTimer: TimerHandle | undefined;
  /** Takes the connection's messages while its handshake runs. */
  #pending: ((message: TransportMessage) => void) | undefined;
  /** The current connection resumed the session of an earlier one. */
  #resumed = false;

  constructor(queue: SendQueue, options: ResumeOptions, clock: Clock) {
    this.#queue = queue;
    this.options = options;
    this.#clock = clock;
  }

  /** Whether the current connection speaks the protocol (then every app message is numbered). */
  get active(): boolean {
    return this.#active;
  }

  /** Whether the current connection resumed the session of an earlier one (nothing lost either way). */
  get resumed(): boolean {
    return this.#resumed;
  }

  /** The session id the server gave (null before the first answer). */
  get session(): string | null {
    return this.#session;
  }

  /**
   * Runs the handshake of a new connection (docs/resume-protocol.md, "Negotiation"): waits for the
   * hello, sends the request when it offers "resume", reads the answer; `done` gets the outcome once.
   * Until then, take() hands it the connection's messages.
   */
  begin(send: (message: string) => void, done: (outcome: HandshakeOutcome) => void): void {
    const { helloTimeout } = this.options;
    let features: readonly string[] | undefined;
    this.#resumed = false;
    const finish = (outcome: HandshakeOutcome): void => {
      this.#stopHandshakeTimer();
      this.#pending = undefined;
      done(outcome);
    };
    // No resume: today's semantics; what was sent and not acknowledged is reported.
    const plain = (hello: readonly string[] | undefined, first: TransportMessage | undefined): void =>
      finish({ notResumed: this.abandon(), features: hello, first });
    const arm = (): void => {
      this.#stopHandshakeTimer();
      this.#handshakeTimer = this.#clock.setTimeout(
        () =>
          features === undefined
            ? plain(undefined, undefined)
            : finish({ error: new SessionError('ERR_RESUME_TIMEOUT', `no keel:resumed within ${helloTimeout} ms`) }),
        helloTimeout,
      );
    };
    arm();
    this.#pending = (message) => {
      if (features === undefined) {
        const hello = parseHello(message);
        if (hello === undefined || !hello.features.includes('resume'))
          return plain(hello?.features, hello === undefined ? message : undefined);
        features = hello.features;
        arm();
        try {
          send(this.request());
        } catch {
          // The connection is going; its close ends the handshake.
        }
        return;
      }
      const accepted = this.accept(message, send);
      if (accepted !== 'mismatch') this.#resumed = accepted.resumed;
      finish(
        accepted === 'mismatch'
          ? { error: new SessionError('ERR_RESUME_PROTOCOL', 'bad answer to keel:resume') }
          : { notResumed: accepted.notResumed, features },
      );
    };
  }

  /** While the handshake runs, it takes `message` (returns true); else the message is not the handshake's. */
  take(message: TransportMessage): boolean {
    const pending = this.#pending;
    if (pending === undefined) return false;
    pending(message);
    return true;
  }

  #stopHandshakeTimer(): void {
    if (this.#handshakeTimer !== undefined) this.#clock.clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = undefined;
  }

  /** The resume request, the first message the client sends on a connection whose server offered it. */
  request(): string {
    this.#requestedFrom = this.#headSeq;
    return encodeControl({ type: 'keel:resume', session: this.#session, received: this.#received, from: this.#headSeq });
  }

  /**
   * The server's answer to the request (any other message is 'mismatch'): from now on this
   * connection is numbered, and `send` carries acks.
   */
  accept(message: TransportMessage, send: (message: string) => void): Accepted {
    const answer = parseControl(message);
    if (answer?.type !== 'keel:resumed') return 'mismatch';
    let result: Accepted;
    if (answer.resumed) {
      // The server cannot have received more than was ever sent.
      if (answer.received > this.#headSeq + this.#transmitted - 1) return 'mismatch';
      this.acknowledge(answer.received);
      // Both sides agree that the next message is max(received, from − 1) + 1; an overflow drop
      // between the request and the answer would break that.
      if (this.#headSeq !== Math.max(answer.received, this.#requestedFrom - 1) + 1) return 'mismatch';
      result = { resumed: this.#session !== null };
    } else {
      result = {
        resumed: false,
        notResumed: this.#session === null ? undefined : this.#restart(answer.reason, answer.received, answer.sent),
      };
      this.#received = 0;
      this.#headSeq = 1;
    }
    this.#session = answer.session;
    this.#cursor = 0;
    this.#active = true;
    this.#send = send;
    return result;
  }

  /**
   * The connection does not speak the protocol while this session had one: what was sent and not
   * acknowledged cannot be confirmed. Undefined when there was nothing to lose (no session yet).
   */
  abandon(): NotResumedInfo | undefined {
    if (this.#session === null) return undefined;
    const info = this.#restart('unsupported', null, null);
    this.#session = null;
    this.#received = 0;
    this.#headSeq = 1;
    return info;
  }

  /** Takes the messages sent in the old resume session out of the queue; the never-sent ones stay for the new one. */
  #restart(reason: NotResumedInfo['reason'], serverReceived: number | null, serverSent: number | null): NotResumedInfo {
    // What the server said it received arrived: gone from the queue, reported nowhere.
    if (serverReceived !== null) this.acknowledge(serverReceived);
    const sent: TransportMessage[] = [];
    for (; this.#transmitted > 0; this.#transmitted--) sent.push(this.#queue.shift() as TransportMessage);
    return {
      reason,
      lostSent: serverReceived === null ? [] : sent,
      unconfirmedSent: serverReceived === null ? sent : [],
      lostReceived: serverSent === null ? undefined : Math.max(0, serverSent - this.#received),
    };
  }

  /**
   * A message on a numbered connection: the application's (unescaped), or undefined when it was
   * the protocol's (an ack, or a control message of a later version).
   */
  incoming(message: TransportMessage): TransportMessage | undefined {
    const control = parseControl(message);
    if (control?.type === 'keel:ack') return void this.acknowledge(control.received);
    if (control?.type === 'keel:app') return control.data;
    return typeof message === 'string' && message.startsWith(CONTROL_PREFIX) ? undefined : message;
  }

  /** The peer acknowledged every message up to `received`: they leave the queue. */
  acknowledge(received: number): void {
    while (this.#headSeq <= received && this.#transmitted > 0) {
      this.#queue.shift();
      this.#headSeq++;
      this.#transmitted--;
      if (this.#cursor > 0) this.#cursor--;
    }
  }

  /** The queue's overflow policy dropped `count` messages at its head. */
  droppedOldest(count: number): void {
    this.#headSeq += count;
    this.#cursor = Math.max(0, this.#cursor - count);
    this.#transmitted = Math.max(0, this.#transmitted - count);
  }

  /**
   * Sends every queued message not yet sent on this connection, in order (replay first). Stops at
   * the first one the connection refuses (it is going: the next connection resumes from there).
   * A binary message never sent yet that meets a text-only connection (SockJS after a fallback)
   * cannot be helped by a retry: it leaves the queue through `unsendable` (numbers are given on
   * sending, so the ones after it just move up). Returns whether every queued message has now been
   * sent on this connection.
   */
  flush(send: (message: TransportMessage) => void, unsendable: (message: TransportMessage) => void): boolean {
    while (this.#active && this.#cursor < this.#queue.length) {
      const message = this.#queue.peek(this.#cursor) as TransportMessage;
      try {
        send(escapeApplication(message));
      } catch (error) {
        if (errorCode(error) !== 'ERR_BINARY_UNSUPPORTED' || this.#cursor < this.#transmitted) return false;
        this.#queue.removeAt(this.#cursor);
        unsendable(message);
        continue;
      }
      this.#cursor++;
      if (this.#cursor > this.#transmitted) this.#transmitted = this.#cursor;
    }
    return this.#active;
  }

  /** An application message from the server was taken in: count it, and acknowledge in batches. */
  received(): void {
    this.#received++;
    if (++this.#unacked >= this.options.ackEvery) this.#sendAck();
    else if (this.#ackTimer === undefined) this.#ackTimer = this.#clock.setTimeout(() => this.#sendAck(), this.options.ackDelay);
  }

  #sendAck(): void {
    this.#stopAckTimer();
    this.#unacked = 0;
    try {
      this.#send?.(encodeControl({ type: 'keel:ack', received: this.#received }));
    } catch {
      // The connection is going; the next resume request carries the count instead.
    }
  }

  #stopAckTimer(): void {
    if (this.#ackTimer !== undefined) this.#clock.clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }

  /** The connection ended: nothing is sent on it any more; the state waits for the next one. */
  connectionEnded(): void {
    this.#stopHandshakeTimer();
    this.#pending = undefined;
    this.#stopAckTimer();
    this.#active = false;
    this.#send = undefined;
    this.#unacked = 0;
    this.#cursor = 0;
  }
}
