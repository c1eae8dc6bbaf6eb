import { defaultProtocolConfig, tuning, type ProtocolConfig } from './config.js';
import { CloseCode, HandshakeError, type HeaderList, KeelError, keelErrorFor, ProtocolError, UsageError } from './errors.js';
import type { ProtocolEvent } from './events.js';
import { concatBytes } from './concat-bytes.js';
import { truncateCloseReason } from '@keel/session';
import { formatClosePayload, parseClosePayload, validateCloseArguments, type ClosePayload } from './close-payload.js';
import { FrameParser, type FrameHeader, type FrameSink } from './frame-parser.js';
import { FrameWriter } from './frame-writer.js';
import { createKey, formatHandshakeRequest, normalizeHeaders, validateRequestInput } from './handshake-request.js';
import { checkHandshakeResponse, type HandshakeExpectation } from './handshake-response-check.js';
import { HandshakeResponseReader, parseResponseHead, type HandshakeResponseHead } from './handshake-response.js';
import { MessageAssembler } from './message-assembler.js';
import { MAX_CONTROL_PAYLOAD, Opcode } from './opcodes.js';
import {
  formatPerMessageDeflateOffer,
  type PerMessageDeflateParams,
  type ResolvedPerMessageDeflateOffer,
} from './permessage-deflate-negotiation.js';
import { Utf8Validator } from './utf8-validator.js';

/** Where and how to connect; the I/O layer parses the URL, the engine writes the request. */
export interface HandshakeTarget {
  /** Request target: path and query, starting with '/'. */
  readonly resource: string;
  /** Host header value: the host (IPv6 literals in brackets), plus ':port' when not the scheme's default. */
  readonly hostHeader: string;
}

export interface ClientProtocolOptions {
  readonly target: HandshakeTarget;
  /** Subprotocols offered, in preference order; each a token (RFC 6455 §4.1), no repeats. */
  readonly protocols?: readonly string[];
  /** Extra request headers. Names must be tokens; values must not contain CR, LF or NUL. */
  readonly headers?: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;
  readonly origin?: string;
  /** permessage-deflate configurations offered, in preference order (RFC 7692 §5); none by default. */
  readonly perMessageDeflate?: readonly ResolvedPerMessageDeflateOffer[];
  readonly config?: Partial<ProtocolConfig>;
  /** Fills the buffer with cryptographically strong random bytes (mask keys, Sec-WebSocket-Key; RFC 6455 §10.3). */
  readonly randomFill: (target: Uint8Array) => void;
  /** SHA-1 digest, for Sec-WebSocket-Accept (RFC 6455 §4.2.2). */
  readonly sha1: (data: Uint8Array) => Uint8Array;
  /** Optional fast whole-buffer UTF-8 check (Node's buffer.isUtf8); the engine's own validator otherwise. */
  readonly isUtf8?: (data: Uint8Array) => boolean;
  /** Allocates an uninitialised buffer (Node: Buffer.allocUnsafe). Default `new Uint8Array`. */
  readonly allocate?: (size: number) => Uint8Array;
  /**
   * Internal: a single-frame message whose declared payload is at least this many bytes, and
   * that is not whole in the chunk that starts it, is received into one buffer allocated at its
   * first payload bytes (at most tuning.directReserveCap of it up front, grown as bytes arrive;
   * see receiveBuffer()). Default tuning.largeMessageThreshold (64 KiB); tests use small values.
   */
  readonly largeMessageThreshold?: number;
}

export type ProtocolState = 'connecting' | 'open' | 'closing' | 'closed';

export interface SendOptions {
  /** false starts or continues a fragmented message; the next call continues it. Default true. */
  readonly fin?: boolean;
  /** The engine may mask the caller's buffer in place (the caller will not touch it again). Default false. */
  readonly owned?: boolean;
  /** Sets RSV1: the message is compressed (RFC 7692 §6). Only on a message's first frame. Default false. */
  readonly rsv1?: boolean;
}

const emptyPayload = new Uint8Array(0);
/** Returned when nothing happened; never mutated (the I/O layer only iterates). */
const noEvents: ProtocolEvent[] = [];
const noPieces: Uint8Array[] = [];
const noOffers: readonly ResolvedPerMessageDeflateOffer[] = [];
const noProtocols: readonly string[] = [];

/** The request's parts the answer is checked against, and the reader gathering that answer. */
interface PendingHandshake extends HandshakeExpectation {
  readonly reader: HandshakeResponseReader;
}

/**
 * The sans-I/O RFC 6455 client (DESIGN.md): fed bytes, it returns events and bytes to send. It
 * never touches a socket, a timer, a clock or a random source of its own. Pongs to Pings and
 * the echo of a Close are produced here. One fail path (`fail`) sends the Close when still
 * possible, stops reading input (§7.1.7) and records the cause.
 */
export class ClientProtocol {
  readonly config: Readonly<ProtocolConfig>;
  private currentState: ProtocolState = 'connecting';
  /** The subprotocol the server selected ('' when none). */
  protocol = '';
  /** The Sec-WebSocket-Extensions value the server answered ('' when none). */
  extensions = '';
  /** What permessage-deflate the server accepted, or null: RSV1 is only legal when set. */
  perMessageDeflate: PerMessageDeflateParams | null = null;
  /** The handshake response head as text, kept unparsed: an idle connection should cost little. */
  private responseHead = '';
  /** Why the connection failed, or null. */
  failure: KeelError | null = null;

  /** What checking the server's answer needs; dropped once it was checked (idle connections are many). */
  private handshake: PendingHandshake | null;
  private readonly isUtf8: ((data: Uint8Array) => boolean) | undefined;
  private readonly allocate: (size: number) => Uint8Array;
  private readonly writer: FrameWriter;
  private readonly parser: FrameParser;
  private events: ProtocolEvent[] | null = null;

  // The message being received.
  private messageOpcode = 0;
  private messageCompressed = false;
  private messageFragments = 0;
  private validateText = false;
  private readonly assembler: MessageAssembler;
  private readonly largeMessageThreshold: number;
  /** Set while a large single-frame message is received whole into one buffer; how much of it is filled. */
  private direct: Uint8Array | null = null;
  private directFilled = 0;
  /** The current frame qualifies for `direct` (allocated with its first payload piece, if that piece is partial). */
  private directCandidate = false;
  /** Created with the first text message. */
  private validator: Utf8Validator | null = null;
  // The frame being received.
  private frameOpcode = 0;
  private frameFin = false;
  private frameLength = 0;
  private controlPieces: Uint8Array[] | null = null;

  /**
   * A protocol error found after earlier events of the same input, held back until those events
   * were taken (eventsReceived()), so that what the application sends while handling them goes
   * out before the failing Close (issue 16; RFC 6455 §7.1.7 allows failing at once, strict order
   * is the careful reading). Input is closed while it is held.
   */
  private heldFailure: KeelError | null = null;

  /** Set by the I/O layer while its transport is backed up (holdPongs); the answer to the latest Ping waits meanwhile. */
  private pongsHeld = false;
  private heldPong: Uint8Array | null = null;

  private sendingFragmented = false;
  private closeSent = false;
  private closeReceived: ClosePayload | null = null;
  private inputClosed = false;

  constructor(options: ClientProtocolOptions) {
    const overrides = options.config;
    this.config =
      overrides === undefined || Object.keys(overrides).length === 0
        ? defaultProtocolConfig
        : Object.freeze({ ...defaultProtocolConfig, ...overrides });
    this.isUtf8 = options.isUtf8;
    this.allocate = options.allocate ?? ((size) => new Uint8Array(size));
    this.largeMessageThreshold = options.largeMessageThreshold ?? tuning.largeMessageThreshold;
    this.assembler = new MessageAssembler(this.allocate);
    const key = createKey(options.randomFill);
    const protocols = options.protocols ?? noProtocols;
    const offers = options.perMessageDeflate ?? noOffers;
    const request = {
      resource: options.target.resource,
      hostHeader: options.target.hostHeader,
      key,
      protocols,
      extensions: offers.length > 0 ? formatPerMessageDeflateOffer(offers) : '',
      origin: options.origin,
      headers: normalizeHeaders(options.headers),
    };
    validateRequestInput(request);
    this.writer = new FrameWriter({ randomFill: options.randomFill, allocate: this.allocate });
    this.writer.writeRaw(formatHandshakeRequest(request));
    // The parser's sink is private: its callbacks are the engine's input path, not commands.
    this.parser = new ClientProtocol.#Parser(this);
    this.handshake = {
      key,
      protocols,
      offers,
      sha1: options.sha1,
      reader: new HandshakeResponseReader(this.config.maxHandshakeResponseSize),
    };
  }

  get state(): ProtocolState {
    return this.currentState;
  }

  /** The handshake response headers (names lower case), once a response was read; [] before. */
  get responseHeaders(): HeaderList {
    return this.responseHead === '' ? [] : parseResponseHead(this.responseHead).headers;
  }

  /** The handshake failure, when the connection failed before opening. */
  get handshakeError(): HandshakeError | null {
    return this.failure instanceof HandshakeError ? this.failure : null;
  }

  // ---- Input ----------------------------------------------------------------------------------

  /** Feeds bytes read from the transport. Never throws on bad input: it fails the connection. */
  receiveData(chunk: Uint8Array): void {
    if (this.inputClosed || chunk.length === 0) return;
    const handshake = this.handshake;
    if (handshake !== null) {
      let rest: Uint8Array;
      try {
        const result = handshake.reader.push(chunk);
        if (result === null) return;
        this.handshake = null;
        this.acceptResponse(handshake, result.head, result.rest);
        rest = result.rest;
      } catch (error) {
        this.fail(error instanceof KeelError ? error : new HandshakeError('ERR_HANDSHAKE_MALFORMED', String(error)));
        return;
      }
      this.currentState = 'open';
      this.emit({ type: 'open', protocol: this.protocol, extensions: this.extensions, headers: this.responseHeaders });
      // Frames that came in the same read as the response (RFC 6455 §4.1: the server may send at once).
      if (rest.length > 0) this.parser.push(rest);
      return;
    }
    this.parser.push(chunk);
  }

  /**
   * Where the I/O layer may put the next bytes read, or null: while a large single-frame message
   * is being received, the unfilled rest of its buffer (never more than the frame still needs), so
   * the transport reads straight into the message and no JavaScript copy is made. After writing
   * n bytes at its start, call receiveInto(n). Any other time, use receiveData().
   */
  receiveBuffer(): Uint8Array | null {
    const direct = this.direct;
    return direct === null || this.inputClosed ? null : direct.subarray(this.directFilled);
  }

  /** `byteCount` bytes were written at the start of receiveBuffer(): processed as received data. */
  receiveInto(byteCount: number): void {
    // Input closed (a failure, a Close, the end): the bytes are ignored, as receiveData() would.
    if (this.inputClosed) return;
    const direct = this.direct;
    if (direct === null) throw new UsageError('ERR_INVALID_STATE', 'receiveInto() without a receive buffer');
    if (!Number.isInteger(byteCount) || byteCount < 0 || byteCount > direct.length - this.directFilled) {
      throw new UsageError(
        'ERR_INVALID_STATE',
        `receiveInto(${byteCount}): the receive buffer holds ${direct.length - this.directFilled} bytes`,
      );
    }
    if (byteCount === 0) return;
    // The parser sees these bytes as a payload piece in place; #onFramePayload recognises them and does not copy.
    this.parser.push(direct.subarray(this.directFilled, this.directFilled + byteCount));
  }

  /**
   * The transport ended (or was torn down: `cause` says why, e.g. a close timeout). Emits the
   * one `close` event: the server's code when the closing handshake completed, else 1006.
   */
  receiveEof(cause?: KeelError): void {
    if (this.currentState === 'closed') return;
    // The transport is gone: a held failure is the cause, with no Close left to write.
    this.failure ??= this.heldFailure;
    this.heldFailure = null;
    this.inputClosed = true;
    this.parser.stop();
    this.direct = null;
    const wasOpen = this.currentState !== 'connecting';
    this.currentState = 'closed';
    const received = this.closeReceived;
    if (this.failure === null && received !== null && this.closeSent) {
      this.emit({ type: 'close', code: received.code, reason: received.reason, wasClean: true, error: null });
      return;
    }
    const error =
      this.failure ??
      cause ??
      keelErrorFor(
        'ERR_CONNECTION_LOST',
        wasOpen ? 'The connection ended without a closing handshake' : 'The connection ended before the opening handshake completed',
      );
    this.failure = error;
    this.emit({ type: 'close', code: CloseCode.abnormal, reason: '', wasClean: false, error });
  }

  /**
   * Events since the last call, in order. Call it again after handling them, until it returns
   * none: when the input held frames before a protocol error, the events for those frames come
   * first and the connection fails at the next call, so that what was sent while handling them
   * is written before the Close (RFC 6455 §7.1.7).
   */
  eventsReceived(): ProtocolEvent[] {
    const events = this.events;
    if (events !== null) {
      this.events = null;
      return events;
    }
    const held = this.heldFailure;
    if (held !== null) {
      this.heldFailure = null;
      this.fail(held);
    }
    return noEvents;
  }

  /** Bytes to write to the transport since the last call, in order. */
  dataToSend(): Uint8Array[] {
    return this.writer.take();
  }

  /** Bytes framed and not yet taken by dataToSend(). */
  get bufferedAmount(): number {
    return this.writer.bufferedAmount;
  }

  /** A Close was sent or received: the I/O layer arms the close timer (config.closeTimeout). */
  closeExpected(): boolean {
    return this.closeSent || this.closeReceived !== null;
  }

  /** Nothing more will be exchanged: once dataToSend() is written, end the transport. */
  shouldCloseTransport(): boolean {
    return this.failure !== null || (this.closeSent && this.closeReceived !== null);
  }

  /**
   * The I/O layer reports whether its transport is backed up (what it wrote is not reaching the
   * peer). While it is, Pings are not answered at once: only the answer to the most recent one is
   * kept, and written when this is called with false (RFC 6455 §5.5.3 allows answering only the
   * most recent Ping). A peer that floods Pings and never reads then cannot grow the output
   * without bound (issue 12).
   */
  holdPongs(held: boolean): void {
    this.pongsHeld = held;
    const pong = this.heldPong;
    if (held || pong === null) return;
    this.heldPong = null;
    if (!this.closeSent) this.writer.writeFrame(true, Opcode.pong, pong);
  }

  // ---- Commands -------------------------------------------------------------------------------

  sendText(utf8: Uint8Array, options?: SendOptions): void {
    this.sendData(Opcode.text, utf8, options);
  }

  sendBinary(data: Uint8Array, options?: SendOptions): void {
    this.sendData(Opcode.binary, data, options);
  }

  sendPing(data: Uint8Array = emptyPayload): void {
    this.sendControl(Opcode.ping, data);
  }

  sendPong(data: Uint8Array = emptyPayload): void {
    this.sendControl(Opcode.pong, data);
  }

  /** Starts the closing handshake (RFC 6455 §7.1.2). Code 1000 or 3000-4999; reason at most 123 bytes. */
  sendClose(code?: number, reason?: string): void {
    validateCloseArguments(code, reason);
    if (this.currentState !== 'open' || this.closeSent) {
      throw new UsageError(
        'ERR_INVALID_STATE',
        `Cannot close: the connection is ${this.closeSent ? 'already closing' : this.currentState}`,
      );
    }
    this.writer.writeFrame(true, Opcode.close, formatClosePayload(code, reason));
    this.closeSent = true;
    this.currentState = 'closing';
  }

  /**
   * Fails the connection (RFC 6455 §7.1.7): sends a Close with the error's code when the
   * connection is open and none was sent, then stops processing input. Idempotent.
   */
  fail(error: KeelError): void {
    if (this.failure !== null || this.currentState === 'closed') return;
    this.failure = error;
    this.inputClosed = true;
    this.parser.stop();
    this.direct = null;
    if (this.currentState === 'connecting') return;
    if (!this.closeSent) {
      this.writer.writeFrame(true, Opcode.close, formatClosePayload(error.closeCode, truncateCloseReason(error.message)));
      this.closeSent = true;
    }
    this.currentState = 'closing';
  }

  // ---- The frame parser's sink (private) ------------------------------------------------------

  /**
   * The engine's frame parser, its own FrameSink: a class inside the engine, so it reaches the
   * engine's private handlers while they stay off the public API, with no object per connection
   * beyond the parser itself (closures or a separate sink would cost idle memory).
   */
  static readonly #Parser = class extends FrameParser implements FrameSink {
    readonly #engine: ClientProtocol;

    constructor(engine: ClientProtocol) {
      super();
      this.#engine = engine;
    }

    frameStart(header: FrameHeader): boolean {
      return this.#engine.#onFrameStart(header);
    }

    framePayload(piece: Uint8Array): boolean {
      return this.#engine.#onFramePayload(piece);
    }

    frameEnd(): boolean {
      return this.#engine.#onFrameEnd();
    }
  };

  /** A frame header was read: checked against RFC 6455 §5.2-§5.5 and the limits before any payload is kept. */
  #onFrameStart(header: FrameHeader): boolean {
    if (this.inputClosed) return false;
    const opcode = header.opcode;
    if (header.masked) return this.failProtocol('ERR_MASKED_FRAME', 'The server sent a masked frame (RFC 6455 §5.1)');
    if (header.rsv2 || header.rsv3)
      return this.failProtocol('ERR_RESERVED_BITS', 'RSV2/RSV3 set without a negotiated extension (RFC 6455 §5.2)');
    if (header.lengthTopBitSet)
      return this.failProtocol('ERR_FRAME_LENGTH', 'The most significant bit of a 64-bit length is set (RFC 6455 §5.2)');
    if (opcode >= 0x8) {
      if (opcode > Opcode.pong) return this.failProtocol('ERR_RESERVED_OPCODE', `Reserved opcode 0x${opcode.toString(16)} (RFC 6455 §5.2)`);
      if (header.rsv1) return this.failProtocol('ERR_RESERVED_BITS', 'RSV1 set on a control frame (RFC 7692 §6)');
      if (!header.fin) return this.failProtocol('ERR_FRAGMENTED_CONTROL_FRAME', 'Fragmented control frame (RFC 6455 §5.5)');
      if (header.length > MAX_CONTROL_PAYLOAD)
        return this.failProtocol('ERR_CONTROL_FRAME_TOO_LONG', `Control frame of ${header.length} bytes (RFC 6455 §5.5: at most 125)`);
      this.frameOpcode = opcode;
      this.controlPieces = null;
      return true;
    }
    if (opcode === Opcode.continuation) {
      if (this.messageOpcode === 0)
        return this.failProtocol('ERR_UNEXPECTED_CONTINUATION', 'Continuation frame without a message to continue (RFC 6455 §5.4)');
      if (header.rsv1) return this.failProtocol('ERR_RESERVED_BITS', 'RSV1 set on a continuation frame (RFC 7692 §6)');
    } else if (opcode === Opcode.text || opcode === Opcode.binary) {
      if (this.messageOpcode !== 0)
        return this.failProtocol('ERR_EXPECTED_CONTINUATION', 'A new message started inside a fragmented one (RFC 6455 §5.4)');
      if (header.rsv1 && this.perMessageDeflate === null)
        return this.failProtocol('ERR_RESERVED_BITS', 'RSV1 set but no extension was negotiated (RFC 6455 §5.2)');
      this.messageOpcode = opcode;
      this.messageCompressed = header.rsv1;
      this.messageFragments = 0;
      this.validateText = opcode === Opcode.text && !header.rsv1;
      if (this.validateText) {
        if (this.validator === null) this.validator = new Utf8Validator(this.isUtf8);
        else this.validator.reset();
      }
    } else {
      return this.failProtocol('ERR_RESERVED_OPCODE', `Reserved opcode 0x${opcode.toString(16)} (RFC 6455 §5.2)`);
    }
    this.messageFragments += 1;
    if (this.messageFragments > this.config.maxFragments) {
      return this.failWith(
        new ProtocolError('ERR_TOO_MANY_FRAGMENTS', `A message of more than ${this.config.maxFragments} fragments (maxFragments)`),
      );
    }
    // Checked from the declared length, before a byte of the payload is buffered.
    if (this.assembler.size + header.length > this.config.maxMessageSize) {
      return this.failWith(
        new ProtocolError('ERR_MESSAGE_TOO_BIG', `A message larger than ${this.config.maxMessageSize} bytes (maxMessageSize)`),
      );
    }
    this.frameOpcode = opcode;
    this.frameFin = header.fin;
    this.frameLength = header.length;
    // A whole message in one large frame (fragmented messages keep the assembler).
    this.directCandidate = header.fin && opcode !== Opcode.continuation && header.length >= this.largeMessageThreshold;
    return true;
  }

  /** A piece of the current frame's payload (a view into the read). */
  #onFramePayload(piece: Uint8Array): boolean {
    if (this.frameOpcode >= 0x8) {
      (this.controlPieces ??= []).push(piece);
      return true;
    }
    // RFC 6455 §8.1: fail at the first invalid byte, not at the end of the message.
    if (this.validateText && !(this.validator as Utf8Validator).update(piece)) {
      return this.failWith(new ProtocolError('ERR_INVALID_UTF8', 'A text message is not valid UTF-8 (RFC 6455 §8.1)'));
    }
    try {
      this.keepPayload(piece);
    } catch (error) {
      return this.failWith(tooBigToHold(error));
    }
    return true;
  }

  /** Keeps a data frame's payload piece: in the large message's own buffer, or in the assembler. */
  private keepPayload(piece: Uint8Array): void {
    let direct = this.direct;
    if (direct === null && this.directCandidate) {
      this.directCandidate = false;
      if (piece.length < this.frameLength) {
        // Memory from a declared length only up to a cap; the rest as bytes arrive (issue 12).
        // Frames up to the cap still get their whole buffer at once.
        direct = this.direct = this.allocate(Math.min(this.frameLength, Math.max(piece.length, tuning.directReserveCap)));
        this.directFilled = 0;
      }
    }
    if (direct === null) {
      this.assembler.add(piece);
      return;
    }
    const filled = this.directFilled + piece.length;
    // Bytes written by receiveInto() are already in place; others (read elsewhere) are copied once.
    if (piece.buffer !== direct.buffer || piece.byteOffset !== direct.byteOffset + this.directFilled) {
      if (filled > direct.length) direct = this.growDirect(filled);
      direct.set(piece, this.directFilled);
    }
    this.directFilled = filled;
    // Full before the frame ends: room for the next read (receiveBuffer()), doubling up to the frame's length.
    if (filled === direct.length && filled < this.frameLength) this.growDirect(filled);
  }

  /** Replaces the large message's buffer by one of at least `needed` bytes: twice as large, at most the frame. */
  private growDirect(needed: number): Uint8Array {
    const direct = this.direct as Uint8Array;
    const grown = this.allocate(Math.min(this.frameLength, Math.max(needed, 2 * direct.length)));
    grown.set(direct.subarray(0, this.directFilled), 0);
    this.direct = grown;
    return grown;
  }

  /** The current frame is complete: a control frame is handled, a final data frame ends its message. */
  #onFrameEnd(): boolean {
    const opcode = this.frameOpcode;
    if (opcode >= 0x8) return this.handleControl(opcode, joinSmall(this.controlPieces ?? noPieces));
    if (!this.frameFin) return true;
    if (this.validateText && !(this.validator as Utf8Validator).complete) {
      return this.failWith(new ProtocolError('ERR_INVALID_UTF8', 'A text message ends inside a UTF-8 sequence (RFC 6455 §8.1)'));
    }
    const binary = this.messageOpcode === Opcode.binary;
    this.messageOpcode = 0;
    this.directCandidate = false;
    const direct = this.direct;
    this.direct = null;
    let data: Uint8Array;
    try {
      data = direct ?? this.assembler.finish();
    } catch (error) {
      return this.failWith(tooBigToHold(error));
    }
    this.emit({ type: 'message', binary, compressed: this.messageCompressed, data });
    return true;
  }

  // ---- Internals ------------------------------------------------------------------------------

  private handleControl(opcode: number, payload: Uint8Array): boolean {
    if (opcode === Opcode.ping) {
      this.emit({ type: 'ping', data: payload });
      // RFC 6455 §5.5.2: answer with a Pong carrying the same payload, unless already closing.
      if (this.closeSent) return true;
      if (this.pongsHeld) this.heldPong = payload;
      else this.writer.writeFrame(true, Opcode.pong, payload);
      return true;
    }
    if (opcode === Opcode.pong) {
      this.emit({ type: 'pong', data: payload });
      return true;
    }
    let close: ClosePayload;
    try {
      close = parseClosePayload(payload, this.isUtf8);
    } catch (error) {
      return this.failWith(error as ProtocolError);
    }
    this.closeReceived = close;
    // RFC 6455 §5.5.1: echo the status code; then wait for the server to end TCP (§7.1.1).
    if (!this.closeSent) {
      this.writer.writeFrame(true, Opcode.close, close.code === CloseCode.noStatus ? emptyPayload : formatClosePayload(close.code));
      this.closeSent = true;
    }
    this.currentState = 'closing';
    this.inputClosed = true;
    return false;
  }

  private acceptResponse(handshake: PendingHandshake, head: HandshakeResponseHead, rest: Uint8Array): void {
    this.responseHead = head.text;
    const accepted = checkHandshakeResponse(head, rest, handshake);
    this.protocol = accepted.protocol;
    this.extensions = accepted.extensions;
    this.perMessageDeflate = accepted.perMessageDeflate;
  }

  private sendData(opcode: number, data: Uint8Array, options: SendOptions | undefined): void {
    if (this.currentState !== 'open' || this.closeSent) {
      throw new UsageError('ERR_INVALID_STATE', `Cannot send: the connection is ${this.currentState}`);
    }
    const fin = options?.fin ?? true;
    const continuing = this.sendingFragmented;
    this.writer.writeFrame(
      fin,
      continuing ? Opcode.continuation : opcode,
      data,
      options?.owned === true,
      options?.rsv1 === true && !continuing,
    );
    this.sendingFragmented = !fin;
  }

  private sendControl(opcode: number, data: Uint8Array): void {
    if (this.currentState !== 'open' || this.closeSent) {
      throw new UsageError('ERR_INVALID_STATE', `Cannot send a control frame: the connection is ${this.currentState}`);
    }
    if (data.length > MAX_CONTROL_PAYLOAD) {
      throw new UsageError('ERR_CONTROL_FRAME_TOO_LONG', `Ping and Pong payloads are at most ${MAX_CONTROL_PAYLOAD} bytes (RFC 6455 §5.5)`);
    }
    this.writer.writeFrame(true, opcode, data);
  }

  private emit(event: ProtocolEvent): void {
    if (this.events === null) this.events = [event];
    else this.events.push(event);
  }

  private failProtocol(code: ProtocolError['code'], message: string): false {
    return this.failWith(new ProtocolError(code, message));
  }

  /** Fails on bad input: at once, or once the events before it were taken (see heldFailure). */
  private failWith(error: KeelError): false {
    if (this.events === null || this.currentState !== 'open') {
      this.fail(error);
      return false;
    }
    this.heldFailure = error;
    this.inputClosed = true;
    this.parser.stop();
    this.direct = null;
    return false;
  }
}

/**
 * Memory the platform cannot give (a RangeError past Node's 4 GiB buffers, with maxMessageSize
 * Infinity): the message is too big to hold, a 1009, never an exception out of the read.
 */
function tooBigToHold(error: unknown): ProtocolError {
  return new ProtocolError(
    'ERR_MESSAGE_TOO_BIG',
    `A message too large to hold in memory (${error instanceof Error ? error.message : String(error)})`,
    { cause: error },
  );
}

/** Joins a control frame's pieces (at most 125 bytes). */
function joinSmall(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 0) return emptyPayload;
  if (pieces.length === 1) return (pieces[0] as Uint8Array).slice();
  let total = 0;
  for (const piece of pieces) total += piece.length;
  return concatBytes(pieces, total);
}
