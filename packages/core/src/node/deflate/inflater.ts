import zlib from 'node:zlib';
import { defaultProtocolConfig } from '../../protocol/config.js';
import { KeelError, ProtocolError, UsageError } from '../../protocol/errors.js';
import { ZlibLimiter, sharedZlibLimiter } from './zlib-limiter.js';

/** RFC 7692 §7.2.2: the receiver appends these four octets to a message's payload before inflating. */
export const DEFLATE_TAIL: Buffer = Buffer.from([0x00, 0x00, 0xff, 0xff]);

export interface InflaterOptions {
  /**
   * The LZ77 window the peer compresses with, as log2 bytes, 8 to 15: the negotiated
   * `server_max_window_bits` on a client (RFC 7692 §7.1.2.1). Default 15.
   */
  readonly windowBits?: number;
  /**
   * The peer starts every message with a fresh context (`server_no_context_takeover` on a
   * client, RFC 7692 §7.1.1.1): the inflater resets after every message. Default false.
   */
  readonly noContextTakeover?: boolean;
  /**
   * Largest inflated message, in bytes, summed over its fragments. Passing it fails with
   * `ERR_MESSAGE_TOO_BIG` (close code 1009) as soon as inflation produces the byte that passes
   * it; the rest is never inflated. Default 64 MiB (the engine's `maxMessageSize`).
   */
  readonly maxMessageSize?: number;
  /** The limiter zlib work waits in. Default: the process-wide {@link sharedZlibLimiter}. */
  readonly limiter?: ZlibLimiter;
}

/** The operation running in zlib now: where its output goes and how it ends. */
interface RunningInflation {
  readonly chunks: Buffer[];
  settled: boolean;
  readonly reject: (error: KeelError) => void;
}

function validateWindowBits(windowBits: number, what: string): void {
  if (!Number.isInteger(windowBits) || windowBits < 8 || windowBits > 15) {
    throw new UsageError('ERR_INVALID_OPTION', `${what} windowBits must be an integer from 8 to 15, got ${String(windowBits)}`);
  }
}

/**
 * Inflates the payloads of compressed messages of one connection (RFC 7692 §7.2.2), in order.
 *
 * Calls are queued: each one starts when the previous one of this inflater has finished and a
 * slot of the limiter is free, so results come back in call order. After a failure (too big,
 * corrupt data) or `close()`, every later call rejects with the same error.
 */
export class Inflater {
  private readonly windowBits: number;
  private readonly noContextTakeover: boolean;
  private readonly maxMessageSize: number;
  private readonly limiter: ZlibLimiter;
  private stream: zlib.InflateRaw | null = null;
  /** Input bytes written to `stream`; compared with its `bytesWritten` (bytes zlib consumed). */
  private written = 0;
  /** Inflated bytes of the message in progress, across its fragments. */
  private messageSize = 0;
  private running: RunningInflation | null = null;
  private queueTail: Promise<unknown> = Promise.resolve();
  private failure: KeelError | null = null;

  constructor(options: InflaterOptions = {}) {
    this.windowBits = options.windowBits ?? 15;
    validateWindowBits(this.windowBits, 'Inflater');
    this.noContextTakeover = options.noContextTakeover ?? false;
    this.maxMessageSize = options.maxMessageSize ?? defaultProtocolConfig.maxMessageSize;
    if (!(this.maxMessageSize >= 0)) {
      throw new UsageError('ERR_INVALID_OPTION', `Inflater maxMessageSize must be a number ≥ 0, got ${String(this.maxMessageSize)}`);
    }
    this.limiter = options.limiter ?? sharedZlibLimiter;
  }

  /** True once closed or failed: nothing more can be inflated. */
  get closed(): boolean {
    return this.failure !== null;
  }

  /**
   * Inflates one fragment's payload and resolves with the bytes it produced. `fin` marks the
   * last fragment of the message: the `00 00 ff ff` tail is appended to it (RFC 7692 §7.2.2),
   * and the context is reset afterwards when `noContextTakeover`. An unfragmented message is
   * one call with `fin` true.
   *
   * Rejects with `ERR_MESSAGE_TOO_BIG` (1009), `ERR_INFLATE` (1007) for corrupt data, or
   * `ERR_INVALID_STATE` once closed. The caller must not change `data` until the promise settles.
   */
  inflate(data: Uint8Array, fin = true): Promise<Buffer> {
    const result = this.queueTail.then(() => this.limiter.run(() => this.inflateNow(data, fin)));
    this.queueTail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Releases the zlib stream at once; pending and later calls reject with `ERR_INVALID_STATE`. */
  close(): void {
    this.fail(new UsageError('ERR_INVALID_STATE', 'The inflater is closed'));
  }

  private async inflateNow(data: Uint8Array, fin: boolean): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let input: Uint8Array | null = data;
    while (input !== null) {
      input = await this.inflateInto(chunks, input, fin);
    }
    if (fin) {
      this.messageSize = 0;
      // RFC 7692 §7.1.1.1: without context takeover the peer starts each message afresh; so do we.
      if (this.noContextTakeover) this.stream?.reset();
    }
    return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks);
  }

  /**
   * Runs `data` (and the tail when `fin`) through zlib, collecting output in `chunks`. Resolves
   * with the data bytes zlib did not consume because the DEFLATE stream ended (a block with
   * BFINAL set, RFC 7692 §7.2.3.4), which must go to a fresh stream, or null when done.
   */
  private inflateInto(chunks: Buffer[], data: Uint8Array, fin: boolean): Promise<Uint8Array | null> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const stream = this.stream ?? this.openStream();
    return new Promise<Uint8Array | null>((resolve, reject) => {
      const running: RunningInflation = { chunks, settled: false, reject };
      this.running = running;
      const writtenBefore = this.written;
      const consumedBefore = stream.bytesWritten;
      // One write (data and tail together), flushed by the stream's own Z_SYNC_FLUSH (zlib hands
      // over every byte it can produce from the input so far): every write or flush is a trip
      // through zlib's thread pool, and this way a message needs only one.
      const input = fin ? Buffer.concat([data, DEFLATE_TAIL]) : data;
      this.written += input.length;
      stream.write(input, () => {
        // Settled already when the size limit, an error or close() ended the operation.
        if (running.settled) return;
        running.settled = true;
        this.running = null;
        const consumed = stream.bytesWritten - consumedBefore;
        const total = this.written - writtenBefore;
        if (consumed >= total) {
          resolve(null);
          return;
        }
        // The DEFLATE stream ended (BFINAL) before the input did: later data starts a new stream,
        // with a fresh context, as zlib's inflateReset would (and as Chromium does).
        const unconsumedData = data.length - consumed;
        if (writtenBefore === 0 && consumed === 0 && unconsumedData > 0) {
          // A fresh stream that takes nothing would be handed the same bytes forever.
          this.fail(new ProtocolError('ERR_INFLATE', 'Invalid compressed data: the inflater consumed no input'));
          reject(this.failure);
          return;
        }
        this.discardStream();
        resolve(unconsumedData > 0 ? data.subarray(consumed) : null);
      });
    });
  }

  private openStream(): zlib.InflateRaw {
    const stream = zlib.createInflateRaw({ windowBits: this.windowBits, flush: zlib.constants.Z_SYNC_FLUSH });
    stream.on('data', (chunk: Buffer) => {
      const running = this.running;
      if (running === null || running.settled) return;
      this.messageSize += chunk.length;
      // Checked on every chunk zlib produces (16 KiB at most), so a zip bomb stops here.
      if (this.messageSize > this.maxMessageSize) {
        this.fail(new ProtocolError('ERR_MESSAGE_TOO_BIG', `The inflated message exceeds maxMessageSize (${this.maxMessageSize} bytes)`));
        return;
      }
      running.chunks.push(chunk);
    });
    stream.on('error', (error: Error) => {
      // RFC 6455 §8.1 / RFC 7692 §8: data that does not decompress is invalid payload data.
      this.fail(new ProtocolError('ERR_INFLATE', `Invalid compressed data: ${error.message}`));
    });
    this.stream = stream;
    this.written = 0;
    return stream;
  }

  private discardStream(): void {
    const stream = this.stream;
    this.stream = null;
    stream?.close();
  }

  private fail(error: KeelError): void {
    // Errors made inside a zlib callback would keep that call stack's receivers, the native zlib
    // handle among them, alive until their stack is read (V8 formats stacks lazily): read it now.
    void error.stack;
    if (this.failure === null) this.failure = error;
    this.discardStream();
    const running = this.running;
    this.running = null;
    if (running !== null && !running.settled) {
      running.settled = true;
      running.reject(this.failure);
    }
  }
}
