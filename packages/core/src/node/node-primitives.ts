import { isUtf8 } from 'node:buffer';
import crypto from 'node:crypto';
import { tuning } from '../protocol/config.js';

/** The engine's injected primitives, backed by Node: CSPRNG, SHA-1, simdutf UTF-8 check, Buffers. */
export const nodePrimitives = {
  randomFill: (target: Uint8Array): void => randomFillPooled(target),
  sha1: (data: Uint8Array): Uint8Array => sha1(data),
  isUtf8: (data: Uint8Array): boolean => isUtf8(data),
  allocate: (size: number): Uint8Array => allocateFromSlab(size),
} as const;

/**
 * Small random requests (a connection's Sec-WebSocket-Key, its first mask keys) are served from
 * a pool of CSPRNG bytes refilled 8 KiB at a time: one call into OpenSSL per ~100 connections
 * instead of two per connection (each costs about 1.5 µs whatever its size; ws pools its mask
 * keys the same way). Every byte is handed out once and never again. Sizes: tuning.randomPool*.
 */
const RANDOM_POOL_SIZE = tuning.randomPoolSize;
const MAX_POOLED_RANDOM = tuning.randomPoolMaxRequest;
let randomPool: Buffer | null = null;
let randomOffset = RANDOM_POOL_SIZE;

function randomFillPooled(target: Uint8Array): void {
  const size = target.length;
  if (size > MAX_POOLED_RANDOM) {
    crypto.randomFillSync(target);
    return;
  }
  if (randomOffset + size > RANDOM_POOL_SIZE) {
    randomPool = crypto.randomFillSync(randomPool ?? Buffer.allocUnsafeSlow(RANDOM_POOL_SIZE));
    randomOffset = 0;
  }
  target.set((randomPool as Buffer).subarray(randomOffset, randomOffset + size));
  randomOffset += size;
}

/** One-shot crypto.hash (Node ≥ 20.12) costs half of createHash().update().digest(). */
const sha1: (data: Uint8Array) => Uint8Array =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha1', data, 'buffer')
    : (data) => crypto.createHash('sha1').update(data).digest();

/**
 * Medium buffers (assembled messages, masked payloads) are carved from a shared 1 MiB slab: one
 * ArrayBuffer per megabyte instead of one per message, which keeps allocation and GC work off
 * the receive path of 4-256 KiB messages. Small ones come from Node's own pool, large ones alone.
 * A slab is never reused: it is freed when no view of it remains. Sizes: tuning.allocationSlab*.
 */
const SLAB_SIZE = tuning.allocationSlabSize;
const MIN_SLAB_ALLOCATION = tuning.allocationSlabMin;
const MAX_SLAB_ALLOCATION = tuning.allocationSlabMax;
let slab: Buffer | null = null;
let slabOffset = 0;

function allocateFromSlab(size: number): Buffer {
  if (size < MIN_SLAB_ALLOCATION || size > MAX_SLAB_ALLOCATION) return Buffer.allocUnsafe(size);
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
