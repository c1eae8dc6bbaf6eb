/**
 * XORs `source` with the 4-byte masking key (RFC 6455 §5.3) into `target` at `targetOffset`
 * (`target` may be `source` itself, to mask in place). Large payloads are copied with one
 * memcpy and then masked a 32-bit word at a time: masking is on the send path of every byte.
 */
export function applyMask(source: Uint8Array, target: Uint8Array, targetOffset: number, key: Uint8Array): void {
  const length = source.length;
  if (length < 64) {
    for (let index = 0; index < length; index += 1) {
      target[targetOffset + index] = (source[index] as number) ^ (key[index & 3] as number);
    }
    return;
  }
  if (source !== target || targetOffset !== 0) target.set(source, targetOffset);
  maskInPlace(target, targetOffset, length, key);
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A word view of the last buffer masked (a one-entry cache): frames are written one after the
 * other into the same slab, so this saves allocating a typed-array view per frame. Int32, not
 * Uint32: loads stay small integers in V8's optimised code.
 */
let cachedBuffer: ArrayBufferLike | null = null;
let cachedWords: Int32Array<ArrayBufferLike> = new Int32Array(0);

function wordsOf(buffer: ArrayBufferLike): Int32Array<ArrayBufferLike> {
  if (buffer !== cachedBuffer) {
    cachedBuffer = buffer;
    cachedWords = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  return cachedWords;
}

/** Masks target[offset, offset + length) in place: bytes up to a 4-byte boundary, words, then the tail. */
function maskInPlace(target: Uint8Array, offset: number, length: number, key: Uint8Array): void {
  const start = target.byteOffset + offset;
  const head = Math.min(length, (4 - (start & 3)) & 3);
  for (let index = 0; index < head; index += 1) target[offset + index] = (target[offset + index] as number) ^ (key[index & 3] as number);
  const words = (length - head) >>> 2;
  if (words > 0) {
    // The key as one word in the platform's byte order, rotated so that each word starts at key[head & 3].
    const b0 = key[head & 3] as number;
    const b1 = key[(head + 1) & 3] as number;
    const b2 = key[(head + 2) & 3] as number;
    const b3 = key[(head + 3) & 3] as number;
    const mask = littleEndian ? b0 | (b1 << 8) | (b2 << 16) | (b3 << 24) : (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
    const view = wordsOf(target.buffer);
    const first = (start + head) >>> 2;
    const end = first + words;
    let index = first;
    // Four words per turn: V8 does not unroll this loop itself, and it runs ~1.5x faster so.
    for (; index + 4 <= end; index += 4) {
      view[index] = (view[index] as number) ^ mask;
      view[index + 1] = (view[index + 1] as number) ^ mask;
      view[index + 2] = (view[index + 2] as number) ^ mask;
      view[index + 3] = (view[index + 3] as number) ^ mask;
    }
    for (; index < end; index += 1) view[index] = (view[index] as number) ^ mask;
  }
  for (let index = head + words * 4; index < length; index += 1) {
    target[offset + index] = (target[offset + index] as number) ^ (key[index & 3] as number);
  }
}
