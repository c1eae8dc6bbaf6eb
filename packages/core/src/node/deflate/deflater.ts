import zlib from 'node:zlib';
import { KeelError, keelErrorFor, UsageError } from '../../protocol/errors.js';
import { DEFLATE_TAIL } from './inflater.js';
import { ZlibLimiter, sharedZlibLimiter } from './zlib-limiter.js';

export interface DeflaterOptions {
  /**
   * The LZ77 window to compress with, as log2 bytes, 8 to 15: the negotiated
   * `client_max_window_bits` on a client (RFC 7692 §7.1.2.2). Default 15.
   *
   * 8 is compressed with 9: zlib ≥ 1.2.9 refuses a raw deflate window of 8 (Node quietly maps it
   * to 9, ws does the same). That stays within the agreement: zlib's deflate never emits a
   * distance beyond `2^windowBits - 262` (MAX_DIST in deflate.h), 250 bytes for 9, so every
   * back-reference fits the peer's 256-byte window.
   */
  readonly windowBits?: number;
  /**
   * Start every message with a fresh context (`client_no_context_takeover` on a client,
   * RFC 7692 §7.1.1.2): the deflater resets after every message. Default false.
   */
  readonly noContextTakeover?: boolean;
  /** zlib compression level, 0 (none) to 9 (best), or -1 for zlib's default (6). Default -1. */
  readonly level?: number;
  /** zlib memory level, 1 to 9: more memory, faster and better compression. Default 8. */
  readonly memLevel?: number;
  /** The limiter zlib work waits in. Default: the process-wide {@link sharedZlibLimiter}. */
  readonly limiter?: ZlibLimiter;
}

interface RunningDeflation {
  readonly chunks: Buffer[];
  settled: boolean;
  readonly reject: (error: KeelError) => void;
}

/** RFC 7692 §7.2.3.6: an empty message may be sent as a single 0x00 octet (an empty stored block header). */
const EMPTY_DEFLATE_PAYLOAD: Buffer = Buffer.from([0x00]);

function integerOption(value: number | undefined, fallback: number, min: number, max: number, what: string): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw new UsageError('ERR_INVALID_OPTION', `Deflater ${what} must be an integer from ${min} to ${max}, got ${String(resolved)}`);
  }
  return resolved;
}

/**
 * Compresses the payloads of outgoing messages of one connection (RFC 7692 §7.2.1), in order.
 *
 * Calls are queued like the Inflater's: results come back in call order, at most one
 * operation of this deflater runs at a time, and every operation waits for a limiter slot.
 */
export class Deflater {
  /** The window zlib is given: the agreed window bits, 8 raised to 9 (see {@link DeflaterOptions.windowBits}). */
  readonly zlibWindowBits: number;
  private readonly noContextTakeover: boolean;
  private readonly level: number;
  private readonly memLevel: number;
  private readonly limiter: ZlibLimiter;
  private stream: zlib.DeflateRaw | null = null;
  private running: RunningDeflation | null = null;
  private queueTail: Promise<unknown> = Promise.resolve();
  private failure: KeelError | null = null;

  constructor(options: DeflaterOptions = {}) {
    const windowBits = integerOption(options.windowBits, 15, 8, 15, 'windowBits');
    this.zlibWindowBits = Math.max(windowBits, 9);
    this.noContextTakeover = options.noContextTakeover ?? false;
    this.level = integerOption(options.level, zlib.constants.Z_DEFAULT_COMPRESSION, -1, 9, 'level');
    this.memLevel = integerOption(options.memLevel, 8, 1, 9, 'memLevel');
    this.limiter = options.limiter ?? sharedZlibLimiter;
  }

  /** True once closed or failed: nothing more can be compressed. */
  get closed(): boolean {
    return this.failure !== null;
  }

  /**
   * Compresses one fragment's payload. With `fin` (the last fragment of the message) the
   * trailing `00 00 ff ff` of the sync flush is removed (RFC 7692 §7.2.1) and, when
   * `noContextTakeover`, the context is reset for the next message. Earlier fragments keep
   * their flush bytes: they are valid DEFLATE data inside the message.
   *
   * Rejects with `ERR_INVALID_STATE` once closed. The caller must not change `data` until the
   * promise settles.
   */
  deflate(data: Uint8Array, fin = true): Promise<Buffer> {
    const result = this.queueTail.then(() => this.limiter.run(() => this.deflateNow(data, fin)));
    this.queueTail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Releases the zlib stream at once; pending and later calls reject with `ERR_INVALID_STATE`. */
  close(): void {
    this.fail(new UsageError('ERR_INVALID_STATE', 'The deflater is closed'));
  }

  private deflateNow(data: Uint8Array, fin: boolean): Promise<Buffer> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const stream = this.stream ?? this.openStream();
    return new Promise<Buffer>((resolve, reject) => {
      const running: RunningDeflation = { chunks: [], settled: false, reject };
      this.running = running;
      stream.write(data);
      stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (running.settled) return;
        running.settled = true;
        this.running = null;
        let output = running.chunks.length === 1 && running.chunks[0] !== undefined ? running.chunks[0] : Buffer.concat(running.chunks);
        if (fin) {
          // A sync flush always ends with an empty stored block, whose LEN/NLEN are 00 00 ff ff.
          const tailStart = output.length - DEFLATE_TAIL.length;
          if (tailStart < 0 || !output.subarray(tailStart).equals(DEFLATE_TAIL)) {
            this.fail(keelErrorFor('ERR_DEFLATE', 'zlib ended a sync flush without 00 00 ff ff'));
            return;
          }
          output = tailStart === 0 ? EMPTY_DEFLATE_PAYLOAD : output.subarray(0, tailStart);
          if (this.noContextTakeover) stream.reset();
        }
        resolve(output);
      });
    });
  }

  private openStream(): zlib.DeflateRaw {
    const stream = zlib.createDeflateRaw({ windowBits: this.zlibWindowBits, level: this.level, memLevel: this.memLevel });
    stream.on('data', (chunk: Buffer) => {
      const running = this.running;
      if (running !== null && !running.settled) running.chunks.push(chunk);
    });
    stream.on('error', (error: Error) => {
      this.fail(keelErrorFor('ERR_DEFLATE', `zlib failed to compress: ${error.message}`, { cause: error }));
    });
    this.stream = stream;
    return stream;
  }

  private fail(error: KeelError): void {
    // Errors made inside a zlib callback would keep that call stack's receivers, the native zlib
    // handle among them, alive until their stack is read (V8 formats stacks lazily): read it now.
    void error.stack;
    if (this.failure === null) this.failure = error;
    const stream = this.stream;
    this.stream = null;
    stream?.close();
    const running = this.running;
    this.running = null;
    if (running !== null && !running.settled) {
      running.settled = true;
      running.reject(this.failure);
    }
  }
}
