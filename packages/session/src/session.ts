import { EventEmitter } from 'eventemitter3';
import { Attempt } from './attempt.js';
import { backoffDelay } from './backoff.js';
import { classify } from './classifier.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { isValidApplicationCloseCode, isValidCloseReason } from './close-codes.js';
import { describeValue } from './describe-value.js';
import { describeEnd } from './end-description.js';
import { decodePingSequence, encodePingSequence, Heartbeat } from './heartbeat.js';
import { parseHello } from './hello.js';
import { MessageIterator } from './message-iterator.js';
import type { HandshakeOutcome, ResumeClient } from './resume.js';
import { resolveOptions, type Resolvable, type ResolvedOptions, type SessionOptions } from './options.js';
import { SendQueue } from './send-queue.js';
import { asTransportError, errorCode, SessionError } from './session-error.js';
import type { BufferedInfo, DropInfo, SendResult, SessionCloseInfo, SessionData, SessionEvents, SessionState } from './session-events.js';
import { canTransition } from './session-state.js';
import { checkSelectedProtocol, validateProtocols } from './subprotocol.js';
import type { TransportCloseInfo, TransportConnection, TransportMessage } from './transport.js';

/** An option's value for this attempt: a function is called (and awaited); its failure is ERR_RESOLVE naming the option. */
async function evaluate(name: string, value: Resolvable<unknown>): Promise<unknown> {
  if (typeof value !== 'function') return value;
  try {
    return await (value as () => unknown)();
  } catch (error) {
    throw new SessionError('ERR_RESOLVE', `${name}() failed`, { cause: error });
  }
}

/**
 * A logical connection that outlives its transport connections: it reconnects with backoff,
 * detects dead links, queues while disconnected, and ends only when the caller closes it, the
 * signal aborts, or the classifier gives up. See README.md for the delivery semantics.
 */
export class Session extends EventEmitter<SessionEvents> implements AsyncIterable<TransportMessage> {
  readonly #options: SessionOptions;
  readonly #config: ResolvedOptions;
  readonly #clock: Clock;
  readonly #queue: SendQueue;
  readonly #iterators = new Set<MessageIterator>();
  readonly #closed: Promise<SessionCloseInfo>;
  #resolveClosed!: (info: SessionCloseInfo) => void;
  #state: SessionState = 'idle';
  /** The current attempt; while reconnecting, the one that ended (unset once the session finished). */
  #attempt: Attempt | undefined;
  /** Consecutive failed attempts since the last connection that stayed up minUptime. */
  #failures = 0;
  #retryTimer: TimerHandle | undefined;
  /** While reconnecting: starts the next attempt now (the timer's callback; probe() calls it early). */
  #retryNow: (() => void) | undefined;
  /** The URL of the latest attempt that evaluated one, for error messages. */
  #url: string | undefined;
  /** The iterators hold more than a high-water mark (reading is paused where the transport can). */
  #aboveHighWater = false;
  /** The error the session ended with (not for close() or abort): iterators made later reject with it too. */
  #endError: SessionError | undefined;
  #protocol = '';
  #extensions = '';
  #rtt: number | undefined;
  /** The resume protocol's state for the whole session; undefined unless the `resume` option is on. */
  readonly #resume: ResumeClient | undefined;
  /** Set when the session is closing for a reason of its own (abort). */
  #closeError: SessionError | undefined;
  readonly #onAbort = (): void => {
    this.#closeError = new SessionError('ERR_ABORTED', 'the session was aborted by options.signal', {
      cause: this.#options.signal?.reason,
    });
    void this.close(1000, '');
  };

  constructor(options: SessionOptions) {
    super();
    this.#config = resolveOptions(options);
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#queue = new SendQueue(this.#config.queue);
    this.#resume = options.resume?.create(this.#queue, this.#clock, this.#config.heartbeat);
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    // A static offer is checked now, so a typo throws from createSession() rather than later.
    if (typeof options.protocols !== 'function') validateProtocols(options.protocols);
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The subprotocol selected on the current (or last) connection; '' when none. */
  get protocol(): string {
    return this.#protocol;
  }

  get extensions(): string {
    return this.#extensions;
  }

  /** The transport's name ('node', 'websocket', 'sockjs'). */
  get transport(): string {
    return this.#options.transport.name;
  }

  /** The last measured heartbeat round-trip time, in ms (undefined before the first pong). */
  get rtt(): number | undefined {
    return this.#rtt;
  }

  /** What the `for await` loops hold, unread: the fullest loop's messages and their size (see iteratorBuffer). */
  get buffered(): BufferedInfo {
    let messages = 0;
    let bytes = 0;
    for (const iterator of this.#iterators) {
      messages = Math.max(messages, iterator.length);
      bytes = Math.max(bytes, iterator.bytes);
    }
    return { messages, bytes };
  }

  /** Messages waiting in the send queue. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves when the session is closed, with what `close` reported. */
  get closed(): Promise<SessionCloseInfo> {
    return this.#closed;
  }

  /** Starts connecting (createSession calls it). Idempotent. */
  start(): void {
    if (this.#state !== 'idle') return;
    const signal = this.#options.signal;
    // Already aborted: closed at once (close() from idle finishes without connecting).
    if (signal?.aborted === true) return this.#onAbort();
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    void this.#connect();
  }

  /**
   * Sends now when open ('sent'), else queues for the next connection ('queued', or 'dropped'
   * under a drop policy). Throws SessionError: ERR_SESSION_CLOSED once closing or closed,
   * ERR_QUEUE_FULL (overflow 'reject'), ERR_INVALID_DATA, ERR_BINARY_UNSUPPORTED.
   */
  send(data: SessionData): SendResult {
    if (this.#state === 'closing' || this.#state === 'closed') {
      throw new SessionError('ERR_SESSION_CLOSED', `cannot send: the session is ${this.#state}`);
    }
    const message = normalize(data);
    if (typeof message !== 'string' && !this.#options.transport.capabilities.binary) {
      throw new SessionError(
        'ERR_BINARY_UNSUPPORTED',
        `cannot send binary data: the ${this.#options.transport.name} transport sends text only`,
      );
    }
    const connection = this.#attempt?.connection;
    const resume = this.#resume;
    const retained = resume?.active === true;
    if (this.#state === 'open' && connection !== undefined && this.#queue.length === 0 && !retained) {
      try {
        connection.send(message);
        return 'sent';
      } catch {
        // The transport already knows the connection is gone (its close event is on its way):
        // nothing was written, so the message waits for the next connection instead.
      }
    }
    // Copy bytes: the caller may reuse its buffer once send() returns (as with WebSocket.send).
    // With resumption, sent messages stay queued until acknowledged (docs/resume-protocol.md).
    const result = this.#queue.enqueue(typeof message === 'string' ? message : message.slice());
    for (const dropped of result.dropped) this.#drop(dropped, 'overflow');
    if (result.queued && result.dropped.length > 0) resume?.droppedOldest(result.dropped.length);
    if (!result.queued) return 'dropped';
    return retained && this.#state === 'open' && connection !== undefined && resume.flush((m) => connection.send(m), this.#unsendable)
      ? 'sent'
      : 'queued';
  }

  /**
   * Closes the session for good: a closing handshake with `code` (1000 or 3000–4999, RFC 6455
   * §7.4.2) and `reason` (≤ 123 UTF-8 bytes) when a connection is open. Resolves with the close
   * info, whose `unsent` lists what was still queued.
   */
  close(code = 1000, reason = ''): Promise<SessionCloseInfo> {
    if (!isValidApplicationCloseCode(code) || typeof reason !== 'string' || !isValidCloseReason(reason)) {
      throw new SessionError(
        'ERR_INVALID_CLOSE_CODE_ARG',
        `close() code must be 1000 or 3000–4999, reason a string ≤ 123 UTF-8 bytes; got ${describeValue(code)}, ${describeValue(reason)}`,
      );
    }
    if (this.#state === 'closing' || this.#state === 'closed') return this.#closed;
    const attempt = this.#attempt;
    const connection = attempt?.connection;
    // The connection is unset once its attempt ended.
    if (attempt === undefined || connection === undefined) {
      this.#finish({ code, reason, wasClean: true });
      return this.#closed;
    }
    attempt.heartbeat?.stop();
    this.#transition('closing');
    // The transport may already be closing on its own (see quietly) and refuse a second close:
    // tearing the connection down makes sure its close event comes. close() never throws for a
    // transport's state.
    try {
      if (attempt.openedAt !== undefined) connection.close(code, reason);
      else connection.terminate();
    } catch {
      quietly(() => connection.terminate());
    }
    return this.#closed;
  }

  /**
   * Checks the link now (browsers call it on 'online', visibility and pageshow events): when open,
   * an immediate heartbeat ping; when reconnecting, the next attempt starts now instead of after
   * the rest of its backoff delay.
   */
  probe(): void {
    if (this.#retryNow !== undefined) this.#retryNow();
    else this.#attempt?.heartbeat?.probe();
  }

  /**
   * `for await (const message of session)`: every message from now on. The loop ends when the
   * session closes OK (close(), the abort signal, a server's normal closure) and throws the
   * session's SessionError when it ends for any other reason (gave up, 404, max attempts...).
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<TransportMessage> {
    const iterator = new MessageIterator(
      (it) => {
        this.#iterators.delete(it);
        this.#checkBuffered();
      },
      () => this.#checkBuffered(),
    );
    if (this.#state === 'closed') iterator.end(this.#endError);
    else this.#iterators.add(iterator);
    return iterator;
  }

  async #connect(): Promise<void> {
    const attempt = new Attempt();
    this.#attempt = attempt;
    this.#transition('connecting');
    const options = this.#options;
    const transport = options.transport;
    // Every failure before the transport reports is this attempt's failure (unless it already ended).
    try {
      // URL, protocols and headers are evaluated for every attempt.
      const url = await evaluate('url', options.url);
      const protocols = await evaluate('protocols', options.protocols);
      const headers = await evaluate('headers', options.headers ?? {});
      if (typeof url !== 'string') throw new SessionError('ERR_INVALID_OPTION', `url() must return a string; got ${describeValue(url)}`);
      // Only the type: a header value may be a credential, and messages end up in logs.
      if (typeof headers !== 'object' || headers === null)
        throw new SessionError('ERR_INVALID_OPTION', `headers() must return an object; got ${headers === null ? 'null' : typeof headers}`);
      const offered = validateProtocols(protocols);
      this.#url = url;
      // close() or abort while the request was evaluated.
      if (attempt.ended) return;
      // Subprotocols are wanted but the transport cannot negotiate them in its handshake (SockJS):
      // refused, unless the policy is 'in-band' and the transport negotiates in-band itself.
      const { capabilities } = transport;
      const policy = this.#config.subprotocolFallback;
      if (offered.length > 0 && !capabilities.subprotocolNegotiation && (policy === 'refuse' || capabilities.inBandSubprotocols !== true)) {
        throw new SessionError(
          'ERR_SUBPROTOCOL_UNSUPPORTED',
          `the ${transport.name} transport cannot negotiate subprotocols (subprotocolFallback: '${policy}')`,
        );
      }
      attempt.offered = offered;
      const connection = transport.open(
        { url, protocols: offered, headers: headers as Record<string, string> },
        {
          onOpen: (info) => this.#onTransportOpen(attempt, info),
          onMessage: (data) => this.#onMessage(attempt, data),
          onPong: (data) => {
            if (!attempt.ended) attempt.heartbeat?.pong(decodePingSequence(data));
          },
          onPing: () => {
            if (attempt.ended) return;
            attempt.heartbeat?.activity();
            this.emit('ping');
          },
          onClose: (info) => {
            if (!attempt.ended) this.#ended(attempt, attempt.failure ? { ...info, error: attempt.failure } : info);
          },
        },
      );
      if (!attempt.ended) attempt.connection = connection;
    } catch (error) {
      if (!attempt.ended)
        this.#ended(attempt, { code: 1006, reason: '', wasClean: false, beforeOpen: true, error: asTransportError(error) });
    }
  }

  #onTransportOpen(attempt: Attempt, { protocol, extensions }: { protocol: string; extensions: string }): void {
    // Unset until open() returned.
    const connection = attempt.connection;
    // Refused while closing: close() terminated this attempt, and the transport reported the
    // handshake's success before its close (the table in session-state.ts).
    if (attempt.ended || connection === undefined || !canTransition(this.#state, 'open')) return;
    // RFC 6455 §4.1 (client requirement 6): the selection must be one of the offer.
    const mismatch = checkSelectedProtocol(protocol, attempt.offered);
    if (mismatch !== undefined) this.#fail(attempt, mismatch);
    else if (this.#resume !== undefined)
      this.#resume.begin(
        (m) => connection.send(m),
        (outcome) => this.#resumeDone(attempt, connection, protocol, extensions, outcome),
      );
    else this.#opened(attempt, connection, protocol, extensions);
  }

  /** The resume handshake ended (resume option): the connection fails, or opens with the guarantee it found. */
  #resumeDone(attempt: Attempt, connection: TransportConnection, protocol: string, extensions: string, outcome: HandshakeOutcome): void {
    if ('error' in outcome) return this.#fail(attempt, outcome.error);
    if (outcome.notResumed !== undefined) {
      this.emit('notResumed', outcome.notResumed);
      // A listener may have closed the session.
      if (attempt.ended || this.#state !== 'connecting') return;
    }
    // Refused when close() came while the handshake ran (the transition table): nothing opens.
    if (!this.#opened(attempt, connection, protocol, extensions)) return;
    // A 'state' or 'open' listener may have closed the session already.
    if (outcome.features !== undefined && this.#state === 'open') this.#onHello(attempt, outcome.features);
    if (outcome.first !== undefined) this.#onMessage(attempt, outcome.first);
  }

  /**
   * The connection is open for the application. Returns false, doing nothing, when the table
   * refuses the move: close() came while the transport or the resume handshake was finishing.
   */
  #opened(attempt: Attempt, connection: TransportConnection, protocol: string, extensions: string): boolean {
    if (!canTransition(this.#state, 'open')) return false;
    this.#protocol = protocol;
    this.#extensions = extensions;
    // Where the resume handshake ran, the hello was the handshake's.
    attempt.open(this.#clock.now(), this.#resume === undefined);
    this.#transition('open', () => {
      // The loops are still full from the previous connection: this one starts paused too.
      if (this.#aboveHighWater) quietly(() => connection.pauseReading?.());
      // Queued messages go first, in order, before anything sent from a 'state' or 'open' listener.
      this.#flush(attempt, connection);
      this.#startHeartbeat(attempt, connection);
    });
    // A 'state' listener may have closed the session (or the connection) already.
    if (this.#state === 'open') {
      const resume = this.#resume;
      this.emit('open', {
        protocol,
        extensions,
        transport: this.#options.transport.name,
        attempt: this.#failures,
        resumed: resume?.resumed === true,
        delivery: resume?.active === true ? 'exactly-once' : 'at-most-once-in-flight',
      });
    }
    return true;
  }

  #flush(attempt: Attempt, connection: TransportConnection): void {
    // Resuming: the replay of the unacknowledged messages, then the rest, all kept until acknowledged.
    if (this.#resume?.active === true) return void this.#resume.flush((m) => connection.send(m), this.#unsendable);
    while (!attempt.ended && this.#queue.length > 0) {
      const message = this.#queue.shift() as TransportMessage;
      // Queued while the next connection was expected to carry binary, and this one cannot (the
      // fallback turned out to be SockJS, whose send throws ERR_BINARY_UNSUPPORTED): retrying
      // cannot help, so it is dropped and reported rather than blocking everything behind it.
      if (typeof message === 'string' || this.#options.transport.capabilities.binary) {
        try {
          connection.send(message);
          continue;
        } catch (error) {
          if (errorCode(error) !== 'ERR_BINARY_UNSUPPORTED') {
            // Not written (the connection is going): it stays first in line for the next one.
            this.#queue.unshift(message);
            return;
          }
        }
      }
      this.#drop(message, 'binary-unsupported');
    }
  }

  readonly #unsendable = (message: TransportMessage): void => this.#drop(message, 'binary-unsupported');

  #drop(message: TransportMessage, reason: DropInfo['reason']): void {
    this.emit('drop', { message, policy: this.#config.queue.overflow, reason });
  }

  /**
   * Protocol Pings where this connection has them; application-level pings when the app asked for
   * them (mode 'message'); in mode 'auto' without protocol ping, nothing until the server opts in
   * with its keel:hello (#onHello). Decided per connection: a transport that pings in general may
   * hand over one without ping().
   */
  #startHeartbeat(attempt: Attempt, connection: TransportConnection): void {
    const config = this.#config.heartbeat;
    if (config.interval <= 0) return;
    const ping = connection.ping;
    const protocolPing = config.mode !== 'message' && this.#options.transport.capabilities.protocolPing && ping !== undefined;
    if (protocolPing) this.#runHeartbeat(attempt, connection, (sequence) => ping.call(connection, encodePingSequence(sequence)));
    else if (config.mode !== 'auto') this.#runHeartbeat(attempt, connection);
  }

  /** The server's keel:hello, as the connection's first message: it may opt in to the application-level heartbeat. */
  #onHello(attempt: Attempt, features: readonly string[]): void {
    const connection = attempt.connection;
    const config = this.#config.heartbeat;
    if (connection === undefined || attempt.heartbeat !== undefined || config.mode !== 'auto' || config.interval <= 0) return;
    if (features.includes('heartbeat')) this.#runHeartbeat(attempt, connection);
  }

  /** Starts this connection's heartbeat: with `protocolPing`, else with the application-level ping message. */
  #runHeartbeat(attempt: Attempt, connection: TransportConnection, protocolPing?: (sequence: number) => void): void {
    const config = this.#config.heartbeat;
    attempt.appHeartbeat = protocolPing === undefined;
    const heartbeat = new Heartbeat(this.#clock, config, {
      // A timer calls this (see quietly).
      sendPing: (sequence) => quietly(() => (protocolPing !== undefined ? protocolPing(sequence) : connection.send(config.pingMessage))),
      onDead: () =>
        this.#fail(
          attempt,
          new SessionError('ERR_HEARTBEAT_TIMEOUT', `heartbeat timeout: nothing received within ${config.timeout} ms of a ping`),
        ),
      onRtt: (rtt) => {
        this.#rtt = rtt;
        this.emit('rtt', rtt);
      },
    });
    attempt.heartbeat = heartbeat;
    // While reading is paused no pong can be read: the heartbeat waits for the resume.
    if (!(this.#aboveHighWater && connection.pauseReading !== undefined)) heartbeat.start();
  }

  #onMessage(attempt: Attempt, data: TransportMessage): void {
    if (attempt.ended) return;
    const heartbeat = attempt.heartbeat;
    heartbeat?.activity();
    if (this.#resume?.take(data) === true) return;
    if (attempt.awaitingHello) {
      attempt.awaitingHello = false;
      // A Keel-aware server's first message (docs/heartbeat-opt-in.md): consumed on every transport.
      const hello = parseHello(data);
      if (hello !== undefined) return this.#onHello(attempt, hello.features);
    }
    const config = this.#config.heartbeat;
    // On a resumable connection the heartbeat texts are never application messages, whatever the heartbeat's mode.
    if ((attempt.appHeartbeat || this.#resume?.active === true) && typeof data === 'string') {
      if (data === config.pongMessage) return heartbeat?.pong();
      if (data === config.pingMessage) {
        const connection = attempt.connection;
        if (this.#state === 'open' && connection !== undefined) quietly(() => connection.send(config.pongMessage));
        this.emit('ping');
        return;
      }
    }
    const resume = this.#resume;
    if (resume?.active === true) {
      const application = resume.incoming(data);
      if (application === undefined) return;
      data = application;
    }
    if (this.#state !== 'open' && this.#state !== 'closing') return;
    resume?.received();
    this.emit('message', data);
    for (const iterator of this.#iterators) iterator.push(data);
    this.#checkBuffered();
  }

  /**
   * Backpressure with hysteresis: above a high-water mark, pause reading where the transport can
   * (TCP backpressure); once every loop is back at both low-water marks, read again. Called after
   * every message pushed and every message read.
   */
  #checkBuffered(): void {
    const marks = this.#config.iteratorBuffer;
    const buffered = this.buffered;
    const high = this.#aboveHighWater
      ? buffered.bytes > marks.lowWaterBytes || buffered.messages > marks.lowWaterMessages
      : buffered.bytes > marks.highWaterBytes || buffered.messages > marks.highWaterMessages;
    if (high === this.#aboveHighWater) return;
    this.#aboveHighWater = high;
    const attempt = this.#attempt;
    const connection = attempt?.connection;
    // Never while closing: the peer's answering Close must still be read (RFC 6455 §7.1.2).
    const canPause = this.#state === 'open' && connection?.pauseReading !== undefined;
    if (canPause && high) {
      // No pong can be read while paused: the heartbeat waits for the resume.
      attempt?.heartbeat?.stop();
      quietly(() => connection.pauseReading?.());
    } else if (canPause) {
      quietly(() => connection.resumeReading?.());
      if (this.#state === 'open') attempt?.heartbeat?.start();
    }
    this.emit('backpressure', { ...buffered, high, readingPaused: high && canPause });
  }

  /** The session itself gives up on this connection; the transport's onClose follows. */
  #fail(attempt: Attempt, error: SessionError): void {
    if (attempt.ended) return;
    attempt.failure = error;
    attempt.heartbeat?.stop();
    this.emit('error', error);
    attempt.connection?.terminate();
  }

  /** A connection or attempt ended: close for good, or schedule the next attempt. */
  #ended(attempt: Attempt, info: TransportCloseInfo): void {
    attempt.end();
    this.#resume?.connectionEnded();
    if (attempt.stayedOpen(this.#clock.now(), this.#config.reconnect.minUptime)) this.#failures = 0;
    if (this.#state === 'closing') return this.#finish(info);
    const decision = classify(info, this.#options.classify);
    const cause = info.error;
    // Top-level messages name the cause in words; the chain stays in `cause`.
    const what = describeEnd(info, this.#url);
    if (decision === 'stop') {
      const normal = info.code === 1000 && cause === undefined;
      return this.#finish(info, normal ? undefined : new SessionError('ERR_RECONNECT_STOPPED', `gave up after ${what}`, { cause }));
    }
    if (decision === 'refresh' && this.#options.refreshCredentials === undefined) {
      return this.#finish(
        info,
        new SessionError('ERR_CREDENTIALS', `gave up after ${what}: credentials refused and no refreshCredentials option`, { cause }),
      );
    }
    if (this.#failures >= this.#config.reconnect.maxAttempts) {
      const attempts = this.#failures + 1;
      return this.#finish(
        info,
        new SessionError('ERR_MAX_ATTEMPTS', `gave up after ${attempts} failed attempt${attempts === 1 ? '' : 's'}, the last: ${what}`, {
          cause,
        }),
      );
    }
    this.#failures++;
    const delay = backoffDelay(this.#failures, this.#config.reconnect, this.#options.random ?? Math.random);
    // Listeners of 'state' and 'reconnecting' may close the session: then nothing is scheduled.
    this.#transition('reconnecting');
    if (this.#state !== 'reconnecting') return;
    this.emit('reconnecting', { attempt: this.#failures, delay, reason: info, decision });
    if (this.#state !== 'reconnecting') return;
    // While reconnecting the ended attempt stays current; the state tells whether close() came first.
    const retryNow = async (): Promise<void> => {
      this.#clearRetry();
      try {
        if (decision === 'refresh') await this.#options.refreshCredentials?.();
      } catch (error) {
        if (this.#state === 'reconnecting') {
          this.#finish(
            { code: 1006, reason: '', wasClean: false },
            new SessionError(
              'ERR_CREDENTIALS',
              `gave up: refreshCredentials failed (${error instanceof Error ? error.message : String(error)})`,
              { cause: error },
            ),
          );
        }
        return;
      }
      if (this.#state === 'reconnecting') await this.#connect();
    };
    this.#retryNow = retryNow;
    this.#retryTimer = this.#clock.setTimeout(retryNow, delay);
  }

  #clearRetry(): void {
    if (this.#retryTimer !== undefined) this.#clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#retryNow = undefined;
  }

  /** Closes the session for good; only `code`, `reason` and `wasClean` of `end` are reported. */
  #finish(end: Pick<TransportCloseInfo, 'code' | 'reason' | 'wasClean'>, error?: SessionError): void {
    if (!canTransition(this.#state, 'closed')) return;
    this.#clearRetry();
    const attempt = this.#attempt;
    attempt?.end();
    this.#resume?.connectionEnded();
    this.#attempt = undefined;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    const info: SessionCloseInfo = {
      code: end.code,
      reason: end.reason,
      wasClean: end.wasClean,
      error: this.#closeError ?? error,
      unsent: this.#queue.drain(),
    };
    this.#transition('closed', () => {
      // The loops end OK after close() or the abort signal; any other end is an error they throw.
      this.#endError = this.#closeError === undefined ? error : undefined;
      for (const iterator of this.#iterators) iterator.end(this.#endError);
      this.#iterators.clear();
    });
    this.emit('close', info);
    this.#resolveClosed(info);
  }

  /**
   * The one place the state changes. A change the table in session-state.ts does not allow is
   * refused: nothing happens. `enter` runs once the state has changed and before 'state'
   * listeners hear of it (what must happen first on entering the state).
   */
  #transition(to: SessionState, enter?: () => void): void {
    const from = this.#state;
    if (!canTransition(from, to)) return;
    this.#state = to;
    enter?.();
    this.emit('state', to, from);
  }
}

/**
 * A call into a transport from a timer, an event or close()/probe(): it must not throw. A
 * connection that is already ending (a server's Close arrived and TCP is still open, RFC 6455
 * §7.1.3) may refuse it; its close event follows and reports why, so there is nothing to add.
 */
function quietly(call: () => void): void {
  try {
    call();
  } catch {
    // See above: the transport's close event is on its way.
  }
}

/** Text stays text; bytes become a Uint8Array view (copied only when queued). */
function normalize(data: SessionData): TransportMessage {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new SessionError('ERR_INVALID_DATA', `send() data must be a string, ArrayBuffer or ArrayBufferView; got ${describeValue(data)}`);
}

/** Creates a session and starts connecting on the next microtask... */
export function createSession(options: SessionOptions): Session {
  const session = new Session(options);
  // Starting after the current task lets the caller attach listeners and see 'connecting'.
  void Promise.resolve().then(() => session.start());
  return session;
}
