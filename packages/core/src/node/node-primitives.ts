import { isUtf8 } from 'node:buffer';
import { createHash, randomFillSync } from 'node:crypto';

/** The engine's injected primitives, backed by Node: CSPRNG, SHA-1, simdutf UTF-8 check, Buffers. */
export const nodePrimitives = {
  randomFill: (target: Uint8Array): void => {
    randomFillSync(target);
  },
  sha1: (data: Uint8Array): Uint8Array => createHash('sha1').update(data).digest(),
  isUtf8: (data: Uint8Array): boolean => isUtf8(data),
  allocate: (size: number): Uint8Array => Buffer.allocUnsafe(size),
} as const;

/** A Buffer over the same memory as `data` (no copy). */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
