import { isUtf8 } from 'node:buffer';
import { createHash, randomFillSync } from 'node:crypto';

/** The engine's injected primitives, backed by Node: CSPRNG, SHA-1, simdutf UTF-8 check, Buffers. */
export const nodePrimitives = {
  randomFill: (target: Uint8Array): void => {
    randomFillSync(target);
  },
  sha1: (data: Uint8Array): Uint8Array => createHash('sha1').update(data).digest(),
  isUtf8: (data: Uint8Array): boolean => isUtf8(data),
  allocate: (size: number): Uint8Array => allocateFromSlab(size),
} as const;

/**
 * Medium buffers (assembled messages, masked payloads) are carved from a shared 1 MiB slab: one
 * ArrayBuffer per megabyte instead of one per message, which keeps allocation and GC work off
 * the receive path of 4-256 KiB messages. Small ones come from Node's own pool, large ones alone.
 * A slab is never reused: it is freed when no view of it remains.
 */
const SLAB_SIZE = 1024 * 1024;
const MAX_SLAB_ALLOCATION = 256 * 1024;
let slab: Buffer | null = null;
let slabOffset = 0;

function allocateFromSlab(size: number): Buffer {
  if (size < 4096 || size > MAX_SLAB_ALLOCATION) return Buffer.allocUnsafe(size);
  if (slab === null || slabOffset + size > SLAB_SIZE) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
    slabOffset = 0;
  }
  const view = slab.subarray(slabOffset, slabOffset + size);
  // Keep views 8-byte aligned, so word-at-a-time masking stays on its fast path.
  slabOffset += (size + 7) & ~7;
  return view;
}

/** A Buffer over the same memory as `data` (no copy). */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
