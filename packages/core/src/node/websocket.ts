import type net from 'node:net';
import { Blob } from 'node:buffer';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import { validateCloseArguments } from '../protocol/close-payload.js';
import { CloseCode, type HeaderList, KeelError, keelErrorFor, UsageError } from '../protocol/errors.js';
import type { CloseEvent as ProtocolCloseEvent, MessageEvent as ProtocolMessageEvent, ProtocolEvent } from '../protocol/events.js';
import { ConnectionAttempt, type AttemptAccess } from './connection-attempt.js';
import { isTlsFailure, toTlsError } from './connectivity/tls-upgrade.js';
import { PerMessageDeflateCodec } from './deflate/permessage-deflate-codec.js';
import { MessagePipeline, type PipelineAccess } from './message-pipeline.js';
import { asBuffer } from './node-primitives.js';
import { SocketReadPath, type ReadPathAccess } from './socket-read-path.js';
import {
  WebSocketCloseEvent,
  WebSocketControlEvent,
  WebSocketErrorEvent,
  WebSocketEvent,
  WebSocketEventTarget,
  WebSocketMessageEvent,
} from './websocket-events.js';
import { checkOptions, protocolsArgument } from './websocket-arguments.js';
import type { WebSocketOptions } from './websocket-options.js';
import { parseWebSocketUrl } from './websocket-url.js';

export type BinaryType = 'blob' | 'arraybuffer' | 'nodebuffer';
export type WebSocketData = string | ArrayBuffer | ArrayBufferView | Blob;

/** Per-message send options (Node extra). */
export interface SendMessageOptions {
  /** Compress this message when permessage-deflate was negotiated and it passes the threshold. Default true. */
  readonly compress?: boolean;
}

type Handler<E> = ((this: WebSocket, event: E) => void) | null;

/**
 * A WebSocket client for Node with the WHATWG surface (browser code runs unchanged) over Keel's
 * own RFC 6455 engine, plus Node extras: ping/pong, `drained()`, `responseHeaders`, proxies,
 * TLS options, Unix sockets, permessage-deflate. See API.md.
 *
 * This file is the facade: readyState, send/close, the events, and driving the engine (its events
 * in, its bytes out, the close timer). The other jobs have a file each: connection-attempt.ts
 * (everything until open), socket-read-path.ts (the socket's reads and events) and
 * message-pipeline.ts (ordered compression, inflation, backpressure, pause/resume).
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
  // on<type> handlers: accessors on WebSocketEventTarget's prototype over one lazily created slot object.
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

  /** The connection attempt (connection-attempt.ts); dropped once open. */
  #attempt: ConnectionAttempt<WebSocket> | null;
  #engine: ClientProtocol;
  #socket: net.Socket | null = null;
  /** The engine's receive buffer the socket was last given to read into (socket-read-path.ts), or null. */
  #engineReadBuffer: Uint8Array | null = null;
  /** Ordered compression, inflation and pause() (message-pipeline.ts); made when a connection first needs it. */
  #pipeline: MessagePipeline<WebSocket> | null = null;
  /** MessageEvent.origin, computed with the first message (idle connections never need it). */
  #origin: string | null = null;
  #flushScheduled = false;
  #closeTimer: ReturnType<typeof setTimeout> | null = null;
  #socketEnded = false;
  /** Why the socket is ending: our own reason (a KeelError: timeout, terminate, abort) or the socket's error; the first one wins. */
  #endCause: KeelError | Error | undefined;
  #drainWaiters: Array<() => void> | null = null;
  #abortListener: (() => void) | null = null;

  /**
   * WHATWG "new WebSocket(url, protocols)": the URL is parsed and checked (steps 1-6,
   * websocket-url.ts) and the protocols and options are checked before this returns; the
   * connection is then established in the background (step 12, connection-attempt.ts).
   */
  constructor(url: string | URL, protocols?: string | readonly string[], options?: WebSocketOptions) {
    super();
    const parsed = parseWebSocketUrl(url);
    this.url = parsed.url.href;
    const checkedOptions = checkOptions(options);
    this.#options = checkedOptions;
    const attempt = new ConnectionAttempt(this, WebSocket.#attemptAccess, protocolsArgument(protocols), checkedOptions);
    this.#attempt = attempt;
    this.#engine = attempt.createEngine(parsed, checkedOptions.headers ?? {});
    process.nextTick(() => {
      attempt.run(parsed).catch((error: unknown) => this.#failInternally(error));
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
    return (this.#pipeline?.outboundBytes ?? 0) + this.#engine.bufferedAmount + (socket === null ? 0 : socket.writableLength);
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
      throw new UsageError(
        'ERR_INVALID_ARGUMENT',
        `send() takes a string, an ArrayBuffer, an ArrayBufferView or a Blob, got ${describeValue(data)}`,
      );
    }
    // WHATWG send() step 1: "If this's ready state is CONNECTING, then throw an InvalidStateError."
    // Keel also throws once closing or closed (docs/decisions.md, "Misuse throws").
    if (this.#currentState() !== WebSocket.OPEN || this.#pipeline?.closePending === true) {
      throw new UsageError('ERR_INVALID_STATE', `Cannot send: the WebSocket is ${stateName(this.#readyState)}`);
    }
    // Compressed messages and Blobs wait in the pipeline, and so does everything sent after them.
    const pipeline = this.#pipeline ?? (bytes instanceof Blob ? this.#makePipeline(null) : null);
    const size = bytes instanceof Blob ? bytes.size : bytes.length;
    if (pipeline !== null && pipeline.queue(text, bytes, size, options?.compress ?? true)) return;
    // WHATWG send() steps 2-4 (RFC 6455 §6.1): framed now, written with this tick's other sends.
    if (text) this.#engine.sendText(bytes as Uint8Array, { owned });
    else this.#engine.sendBinary(bytes as Uint8Array);
    this.#scheduleFlush();
  }

  /** Starts the closing handshake (WHATWG close()). Code 1000 or 3000-4999; reason ≤ 123 UTF-8 bytes. */
  close(code?: number, reason?: string): void {
    // WHATWG close() steps 1-2: the code and reason are checked first.
    validateCloseArguments(code, reason);
    // Step 3, first case: already closing or closed, do nothing.
    const state = this.#currentState();
    if (state === WebSocket.CLOSING || state === WebSocket.CLOSED) return;
    if (this.#readyState === WebSocket.CONNECTING) {
      // Step 3, second case: fail the connection while connecting; readyState becomes CLOSING.
      this.#readyState = WebSocket.CLOSING;
      this.#attempt?.abort(keelErrorFor('ERR_ABORTED', 'close() was called before the connection opened'));
      return;
    }
    this.#readyState = WebSocket.CLOSING;
    // Messages sent before close() still go out first (they are waiting for compression).
    if (this.#pipeline?.deferClose(code, reason) === true) return;
    // Step 3, third case: start the closing handshake; with neither code nor reason the Close frame has no body.
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
    (this.#pipeline ?? this.#makePipeline(null)).pause();
  }

  /** Node extra: reads the socket again after pause(). */
  resume(): void {
    this.#pipeline?.resume();
  }

  /** Tears the connection down at once, without a closing handshake (close event 1006). */
  terminate(): void {
    if (this.#readyState === WebSocket.CLOSED) return;
    if (this.#readyState === WebSocket.CONNECTING) {
      this.close();
      return;
    }
    this.#readyState = WebSocket.CLOSING;
    this.#endCause ??= keelErrorFor('ERR_CONNECTION_LOST', 'terminate() was called');
    this.#socket?.destroy();
  }

  // ---- The parts' access to this WebSocket (shared tables: no closures per connection) ---------

  static readonly #readPath: SocketReadPath<WebSocket> = new SocketReadPath<WebSocket>({
    engine: (ws) => ws.#engine,
    socket: (ws) => ws.#socket,
    engineReadBuffer: (ws) => ws.#engineReadBuffer,
    setEngineReadBuffer: (ws, buffer) => {
      ws.#engineReadBuffer = buffer;
    },
    process: (ws) => ws.#process(),
    flush: (ws) => ws.#flush(),
    socketError: (ws, error) => {
      ws.#endCause ??= error;
    },
    socketClosed: (ws) => ws.#onSocketClose(),
    socketDrained: (ws) => {
      if (ws.bufferedAmount === 0) ws.#drained();
    },
    failInternally: (ws, cause) => ws.#failInternally(cause),
  } satisfies ReadPathAccess<WebSocket>);

  static readonly #attemptAccess: AttemptAccess<WebSocket> = {
    engine: (ws) => ws.#engine,
    setEngine: (ws, engine) => {
      ws.#engine = engine;
    },
    startHandshake: (ws, socket) => {
      ws.#socket = socket;
      WebSocket.#readPath.attach(socket, ws);
      ws.#flush();
      socket.resume();
    },
    detach: (ws, socket) => {
      WebSocket.#readPath.detach(socket);
      ws.#socket = null;
    },
    process: (ws) => ws.#process(),
    onread: WebSocket.#readPath.onread,
  };

  static readonly #pipelineAccess: PipelineAccess<WebSocket> = {
    engine: (ws) => ws.#engine,
    socket: (ws) => ws.#socket,
    isClosed: (ws) => ws.#readyState === WebSocket.CLOSED,
    deliver: (ws, binary, data) => ws.#deliver(binary, data),
    scheduleFlush: (ws) => ws.#scheduleFlush(),
    afterCommand: (ws) => ws.#afterCommand(),
    failConnection: (ws, error) => ws.#failConnection(error),
  };

  #makePipeline(codec: PerMessageDeflateCodec | null): MessagePipeline<WebSocket> {
    return (this.#pipeline = new MessagePipeline(this, WebSocket.#pipelineAccess, codec));
  }

  // ---- The socket ended ---------------------------------------------------------------------

  #onSocketClose(): void {
    if (this.#closeTimer !== null) clearTimeout(this.#closeTimer);
    this.#closeTimer = null;
    const timedOut = this.#attempt?.ended();
    const cause = this.#endCause;
    this.#engine.receiveEof(cause instanceof KeelError ? cause : (timedOut ?? socketFailure(cause)));
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
        if (this.hasListeners('ping')) this.dispatch(new WebSocketControlEvent('ping', asBuffer(event.data)));
        return;
      case 'pong':
        if (this.hasListeners('pong')) this.dispatch(new WebSocketControlEvent('pong', asBuffer(event.data)));
        return;
      case 'close':
        this.#onClose(event);
        return;
    }
  }

  /** After any command or input: write what the engine produced, then end TCP or arm the close timer. */
  #afterCommand(): void {
    const engine = this.#engine;
    const attempt = this.#attempt;
    if (engine.state === 'connecting' && engine.failure !== null && attempt !== null) {
      const outcome = attempt.handshakeFailed(engine);
      if (this.#socket !== null && !this.#socket.destroyed && outcome !== 'redirect') this.#socket.destroy();
      attempt.settle(outcome);
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
      this.#endCause ??= keelErrorFor(
        'ERR_CLOSE_TIMEOUT',
        `The server did not end the connection within ${this.#engine.config.closeTimeout} ms of the Close`,
      );
      this.#socket?.destroy();
    }, this.#engine.config.closeTimeout);
  }

  #drained(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = null;
    if (waiters !== null) for (const resolve of waiters) resolve();
    if (this.hasListeners('drain')) this.dispatch(new WebSocketEvent('drain'));
  }

  /** WHATWG "when the WebSocket connection is established" (HTML §9.3.3): readyState OPEN, then `open`. */
  #onOpen(): void {
    const attempt = this.#attempt as ConnectionAttempt<WebSocket>;
    attempt.opened(this.#socket);
    const params = this.#engine.perMessageDeflate;
    if (params !== null) {
      const settings = attempt.codecSettings;
      this.#makePipeline(
        new PerMessageDeflateCodec(params, {
          maxMessageSize: this.#engine.config.maxMessageSize,
          ...(settings.threshold === undefined ? {} : { threshold: settings.threshold }),
          ...(settings.level === undefined ? {} : { level: settings.level }),
          ...(settings.memLevel === undefined ? {} : { memLevel: settings.memLevel }),
        }),
      );
    }
    const signal = this.#options.signal;
    if (signal !== undefined) {
      this.#abortListener = () => {
        this.#endCause ??= keelErrorFor('ERR_ABORTED', 'The AbortSignal fired', { cause: signal.reason });
        this.#readyState = WebSocket.CLOSING;
        this.#socket?.destroy();
      };
      signal.addEventListener('abort', this.#abortListener, { once: true });
    }
    attempt.settle('open');
    this.#attempt = null;
    if (this.#readyState === WebSocket.CONNECTING) this.#readyState = WebSocket.OPEN;
    this.dispatch(new WebSocketEvent('open'));
  }

  #onMessage(event: ProtocolMessageEvent): void {
    // Compressed messages, and those behind one, wait in the pipeline for inflation.
    const pipeline = this.#pipeline;
    if (pipeline !== null && pipeline.receive(event)) return;
    this.#deliver(event.binary, event.data);
  }

  /** WHATWG "when a WebSocket message has been received" (HTML §9.3.3): data by type and binaryType. */
  #deliver(binary: boolean, data: Uint8Array): void {
    if (!this.hasListeners('message')) return;
    let payload: string | ArrayBuffer | Blob | Buffer;
    if (!binary) payload = asBuffer(data).toString('utf8');
    else if (this.#binaryType === 'nodebuffer') payload = asBuffer(data);
    else if (this.#binaryType === 'arraybuffer') payload = toArrayBuffer(data);
    else payload = new Blob([data]);
    this.dispatch(new WebSocketMessageEvent(payload, (this.#origin ??= originOf(this.url))));
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
      if ((this.#pipeline?.inboundCount ?? 0) === 0) this.#finishClose(abnormal);
      return;
    }
    try {
      this.#engine.fail(error);
      // No socket 'close' event will come to end the engine: end it here.
      if (this.#socket === null || this.#socket.destroyed) {
        this.#attempt?.stopDeadline();
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
    this.#failConnection(keelErrorFor('ERR_INTERNAL', `Internal error: ${message}`, { cause }));
  }

  #onClose(event: ProtocolCloseEvent): void {
    // Messages received before the connection ended are delivered first, even while inflating.
    const pending = this.#pipeline?.whenDelivered() ?? null;
    if (pending !== null) {
      pending.then(() => this.#finishClose(event)).catch((error: unknown) => this.#failInternally(error));
      return;
    }
    this.#finishClose(event);
  }

  /** WHATWG "when the WebSocket connection is closed" (HTML §9.3.3): readyState CLOSED, `error` if it failed, then `close`. */
  #finishClose(event: ProtocolCloseEvent): void {
    // Once only: a failure after the engine ended may have dispatched it already.
    if (this.#readyState === WebSocket.CLOSED) return;
    this.#readyState = WebSocket.CLOSED;
    this.#attempt?.settle('failed');
    this.#pipeline?.close();
    if (this.#abortListener !== null) this.#options.signal?.removeEventListener('abort', this.#abortListener);
    this.#abortListener = null;
    this.#drained();
    const error = this.#attempt?.errorOverride ?? event.error;
    if (error !== null) this.dispatch(new WebSocketErrorEvent(error));
    this.dispatch(new WebSocketCloseEvent(event.code, event.reason, event.wasClean, error));
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

for (const [name, value] of [
  ['CONNECTING', 0],
  ['OPEN', 1],
  ['CLOSING', 2],
  ['CLOSED', 3],
] as const) {
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

/** A socket error (reset, TLS alert after the handshake, e.g. TLS 1.3 certificate required). */
function socketFailure(error: Error | undefined): KeelError | undefined {
  if (error === undefined) return undefined;
  if (isTlsFailure(error)) return toTlsError(error, 'origin', '');
  return keelErrorFor('ERR_CONNECTION_LOST', `The connection failed: ${error.message}`, { cause: error });
}
