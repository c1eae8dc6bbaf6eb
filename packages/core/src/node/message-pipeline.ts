import type net from 'node:net';
import { Blob } from 'node:buffer';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import { tuning } from '../protocol/config.js';
import { KeelError, keelErrorFor } from '../protocol/errors.js';
import type { MessageEvent as ProtocolMessageEvent } from '../protocol/events.js';
import type { PerMessageDeflateCodec } from './deflate/permessage-deflate-codec.js';
import { nodePrimitives } from './node-primitives.js';
import { toKeelError } from './to-keel-error.js';

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

/**
 * What the pipeline needs of the WebSocket that owns it. The WebSocket grants it as one shared
 * table of functions (none of it is public API, and no connection pays for closures of its own).
 */
export interface PipelineAccess<Owner> {
  engine(owner: Owner): ClientProtocol;
  socket(owner: Owner): net.Socket | null;
  /** The close event was dispatched: nothing is delivered or sent any more. */
  isClosed(owner: Owner): boolean;
  /** Dispatches a received message (text as UTF-8 bytes). */
  deliver(owner: Owner, binary: boolean, data: Uint8Array): void;
  /** Writes what the engine framed, on the next tick (batched with other sends). */
  scheduleFlush(owner: Owner): void;
  /** Writes what the engine produced at once and acts on its state (after sendClose). */
  afterCommand(owner: Owner): void;
  /** Fails the connection (RFC 6455 §7.1.7) from an asynchronous callback; never throws. */
  failConnection(owner: Owner, error: KeelError): void;
}

/** Received messages waiting for inflation before the socket stops being read (backpressure). */
const INBOUND_PAUSE_MARK = tuning.inboundPauseMark;

/**
 * The message pipeline of one open connection: messages in both directions keep their order
 * through asynchronous steps. Outgoing messages that are compressed (RFC 7692 §6) or are Blobs
 * wait in a queue, and every later one waits behind them; a close() made meanwhile waits too.
 * Incoming compressed messages are inflated in arrival order, later ones (compressed or not)
 * wait behind them, and the socket stops being read while too many wait (backpressure), or
 * while the application asked for it with pause().
 *
 * Made only when a connection needs it (a negotiated permessage-deflate, a Blob, pause()):
 * idle and uncompressed connections are many and keep none of this state.
 */
export class MessagePipeline<Owner> {
  readonly #owner: Owner;
  readonly #access: PipelineAccess<Owner>;
  #codec: PerMessageDeflateCodec | null;
  #outbound: PendingSend[] = [];
  /** Bytes of the queued outgoing messages (part of bufferedAmount). */
  #outboundBytes = 0;
  #pumping = false;
  #pendingClose: { code: number | undefined; reason: string | undefined } | null = null;
  #inbound: PendingReceive[] = [];
  #inflateChain: Promise<void> | null = null;
  /** pause() was called: the socket stays unread until resume(), whatever inflation needs. */
  #readingPaused = false;

  constructor(owner: Owner, access: PipelineAccess<Owner>, codec: PerMessageDeflateCodec | null) {
    this.#owner = owner;
    this.#access = access;
    this.#codec = codec;
  }

  /** Bytes accepted by send() and still waiting here. */
  get outboundBytes(): number {
    return this.#outboundBytes;
  }

  /** Received messages not yet delivered (inflating, or behind one that is). */
  get inboundCount(): number {
    return this.#inbound.length;
  }

  /** A close() waits behind queued messages. */
  get closePending(): boolean {
    return this.#pendingClose !== null;
  }

  // ---- Sending ------------------------------------------------------------------------------

  /**
   * Queues an outgoing message when it must wait (it is compressed, it is a Blob, or others wait
   * before it) and returns true; returns false when the caller may frame it at once.
   */
  queue(text: boolean, data: Uint8Array | Blob, size: number, compressOption: boolean): boolean {
    const codec = this.#codec;
    const compress = codec !== null && codec.shouldCompress(size, compressOption);
    if (!compress && !(data instanceof Blob) && this.#outbound.length === 0) return false;
    this.#outbound.push({ text, data, size, compress });
    this.#outboundBytes += size;
    if (!this.#pumping) void this.#pump();
    return true;
  }

  /** close() while messages wait: the Close follows them. Returns false when none wait. */
  deferClose(code: number | undefined, reason: string | undefined): boolean {
    if (this.#outbound.length === 0) return false;
    this.#pendingClose = { code, reason };
    return true;
  }

  /** Sends queued messages in order, compressing those that asked for it (RFC 7692 §6). */
  async #pump(): Promise<void> {
    const owner = this.#owner;
    const access = this.#access;
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
        const engine = access.engine(owner);
        if (engine.state !== 'open') return;
        if (item.text) engine.sendText(bytes, { owned: compressed, rsv1: compressed });
        else engine.sendBinary(bytes, { owned: compressed, rsv1: compressed });
        access.scheduleFlush(owner);
      }
      const close = this.#pendingClose;
      const engine = access.engine(owner);
      if (close !== null && engine.state === 'open') {
        this.#pendingClose = null;
        engine.sendClose(close.code, close.reason);
        access.afterCommand(owner);
      }
    } catch (error) {
      this.#outbound.length = 0;
      this.#outboundBytes = 0;
      access.failConnection(owner, toKeelError(error, 'ERR_DEFLATE'));
    } finally {
      this.#pumping = false;
    }
  }

  // ---- Receiving ----------------------------------------------------------------------------

  /**
   * Takes a received message when it must wait (it is compressed, or others wait before it) and
   * returns true; returns false when the caller may deliver it at once.
   */
  receive(event: ProtocolMessageEvent): boolean {
    if (event.compressed) {
      this.#inflate(event);
      return true;
    }
    if (this.#inbound.length === 0) return false;
    this.#inbound.push({ binary: event.binary, data: event.data });
    return true;
  }

  /** Inflates in arrival order; later messages (compressed or not) wait behind it. */
  #inflate(event: ProtocolMessageEvent): void {
    const owner = this.#owner;
    const access = this.#access;
    const codec = this.#codec;
    const entry: PendingReceive = { binary: event.binary, data: null };
    this.#inbound.push(entry);
    if (this.#inbound.length >= INBOUND_PAUSE_MARK) access.socket(owner)?.pause();
    this.#inflateChain = (this.#inflateChain ?? Promise.resolve())
      .then(async () => {
        if (codec === null || access.isClosed(owner)) return;
        // Messages that arrived before a Close are still delivered: whenDelivered() waits for this chain.
        const inflated = await codec.decompress(event.data, true);
        // RFC 7692 §8 + RFC 6455 §8.1: a compressed text message is validated after inflation.
        if (!event.binary && !nodePrimitives.isUtf8(inflated)) {
          throw keelErrorFor('ERR_INVALID_UTF8', 'A text message is not valid UTF-8 (RFC 6455 §8.1)');
        }
        entry.data = inflated;
        this.#deliverReady();
      })
      .catch((error: unknown) => {
        this.#inbound.length = 0;
        access.failConnection(owner, toKeelError(error, 'ERR_INFLATE'));
      });
  }

  #deliverReady(): void {
    const owner = this.#owner;
    const access = this.#access;
    while (this.#inbound.length > 0) {
      const head = this.#inbound[0] as PendingReceive;
      if (head.data === null) return;
      this.#inbound.shift();
      access.deliver(owner, head.binary, head.data);
    }
    const socket = access.socket(owner);
    if (socket !== null && socket.isPaused() && !this.#readingPaused && !access.isClosed(owner)) socket.resume();
  }

  /**
   * The promise that settles once the messages received so far were delivered, or null when none
   * wait: the close event follows them.
   */
  whenDelivered(): Promise<void> | null {
    return this.#inflateChain !== null && this.#inbound.length > 0 ? this.#inflateChain : null;
  }

  // ---- Reading paused by the application ----------------------------------------------------

  /** Stops reading the socket until resume(). */
  pause(): void {
    this.#readingPaused = true;
    this.#access.socket(this.#owner)?.pause();
  }

  /** Reads the socket again after pause(), unless inflation backpressure still wants it paused. */
  resume(): void {
    if (!this.#readingPaused) return;
    this.#readingPaused = false;
    // Inflation backpressure may still want the socket paused: #deliverReady resumes it then.
    if (this.#inbound.length < INBOUND_PAUSE_MARK && !this.#access.isClosed(this.#owner)) this.#access.socket(this.#owner)?.resume();
  }

  /** The connection ended: zlib is released and queued messages are dropped. */
  close(): void {
    this.#codec?.close();
    this.#codec = null;
    this.#outbound.length = 0;
    this.#outboundBytes = 0;
  }
}
