import type net from 'node:net';
import { Blob, constants as bufferConstants } from 'node:buffer';
import { ClientProtocol } from '../protocol/client-protocol.js';
import { validateCloseArguments } from '../protocol/close-payload.js';
import { CloseCode, HandshakeError, KeelError, UsageError, type HeaderList } from '../protocol/errors.js';
import type { CloseEvent as ProtocolCloseEvent, MessageEvent as ProtocolMessageEvent, ProtocolEvent } from '../protocol/events.js';
import { resolvePerMessageDeflateOffers, type PerMessageDeflateOffer, type ResolvedPerMessageDeflateOffer } from '../protocol/permessage-deflate-negotiation.js';
import { tuning, type ProtocolConfig } from '../protocol/config.js';
import { ConnectDeadline } from './connectivity/connect-deadline.js';
import { ConnectDiagnostics, redactHeaders } from './connectivity/connect-diagnostics.js';
import { ConnectStageError } from './connectivity/connectivity-errors.js';
import { openConnection } from './connectivity/open-connection.js';
import { redactCredentials } from './connectivity/proxy-from-env.js';
import { decideRedirect, initialRedirectState, redirectStatuses, type RedirectState } from './connectivity/redirect-policy.js';
import { isTlsFailure, toTlsError } from './connectivity/tls-upgrade.js';
import { PerMessageDeflateCodec } from './deflate/permessage-deflate-codec.js';
import { asBuffer, nodePrimitives } from './node-primitives.js';
import { MIN_OWN_READ_SPACE, OWN_READ_BUFFER_SIZE, onReadOptions, setNextReadBuffer, sharedReadBuffer } from './socket-read-buffers.js';
import {
  WebSocketCloseEvent,
  WebSocketControlEvent,
  WebSocketErrorEvent,
  WebSocketEvent,
  WebSocketEventTarget,
  WebSocketMessageEvent,
} from './websocket-events.js';
import type { PerMessageDeflateSettings, WebSocketOptions } from './websocket-options.js';
import { parseWebSocketUrl, type ParsedWebSocketUrl } from './websocket-url.js';

export type BinaryType = 'blob' | 'arraybuffer' | 'nodebuffer';
export type WebSocketData = string | ArrayBuffer | ArrayBufferView | Blob;

/** Per-message send options (Node extra). */
export interface SendMessageOptions {
  /** Compress this message when permessage-deflate was negotiated and it passes the threshold. Default true. */
  readonly compress?: boolean;
}

type Handler<E> = ((this: WebSocket, event: E) => void) | null;

/** An outgoing message waiting for compression (or a Blob's bytes) so that order is kept. */
interface PendingSend {
  readonly text: boolean;
  readonly data: Uint8Array | Blob;
  readonly size: number;
  readonly compress: boolean;
}

/** A received message waiting for inflation, or behind one. */
interface PendingReceive {
  readonly binary: boolean;
  data: Uint8Array | null;
}

/** The WebSocket a socket belongs to, for the shared socket listeners. */
const socketOwner = Symbol('keel.websocket');
type OwnedSocket = net.Socket & { [socketOwner]?: WebSocket | undefined };

const noPendingSends: readonly PendingSend[] = [];
const noPendingReceives: readonly PendingReceive[] = [];
const noProtocols: readonly string[] = [];

type HandshakeOutcome = 'open' | 'failed' | 'redirect';

/** The state of a connection attempt (the WebSocket drops it once open). */
interface ConnectAttempt {
  readonly protocols: readonly string[];
  readonly deflate: DeflatePlan;
  /** Why close() was called before the deadline existed (it aborts the deadline once made). */
  aborted: KeelError | null;
  deadline: ConnectDeadline | null;
  settle: ((outcome: HandshakeOutcome) => void) | null;
  /** A failure that replaces the engine's (a redirect that cannot be followed). */
  errorOverride?: KeelError;
}

/** The permessage-deflate offers and codec settings of one `perMessageDeflate` option value. */
interface DeflatePlan {
  readonly offers: readonly PerMessageDeflateOffer[];
  readonly codecSettings: PerMessageDeflateSettings;
  /** The offers checked and with defaults applied, made by the first engine that needs them. */
  resolved: readonly ResolvedPerMessageDeflateOffer[] | null;
}

/** The plan of the default option (`true`), shared by every connection that keeps it. */
const defaultDeflatePlan: DeflatePlan = { offers: Object.freeze([Object.freeze({})]), codecSettings: Object.freeze({}), resolved: null };

function deflatePlan(option: WebSocketOptions['perMessageDeflate']): DeflatePlan {
  const settings = option ?? true;
  if (settings === true) return defaultDeflatePlan;
  const list: readonly (PerMessageDeflateSettings | boolean)[] = Array.isArray(settings) ? settings : [settings as PerMessageDeflateSettings | boolean];
  let codecSettings: PerMessageDeflateSettings = {};
  const offers: PerMessageDeflateOffer[] = [];
  for (const entry of list) {
    if (entry === false) continue;
    if (entry === true) {
      offers.push({});
      continue;
    }
    const { threshold, level, memLevel, ...offer } = entry;
    if (offers.length === 0) codecSettings = { threshold, level, memLevel };
    offers.push(offer);
  }
  return { offers, codecSettings, resolved: null };
}

/** Received messages waiting for inflation before the socket stops being read (backpressure). */
const INBOUND_PAUSE_THRESHOLD = tuning.inboundPauseMark;

/**
 * A WebSocket client for Node with the WHATWG surface (browser code runs unchanged) over Keel's
 * own RFC 6455 engine, plus Node extras: ping/pong, `drained()`, `responseHeaders`, proxies,
 * TLS options, Unix sockets, permessage-deflate. See API.md.
 */
export class WebSocket extends WebSocketEventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  // The instance constants live on the prototype (as in the WHATWG IDL), not in every object.
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSING: 2;
  declare readonly CLOSED: 3;

  /** The URL as resolved (http: and https: become ws: and wss:). After a followed redirect, still the URL asked for. */
  readonly url: string;
  // on<type> handlers: accessors on the prototype over one lazily created slot object.
  declare onopen: Handler<WebSocketEvent>;
  declare onmessage: Handler<WebSocketMessageEvent>;
  declare onerror: Handler<WebSocketErrorEvent>;
  declare onclose: Handler<WebSocketCloseEvent>;
  declare onping: Handler<WebSocketControlEvent>;
  declare onpong: Handler<WebSocketControlEvent>;
  declare ondrain: Handler<WebSocketEvent>;

  #readyState = 0;
  #binaryType: BinaryType = 'blob';
  readonly #options: WebSocketOptions;

  /** What only the connection attempt needs (a redirect makes a new request); dropped once open. */
  #attempt: ConnectAttempt | null;
  #engine: ClientProtocol;
  #socket: net.Socket | null = null;
  /** The engine's receive buffer the socket was last given to read into (`onread` sockets), or null. */
  #engineReadBuffer: Uint8Array | null = null;

  /** Aborts the attempt when close() is called while connecting; dropped once open. */

  #codec: PerMessageDeflateCodec | null = null;
  /** MessageEvent.origin, computed with the first message (idle connections never need it). */
  #origin: string | null = null;
  #flushScheduled = false;
  #closeTimer: ReturnType<typeof setTimeout> | null = null;
  #socketEnded = false;
  /** Why the socket is ending: our own reason (a KeelError: timeout, terminate, abort) or the socket's error; the first one wins. */
  #endCause: KeelError | Error | undefined;
  // Queues start as shared empty arrays and get their own on first use: idle connections are many.
  #outbound: PendingSend[] = noPendingSends as PendingSend[];
  #outboundBytes = 0;
  #pumping = false;
  #pendingClose: { code: number | undefined; reason: string | undefined } | null = null;
  #inbound: PendingReceive[] = noPendingReceives as PendingReceive[];
  #inflateChain: Promise<void> | null = null;
  #drainWaiters: Array<() => void> | null = null;
  #abortListener: (() => void) | null = null;
  /** pause() was called: the socket stays unread until resume(), whatever inflation needs. */
  #readingPaused = false;

  constructor(url: string | URL, protocols?: string | readonly string[], options: WebSocketOptions = {}) {
    super();
    const parsed = parseWebSocketUrl(url);
    this.url = parsed.url.href;
    this.#options = options;
    this.#attempt = {
      protocols: protocols === undefined ? noProtocols : typeof protocols === 'string' ? [protocols] : [...protocols],
      deflate: deflatePlan(options.perMessageDeflate),
      aborted: null,
      deadline: null,
      settle: null,
    };
    validateLimits(options);
    this.#engine = this.#createEngine(parsed, options.headers ?? {});
    process.nextTick(() => {
      this.#connect(parsed).catch((error: unknown) => this.#failInternally(error));
    });
  }

  get readyState(): number {
    return this.#currentState();
  }

  /** The subprotocol the server selected, '' before open or when none. */
  get protocol(): string {
    return this.#readyState === WebSocket.CONNECTING ? '' : this.#engine.protocol;
  }

  /** The extensions the server accepted (Sec-WebSocket-Extensions), '' when none. */
  get extensions(): string {
    return this.#readyState === WebSocket.CONNECTING ? '' : this.#engine.extensions;
  }

  get binaryType(): BinaryType {
    return this.#binaryType;
  }

  set binaryType(type: BinaryType) {
    // WHATWG: an unknown value is ignored.
    if (type === 'blob' || type === 'arraybuffer' || type === 'nodebuffer') this.#binaryType = type;
  }

  /** Bytes accepted by send() and not yet handed to the kernel. */
  get bufferedAmount(): number {
    if (this.#readyState === WebSocket.CONNECTING) return 0;
    const socket = this.#socket;
    return this.#outboundBytes + this.#engine.bufferedAmount + (socket === null ? 0 : socket.writableLength);
  }

  /** The handshake response headers (names lower case), once open. */
  get responseHeaders(): HeaderList {
    return this.#engine.responseHeaders;
  }

  /**
   * Sends a message: a string as text, binary data (ArrayBuffer, a view, a Blob) as binary.
   * Throws UsageError ERR_INVALID_ARGUMENT for any other value, then ERR_INVALID_STATE unless the
   * connection is open (misuse fails at once).
   */
  send(data: WebSocketData, options?: SendMessageOptions): void {
    // WebIDL: the argument is converted before the method's steps run, so a value of the wrong
    // type is rejected whatever the state (as a TypeError in browsers).
    let text = false;
    let bytes: Uint8Array | Blob;
    let owned = false;
    if (typeof data === 'string') {
      text = true;
      bytes = Buffer.from(data, 'utf8');
      owned = true;
    } else if (data instanceof ArrayBuffer) {
      bytes = new Uint8Array(data);
    } else if (ArrayBuffer.isView(data)) {
      bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } else if (data instanceof Blob) {
      bytes = data;
    } else {
      throw new UsageError('ERR_INVALID_ARGUMENT', `send() takes a string, an ArrayBuffer, an ArrayBufferView or a Blob, got ${describeValue(data)}`);
    }
    // WHATWG send() step 1: "If this's ready state is CONNECTING, then throw an InvalidStateError."
    // Keel also throws once closing or closed (docs/decisions.md, "Misuse throws").
    if (this.#currentState() !== WebSocket.OPEN || this.#pendingClose !== null) {
      throw new UsageError('ERR_INVALID_STATE', `Cannot send: the WebSocket is ${stateName(this.#readyState)}`);
    }
    const size = bytes instanceof Blob ? bytes.size : bytes.length;
    const codec = this.#codec;
    const compress = codec !== null && codec.shouldCompress(size, options?.compress ?? true);
    if (compress || bytes instanceof Blob || this.#outbound.length > 0) {
      if (this.#outbound === noPendingSends) this.#outbound = [];
      this.#outbound.push({ text, data: bytes, size, compress });
      this.#outboundBytes += size;
      if (!this.#pumping) void this.#pump();
      return;
    }
    if (text) this.#engine.sendText(bytes, { owned });
    else this.#engine.sendBinary(bytes);
    this.#scheduleFlush();
  }

  /** Starts the closing handshake (WHATWG close()). Code 1000 or 3000-4999; reason ≤ 123 UTF-8 bytes. */
  close(code?: number, reason?: string): void {
    validateCloseArguments(code, reason);
    const state = this.#currentState();
    if (state === WebSocket.CLOSING || state === WebSocket.CLOSED) return;
    if (this.#readyState === WebSocket.CONNECTING) {
      this.#readyState = WebSocket.CLOSING;
      const attempt = this.#attempt;
      if (attempt !== null) {
        const reason = new KeelError('ERR_ABORTED', 'close() was called before the connection opened', CloseCode.abnormal);
        if (attempt.deadline === null) attempt.aborted = reason;
        else attempt.deadline.abort(reason);
      }
      return;
    }
    this.#readyState = WebSocket.CLOSING;
    if (this.#outbound.length > 0) {
      // Messages sent before close() still go out first (they are waiting for compression).
      this.#pendingClose = { code, reason };
      return;
    }
    // WHATWG close(): with neither code nor reason the Close frame has no body.
    this.#engine.sendClose(code, reason);
    this.#afterCommand();
  }

  /** Node extra: sends a Ping (payload at most 125 bytes). The Pong arrives as a `pong` event. */
  ping(data: string | ArrayBufferView | ArrayBuffer = new Uint8Array(0)): void {
    this.#assertOpen('ping');
    this.#engine.sendPing(toBytes(data));
    this.#scheduleFlush();
  }

  /** Node extra: sends an unsolicited Pong (a unidirectional heartbeat, RFC 6455 §5.5.3). */
  pong(data: string | ArrayBufferView | ArrayBuffer = new Uint8Array(0)): void {
    this.#assertOpen('pong');
    this.#engine.sendPong(toBytes(data));
    this.#scheduleFlush();
  }

  /** Node extra: resolves once everything sent so far has been handed to the kernel (or the connection closed). */
  drained(): Promise<void> {
    if (this.bufferedAmount === 0 || this.#readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => (this.#drainWaiters ??= []).push(resolve));
  }

  /**
   * Node extra (as ws's pause()): stops reading from the socket once open, so the server's sends
   * stall in TCP flow control instead of piling up in this process. Messages already read may
   * still be delivered. No-op while connecting (the handshake must be read) or once closed.
   */
  pause(): void {
    if (this.#readyState === WebSocket.CONNECTING || this.#readyState === WebSocket.CLOSED) return;
    this.#readingPaused = true;
    this.#socket?.pause();
  }

  /** Node extra: reads the socket again after pause(). */
  resume(): void {
    if (!this.#readingPaused) return;
    this.#readingPaused = false;
    // Inflation backpressure may still want the socket paused: #deliverReady resumes it then.
    if (this.#inbound.length < INBOUND_PAUSE_THRESHOLD && this.#readyState !== WebSocket.CLOSED) this.#socket?.resume();
  }

  /** Tears the connection down at once, without a closing handshake (close event 1006). */
  terminate(): void {
    if (this.#readyState === WebSocket.CLOSED) return;
    if (this.#readyState === WebSocket.CONNECTING) {
      this.close();
      return;
    }
    this.#readyState = WebSocket.CLOSING;
    this.#endCause ??= new KeelError('ERR_CONNECTION_LOST', 'terminate() was called', CloseCode.abnormal);
    this.#socket?.destroy();
  }

  // ---- Connecting ---------------------------------------------------------------------------

  #createEngine(parsed: ParsedWebSocketUrl, headers: Readonly<Record<string, string>>): ClientProtocol {
    const options = this.#options;
    const attempt = this.#attempt as ConnectAttempt;
    return new ClientProtocol({
      target: { resource: parsed.resource, hostHeader: parsed.hostHeader },
      protocols: attempt.protocols,
      headers,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      perMessageDeflate: (attempt.deflate.resolved ??= resolvePerMessageDeflateOffers(attempt.deflate.offers)),
      config: configOverrides(options),
      ...nodePrimitives,
    });
  }

  async #connect(first: ParsedWebSocketUrl): Promise<void> {
    const options = this.#options;
    const attempt = this.#attempt as ConnectAttempt;
    // close() aborts the deadline itself: no AbortController (nor AbortSignal.any) per connection.
    const deadline = new ConnectDeadline({ timeout: this.#engine.config.handshakeTimeout, signal: options.signal });
    attempt.deadline = deadline;
    if (attempt.aborted !== null) deadline.abort(attempt.aborted);
    const diagnostics = new ConnectDiagnostics({ onDiagnostic: options.onDiagnostic });
    let target = first;
    let headers: Readonly<Record<string, string>> = options.headers ?? {};
    // Made with the first redirect: most connections never see one.
    let redirects: RedirectState | null = null;
    for (;;) {
      let socket: net.Socket;
      try {
        ({ socket } = await openConnection(target.url, options, deadline, diagnostics, WebSocket.#onread));
      } catch (error) {
        deadline.finish();
        this.#engine.fail(toKeelError(error));
        this.#engine.receiveEof();
        this.#process();
        return;
      }
      deadline.track(socket);
      deadline.enter('handshake');
      // URL credentials (ws://user:pass@host) are never sent, and never shown: redacted like a proxy's.
      const shownUrl = redactCredentials(target.url.href);
      if (diagnostics.wants('handshake:request')) {
        const sent = headers;
        diagnostics.publish('handshake:request', () => ({ type: 'handshake:request', url: shownUrl, headers: redactHeaders(Object.entries(sent)) }));
      }
      const outcome = await this.#handshake(socket);
      if (diagnostics.wants('handshake:response') && this.#engine.responseHeaders.length > 0) {
        const status = this.#engine.handshakeError?.status ?? 101;
        diagnostics.publish('handshake:response', () => ({ type: 'handshake:response', url: shownUrl, status }));
      }
      if (outcome === 'failed') {
        const failure = attempt.errorOverride ?? this.#engine.failure;
        if (failure !== null) diagnostics.publishError('handshake', failure);
      }
      if (outcome !== 'redirect') return;
      const refused = this.#engine.handshakeError as HandshakeError;
      try {
        const decision = decideRedirect(
          { status: refused.status as number, headers: refused.headers },
          { url: target.url, headers },
          redirects ?? initialRedirectState(first.url),
          options,
        );
        if (!decision.follow) throw refused;
        redirects = decision.state;
        headers = decision.headers;
        target = parseWebSocketUrl(decision.url);
        this.#detach(socket);
        this.#engine = this.#createEngine(target, headers);
      } catch (error) {
        attempt.errorOverride = toKeelError(error);
        diagnostics.publishError('handshake', attempt.errorOverride);
        socket.destroy();
        return;
      }
    }
  }

  /** Runs the opening handshake on `socket`; resolves 'redirect' when a followable 3xx came back. */
  #handshake(socket: net.Socket): Promise<'open' | 'failed' | 'redirect'> {
    return new Promise((resolve) => {
      this.#socket = socket;
      (this.#attempt as ConnectAttempt).settle = resolve;
      socket.setNoDelay(true);
      (socket as OwnedSocket)[socketOwner] = this;
      const listeners = WebSocket.#socketListeners;
      socket.on('data', listeners.data);
      socket.on('error', listeners.error);
      socket.on('close', listeners.close);
      socket.on('drain', listeners.drain);
      this.#flush();
      socket.resume();
    });
  }

  #settleHandshake(outcome: HandshakeOutcome): void {
    const attempt = this.#attempt;
    if (attempt === null) return;
    const settle = attempt.settle;
    attempt.settle = null;
    settle?.(outcome);
  }

  #detach(socket: net.Socket): void {
    const listeners = WebSocket.#socketListeners;
    socket.off('data', listeners.data);
    socket.off('error', listeners.error);
    socket.off('close', listeners.close);
    socket.off('drain', listeners.drain);
    (socket as OwnedSocket)[socketOwner] = undefined;
    socket.on('error', () => undefined);
    socket.destroy();
    this.#attempt?.deadline?.untrack(socket);
    this.#socket = null;
  }

  // ---- Socket events ------------------------------------------------------------------------

  /**
   * Socket listeners shared by every WebSocket (the socket points back to its owner): four
   * closures per connection cost more memory than an idle connection needs otherwise.
   */
  static readonly #socketListeners = {
    data(this: OwnedSocket, chunk: Buffer): void {
      const owner = this[socketOwner];
      if (owner === undefined) return;
      try {
        owner.#onData(chunk);
      } catch (error) {
        owner.#failInternally(error);
      }
    },
    error(this: OwnedSocket, error: Error): void {
      const owner = this[socketOwner];
      if (owner !== undefined) owner.#endCause ??= error;
    },
    close(this: OwnedSocket): void {
      const owner = this[socketOwner];
      if (owner === undefined) return;
      try {
        owner.#onSocketClose();
      } catch (error) {
        owner.#failInternally(error);
      }
    },
    drain(this: OwnedSocket): void {
      const owner = this[socketOwner];
      if (owner === undefined) return;
      try {
        owner.#releasePong();
        if (owner.bufferedAmount === 0) owner.#drained();
      } catch (error) {
        owner.#failInternally(error);
      }
    },
  };

  /** Reads of a plain TCP socket (`onread`): into the shared buffer, the engine's, or this connection's own. */
  static readonly #onread = onReadOptions(function (this: OwnedSocket, bytesRead: number, buffer: Uint8Array): boolean {
    const owner = this[socketOwner];
    if (owner === undefined) return true;
    try {
      setNextReadBuffer(owner.#onRead(bytesRead, buffer));
    } catch (error) {
      setNextReadBuffer(sharedReadBuffer());
      owner.#failInternally(error);
    }
    return true;
  });

  #onData(chunk: Buffer): void {
    this.#holdPongsWhileBackedUp();
    this.#engine.receiveData(chunk);
    this.#process();
  }

  /** Hands `bytesRead` bytes at the start of `buffer` to the engine; returns where the socket reads next. */
  #onRead(bytesRead: number, buffer: Uint8Array): Uint8Array {
    const engine = this.#engine;
    const shared = sharedReadBuffer();
    const intoEngine = buffer === this.#engineReadBuffer;
    this.#engineReadBuffer = null;
    this.#holdPongsWhileBackedUp();
    if (intoEngine) {
      engine.receiveInto(bytesRead);
    } else if (buffer === shared) {
      // Every idle socket reads into the shared buffer: copy the bytes out before the next read.
      engine.receiveData(Buffer.from(shared.subarray(0, bytesRead)));
    } else {
      engine.receiveData(buffer.subarray(0, bytesRead));
    }
    this.#process();
    const direct = engine.receiveBuffer();
    if (direct !== null) return (this.#engineReadBuffer = direct);
    // A read that did not fill its buffer drained the kernel's queue: the next one may be long in
    // coming, so it goes to the shared buffer and this connection holds no read memory while idle.
    if (bytesRead < buffer.length) return shared;
    // A full read leaves more waiting: read on into the rest of this connection's own buffer, or a new one.
    if (!intoEngine && buffer !== shared && buffer.length - bytesRead >= MIN_OWN_READ_SPACE) return buffer.subarray(bytesRead);
    return Buffer.allocUnsafeSlow(OWN_READ_BUFFER_SIZE);
  }

  /**
   * While the socket is backed up (the peer does not read), the engine answers only the most
   * recent Ping, once the socket drains (RFC 6455 §5.5.3): a Ping flood cannot pile up Pongs.
   */
  #holdPongsWhileBackedUp(): void {
    const socket = this.#socket;
    this.#engine.holdPongs(socket !== null && socket.writableNeedDrain);
  }

  /** The socket drained: the answer to the latest Ping, if one waits, goes out now. */
  #releasePong(): void {
    this.#engine.holdPongs(false);
    if (this.#engine.bufferedAmount > 0) this.#flush();
  }

  #onSocketClose(): void {
    if (this.#closeTimer !== null) clearTimeout(this.#closeTimer);
    this.#closeTimer = null;
    const attempt = this.#attempt;
    const deadline = attempt?.deadline ?? null;
    if (attempt !== null) attempt.deadline = null;
    const timedOut = deadline?.failure;
    deadline?.finish();
    const cause = this.#endCause;
    this.#engine.receiveEof(
      cause instanceof KeelError ? cause : ((timedOut === undefined ? undefined : handshakeStageError(timedOut)) ?? socketFailure(cause)),
    );
    this.#process();
  }

  // ---- The engine's output ------------------------------------------------------------------

  #process(): void {
    // Sends made by listeners during dispatch are flushed right after it, with no extra tick.
    const nested = this.#flushScheduled;
    this.#flushScheduled = true;
    try {
      // Until no event is left: a protocol error after valid frames of the same read fails the
      // connection only at the call after their events, so the application's answers to them
      // are written before the Close (issue 16).
      for (let events = this.#engine.eventsReceived(); events.length > 0; events = this.#engine.eventsReceived()) {
        for (let index = 0; index < events.length; index += 1) this.#handle(events[index] as ProtocolEvent);
      }
    } finally {
      this.#flushScheduled = nested;
    }
    this.#afterCommand();
  }

  #handle(event: ProtocolEvent): void {
    switch (event.type) {
      case 'message':
        this.#onMessage(event);
        return;
      case 'open':
        this.#onOpen();
        return;
      case 'ping':
        if (this.hasListeners('ping')) this.dispatchEvent(new WebSocketControlEvent('ping', asBuffer(event.data)));
        return;
      case 'pong':
        if (this.hasListeners('pong')) this.dispatchEvent(new WebSocketControlEvent('pong', asBuffer(event.data)));
        return;
      case 'close':
        this.#onClose(event);
        return;
    }
  }

  /** After any command or input: write what the engine produced, then end TCP or arm the close timer. */
  #afterCommand(): void {
    const engine = this.#engine;
    if (engine.state === 'connecting' && engine.failure !== null) {
      const status = engine.handshakeError?.status;
      const redirect = status !== undefined && redirectStatuses.has(status) && this.#options.followRedirects === true;
      if (this.#socket !== null && !this.#socket.destroyed && !redirect) this.#socket.destroy();
      this.#settleHandshake(redirect ? 'redirect' : 'failed');
      return;
    }
    this.#flush();
    if (engine.shouldCloseTransport()) this.#endSocket();
    else if (engine.closeExpected()) this.#armCloseTimer();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    process.nextTick(WebSocket.#flushTask, this);
  }

  static #flushTask(socket: WebSocket): void {
    socket.#flushScheduled = false;
    try {
      socket.#flush();
    } catch (error) {
      socket.#failInternally(error);
    }
  }

  #flush(): void {
    const socket = this.#socket;
    if (socket === null || socket.destroyed || this.#socketEnded) return;
    const chunks = this.#engine.dataToSend();
    if (chunks.length === 1) {
      socket.write(chunks[0] as Uint8Array);
    } else if (chunks.length > 1) {
      // One writev for the whole batch: one system call for many messages.
      socket.cork();
      for (const chunk of chunks) socket.write(chunk);
      socket.uncork();
    }
    if (this.#drainWaiters !== null && this.bufferedAmount === 0) this.#drained();
  }

  #endSocket(): void {
    const socket = this.#socket;
    if (socket === null || this.#socketEnded) return;
    this.#socketEnded = true;
    // RFC 6455 §7.1.1: after a clean closing handshake the server SHOULD close TCP first, so the
    // client only waits (bounded by closeTimeout; its own FIN follows the server's). When the
    // client failed the connection (§7.1.7) it ends its side at once.
    if (this.#engine.failure !== null) socket.end();
    this.#armCloseTimer();
  }

  #armCloseTimer(): void {
    // A socket that already closed needs no deadline (else a ref'd timer outlives every dropped connection).
    if (this.#closeTimer !== null || this.#socket === null || this.#socket.destroyed) return;
    this.#closeTimer = setTimeout(() => {
      this.#closeTimer = null;
      this.#endCause ??= new KeelError('ERR_CLOSE_TIMEOUT', `The server did not end the connection within ${this.#engine.config.closeTimeout} ms of the Close`, CloseCode.abnormal);
      this.#socket?.destroy();
    }, this.#engine.config.closeTimeout);
  }

  #drained(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = null;
    if (waiters !== null) for (const resolve of waiters) resolve();
    if (this.hasListeners('drain')) this.dispatchEvent(new WebSocketEvent('drain'));
  }

  #onOpen(): void {
    const attempt = this.#attempt as ConnectAttempt;
    attempt.deadline?.untrack(this.#socket as net.Socket);
    attempt.deadline?.finish();
    attempt.deadline = null;
    const params = this.#engine.perMessageDeflate;
    if (params !== null) {
      const settings = attempt.deflate.codecSettings;
      this.#codec = new PerMessageDeflateCodec(params, {
        maxMessageSize: this.#engine.config.maxMessageSize,
        ...(settings.threshold === undefined ? {} : { threshold: settings.threshold }),
        ...(settings.level === undefined ? {} : { level: settings.level }),
        ...(settings.memLevel === undefined ? {} : { memLevel: settings.memLevel }),
      });
    }
    const signal = this.#options.signal;
    if (signal !== undefined) {
      this.#abortListener = () => {
        this.#endCause ??= new KeelError('ERR_ABORTED', 'The AbortSignal fired', CloseCode.abnormal, { cause: signal.reason });
        this.#readyState = WebSocket.CLOSING;
        this.#socket?.destroy();
      };
      signal.addEventListener('abort', this.#abortListener, { once: true });
    }
    this.#settleHandshake('open');
    this.#attempt = null;
    if (this.#readyState === WebSocket.CONNECTING) this.#readyState = WebSocket.OPEN;
    this.dispatchEvent(new WebSocketEvent('open'));
  }

  #onMessage(event: ProtocolMessageEvent): void {
    if (event.compressed) {
      this.#inflate(event);
      return;
    }
    if (this.#inbound.length > 0) {
      this.#inbound.push({ binary: event.binary, data: event.data }); // non-empty: already its own array
      return;
    }
    this.#deliver(event.binary, event.data);
  }

  #deliver(binary: boolean, data: Uint8Array): void {
    if (!this.hasListeners('message')) return;
    let payload: string | ArrayBuffer | Blob | Buffer;
    if (!binary) payload = asBuffer(data).toString('utf8');
    else if (this.#binaryType === 'nodebuffer') payload = asBuffer(data);
    else if (this.#binaryType === 'arraybuffer') payload = toArrayBuffer(data);
    else payload = new Blob([data]);
    this.dispatchEvent(new WebSocketMessageEvent(payload, (this.#origin ??= originOf(this.url))));
  }

  /** Inflates in arrival order; later messages (compressed or not) wait behind it. */
  #inflate(event: ProtocolMessageEvent): void {
    const codec = this.#codec;
    const entry: PendingReceive = { binary: event.binary, data: null };
    if (this.#inbound === noPendingReceives) this.#inbound = [];
    this.#inbound.push(entry);
    if (this.#inbound.length >= INBOUND_PAUSE_THRESHOLD) this.#socket?.pause();
    this.#inflateChain = (this.#inflateChain ?? Promise.resolve())
      .then(async () => {
        if (codec === null || this.#readyState === WebSocket.CLOSED) return;
        // Messages that arrived before a Close are still delivered: #onClose waits for this chain.
        const inflated = await codec.decompress(event.data, true);
        // RFC 7692 §8 + RFC 6455 §8.1: a compressed text message is validated after inflation.
        if (!event.binary && !nodePrimitives.isUtf8(inflated)) {
          throw new KeelError('ERR_INVALID_UTF8', 'A text message is not valid UTF-8 (RFC 6455 §8.1)', CloseCode.invalidPayload);
        }
        entry.data = inflated;
        this.#deliverReady();
      })
      .catch((error: unknown) => {
        this.#inbound.length = 0;
        this.#failConnection(toKeelError(error, 'ERR_INFLATE', CloseCode.invalidPayload));
      });
  }

  #deliverReady(): void {
    while (this.#inbound.length > 0) {
      const head = this.#inbound[0] as PendingReceive;
      if (head.data === null) return;
      this.#inbound.shift();
      this.#deliver(head.binary, head.data);
    }
    if (this.#socket !== null && this.#socket.isPaused() && !this.#readingPaused && this.#readyState !== WebSocket.CLOSED) this.#socket.resume();
  }

  /**
   * Fails the connection (RFC 6455 §7.1.7) from an I/O callback. It never throws: when the engine
   * cannot even do that, the socket is destroyed, and when there is no socket left to report its
   * end, the close event is dispatched here, so `error` and `close` always arrive.
   */
  #failConnection(error: KeelError): void {
    if (this.#readyState === WebSocket.CLOSED) return;
    const abnormal: ProtocolCloseEvent = { type: 'close', code: CloseCode.abnormal, reason: '', wasClean: false, error };
    if (this.#engine.state === 'closed') {
      // The engine already ended (the throw came after it): only the close event may be missing.
      if (this.#inbound.length === 0) this.#finishClose(abnormal);
      return;
    }
    try {
      this.#engine.fail(error);
      // No socket 'close' event will come to end the engine: end it here.
      if (this.#socket === null || this.#socket.destroyed) {
        this.#attempt?.deadline?.finish();
        this.#engine.receiveEof(error);
      }
      this.#process();
    } catch {
      this.#endCause ??= error;
      if (this.#socket !== null && !this.#socket.destroyed) this.#socket.destroy();
      else this.#finishClose(abnormal);
    }
  }

  /**
   * Something Keel's own code threw inside an I/O callback (socket read, socket close, a timer, a
   * zlib or connect continuation). Thrown from there it would be an uncaught exception that ends
   * the process; instead the connection fails with 1011 (RFC 6455 §7.4.1, internal error).
   */
  #failInternally(cause: unknown): void {
    const message = cause instanceof Error ? cause.message : String(cause);
    this.#failConnection(new KeelError('ERR_INTERNAL', `Internal error: ${message}`, CloseCode.internalError, { cause }));
  }

  /** Sends queued messages in order, compressing those that asked for it (RFC 7692 §6). */
  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      while (this.#outbound.length > 0) {
        const item = this.#outbound[0] as PendingSend;
        let bytes = item.data instanceof Blob ? new Uint8Array(await item.data.arrayBuffer()) : item.data;
        let compressed = false;
        if (item.compress && this.#codec !== null) {
          bytes = await this.#codec.compress(bytes, true);
          compressed = true;
        }
        this.#outbound.shift();
        this.#outboundBytes -= item.size;
        if (this.#engine.state !== 'open') return;
        if (item.text) this.#engine.sendText(bytes, { owned: compressed, rsv1: compressed });
        else this.#engine.sendBinary(bytes, { owned: compressed, rsv1: compressed });
        this.#scheduleFlush();
      }
      const close = this.#pendingClose;
      if (close !== null && this.#engine.state === 'open') {
        this.#pendingClose = null;
        this.#engine.sendClose(close.code, close.reason);
        this.#afterCommand();
      }
    } catch (error) {
      this.#outbound.length = 0;
      this.#outboundBytes = 0;
      this.#failConnection(toKeelError(error, 'ERR_DEFLATE', CloseCode.internalError));
    } finally {
      this.#pumping = false;
    }
  }

  #onClose(event: ProtocolCloseEvent): void {
    // Messages received before the connection ended are delivered first, even while inflating.
    const pending = this.#inflateChain;
    if (pending !== null && this.#inbound.length > 0) {
      pending.then(() => this.#finishClose(event)).catch((error: unknown) => this.#failInternally(error));
      return;
    }
    this.#finishClose(event);
  }

  #finishClose(event: ProtocolCloseEvent): void {
    // Once only: a failure after the engine ended may have dispatched it already.
    if (this.#readyState === WebSocket.CLOSED) return;
    this.#readyState = WebSocket.CLOSED;
    this.#settleHandshake('failed');
    this.#codec?.close();
    this.#codec = null;
    this.#outbound.length = 0;
    this.#outboundBytes = 0;
    if (this.#abortListener !== null) this.#options.signal?.removeEventListener('abort', this.#abortListener);
    this.#abortListener = null;
    this.#drained();
    const error = this.#attempt?.errorOverride ?? event.error;
    if (error !== null) this.dispatchEvent(new WebSocketErrorEvent(error));
    this.dispatchEvent(new WebSocketCloseEvent(event.code, event.reason, event.wasClean, error));
  }

  /**
   * The WHATWG readyState. Once a Close frame is received (RFC 6455 §7.1.3, "The WebSocket Closing
   * Handshake is Started") or the connection failed, the engine is past `open` at once, even while
   * the messages read in the same batch are still being dispatched: the WebSocket is CLOSING from
   * then on, so send()/ping()/pong() fail with our own ERR_INVALID_STATE and close() does nothing.
   */
  #currentState(): number {
    if (this.#readyState === WebSocket.OPEN && this.#engine.state !== 'open') this.#readyState = WebSocket.CLOSING;
    return this.#readyState;
  }

  #assertOpen(what: string): void {
    if (this.#currentState() !== WebSocket.OPEN) {
      throw new UsageError('ERR_INVALID_STATE', `Cannot ${what}: the WebSocket is ${stateName(this.#readyState)}`);
    }
  }
}

for (const [name, value] of [['CONNECTING', 0], ['OPEN', 1], ['CLOSING', 2], ['CLOSED', 3]] as const) {
  Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
}

function originOf(href: string): string {
  const url = new URL(href);
  return url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : typeof value;
}

function stateName(state: number): string {
  return ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'][state] ?? 'unknown';
}

function toBytes(data: string | ArrayBufferView | ArrayBuffer): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function toArrayBuffer(data: Uint8Array): ArrayBuffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) return data.buffer;
  // Buffer#slice is a view, not a copy: copy through Uint8Array's own slice.
  return Uint8Array.prototype.slice.call(data).buffer as ArrayBuffer;
}

function toKeelError(error: unknown, code: KeelError['code'] = 'ERR_CONNECT', closeCode: number = CloseCode.abnormal): KeelError {
  if (error instanceof KeelError) return error;
  return new KeelError(code, error instanceof Error ? error.message : String(error), closeCode, { cause: error });
}

/** The deadline fired once the request was out: a handshake timeout (or the abort it carries). */
function handshakeStageError(error: ConnectStageError): KeelError {
  if (error.code === 'ERR_CONNECT_TIMEOUT' && error.stage === 'handshake') {
    return new HandshakeError('ERR_HANDSHAKE_TIMEOUT', `No handshake response within the timeout (${error.message})`);
  }
  return error;
}

/** A socket error (reset, TLS alert after the handshake, e.g. TLS 1.3 certificate required). */
function socketFailure(error: Error | undefined): KeelError | undefined {
  if (error === undefined) return undefined;
  if (isTlsFailure(error)) return toTlsError(error, 'origin', '');
  return new KeelError('ERR_CONNECTION_LOST', `The connection failed: ${error.message}`, CloseCode.abnormal, { cause: error });
}

const noOverrides: Partial<ProtocolConfig> = Object.freeze({});

/** The engine limits the options set; one shared empty object when they set none (the common case). */
function configOverrides(options: WebSocketOptions): Partial<ProtocolConfig> {
  const { maxMessageSize, maxFragments, maxHandshakeResponseSize, handshakeTimeout, closeTimeout } = options;
  if (maxMessageSize === undefined && maxFragments === undefined && maxHandshakeResponseSize === undefined && handshakeTimeout === undefined && closeTimeout === undefined) {
    return noOverrides;
  }
  return {
    // A message larger than the biggest Buffer this Node can make could never be delivered:
    // capping the limit there makes such a frame a 1009 at its header (RFC 6455 §7.4.1), not
    // memory accepted for gigabytes that then fails (issue 12, declared lengths over 4 GiB).
    ...(maxMessageSize === undefined ? {} : { maxMessageSize: Math.min(maxMessageSize, bufferConstants.MAX_LENGTH) }),
    ...(maxFragments === undefined ? {} : { maxFragments }),
    ...(maxHandshakeResponseSize === undefined ? {} : { maxHandshakeResponseSize }),
    ...(handshakeTimeout === undefined ? {} : { handshakeTimeout }),
    ...(closeTimeout === undefined ? {} : { closeTimeout }),
  };
}

function validateLimits(options: WebSocketOptions): void {
  const positive = ['maxMessageSize', 'maxFragments', 'maxHandshakeResponseSize', 'handshakeTimeout', 'closeTimeout'] as const;
  for (const name of positive) {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value) || value <= 0)) {
      throw new UsageError('ERR_INVALID_OPTION', `${name} must be a positive number, got ${String(value)}`);
    }
  }
}
