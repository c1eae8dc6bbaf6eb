import type { PerMessageDeflateParams } from '../../protocol/permessage-deflate-negotiation.js';
import { resolveCompressionThreshold, shouldCompress } from './compression-threshold.js';
import { Deflater } from './deflater.js';
import { Inflater } from './inflater.js';
import type { ZlibLimiter } from './zlib-limiter.js';

export interface PerMessageDeflateCodecOptions {
  /** Largest inflated incoming message, in bytes; more fails with 1009. Default 64 MiB. */
  readonly maxMessageSize?: number;
  /** Outgoing messages smaller than this many bytes are not compressed. Default 1,024. */
  readonly threshold?: number;
  /** zlib level for outgoing messages, 0 to 9 or -1 (zlib's default, 6). Default -1. */
  readonly level?: number;
  /** zlib memory level for outgoing messages, 1 to 9. Default 8. */
  readonly memLevel?: number;
  /** Default: the process-wide limiter. */
  readonly limiter?: ZlibLimiter;
}

/**
 * The compression state of one client connection once permessage-deflate was agreed: the
 * server's parameters drive the inflater, the client's the deflater (RFC 7692 §7.1).
 * `close()` releases both zlib streams; call it when the connection ends, however it ends.
 */
export class PerMessageDeflateCodec {
  readonly params: PerMessageDeflateParams;
  readonly threshold: number;
  private readonly inflater: Inflater;
  private readonly deflater: Deflater;

  constructor(params: PerMessageDeflateParams, options: PerMessageDeflateCodecOptions = {}) {
    this.params = params;
    this.threshold = resolveCompressionThreshold(options.threshold);
    this.inflater = new Inflater({
      windowBits: params.serverMaxWindowBits,
      noContextTakeover: params.serverNoContextTakeover,
      ...(options.maxMessageSize === undefined ? {} : { maxMessageSize: options.maxMessageSize }),
      ...(options.limiter === undefined ? {} : { limiter: options.limiter }),
    });
    this.deflater = new Deflater({
      windowBits: params.clientMaxWindowBits,
      noContextTakeover: params.clientNoContextTakeover,
      ...(options.level === undefined ? {} : { level: options.level }),
      ...(options.memLevel === undefined ? {} : { memLevel: options.memLevel }),
      ...(options.limiter === undefined ? {} : { limiter: options.limiter }),
    });
  }

  /** Whether an outgoing message of `byteLength` bytes is worth compressing (threshold and per-message `compress`). */
  shouldCompress(byteLength: number, compress = true): boolean {
    return shouldCompress(byteLength, this.threshold, compress);
  }

  /** Inflates a received fragment (`fin`: the message's last); see {@link Inflater.inflate}. */
  decompress(data: Uint8Array, fin = true): Promise<Buffer> {
    return this.inflater.inflate(data, fin);
  }

  /** Deflates an outgoing fragment (`fin`: the message's last); see {@link Deflater.deflate}. */
  compress(data: Uint8Array, fin = true): Promise<Buffer> {
    return this.deflater.deflate(data, fin);
  }

  /** Releases both zlib streams; later calls reject with `ERR_INVALID_STATE`. */
  close(): void {
    this.inflater.close();
    this.deflater.close();
  }
}
