import { UsageError } from '../../protocol/errors.js';

/**
 * Messages smaller than this many bytes are sent uncompressed by default. Below about 1 KiB
 * the DEFLATE overhead and the zlib round trip cost more than the bytes they save (ws uses the
 * same default for its `threshold`).
 */
export const DEFAULT_COMPRESSION_THRESHOLD = 1024;

/** Checks a `threshold` option: a number of bytes ≥ 0 (Infinity: never compress). */
export function resolveCompressionThreshold(threshold: number | undefined): number {
  const resolved = threshold ?? DEFAULT_COMPRESSION_THRESHOLD;
  if (!(resolved >= 0)) {
    throw new UsageError('ERR_INVALID_OPTION', `The compression threshold must be a number of bytes ≥ 0, got ${String(resolved)}`);
  }
  return resolved;
}

/**
 * Whether a message of `byteLength` bytes should be sent compressed (RFC 7692 lets the sender
 * choose per message: RSV1 set or not on its first frame).
 *
 * @param byteLength the whole message's size in bytes (for a fragmented message: decide once, on the first fragment).
 * @param threshold messages smaller than this are sent as they are. Default 1,024 bytes.
 * @param compress the per-message `compress` option: false never compresses. Default true.
 */
export function shouldCompress(byteLength: number, threshold: number = DEFAULT_COMPRESSION_THRESHOLD, compress = true): boolean {
  return compress && byteLength >= threshold;
}
