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

/** Masks target[offset, offset + length) in place: bytes up to a 4-byte boundary, words, then the tail. */
function maskInPlace(target: Uint8Array, offset: number, length: number, key: Uint8Array): void {
  const head = Math.min(length, (4 - ((target.byteOffset + offset) & 3)) & 3);
  for (let index = 0; index < head; index += 1) target[offset + index] = (target[offset + index] as number) ^ (key[index & 3] as number);
  const words = (length - head) >>> 2;
  if (words > 0) {
    // Int32, not Uint32: loads stay small integers in V8's optimised code (no heap numbers).
    const view = new Int32Array(target.buffer, target.byteOffset + offset + head, words);
    // The key as one word in the platform's byte order, rotated so that word i starts at key[(head + 4i) & 3].
    const rotated = new Uint8Array(4);
    for (let index = 0; index < 4; index += 1) rotated[index] = key[(head + index) & 3] as number;
    const mask = new Int32Array(rotated.buffer)[0] as number;
    for (let index = 0; index < words; index += 1) view[index] = (view[index] as number) ^ mask;
  }
  for (let index = head + words * 4; index < length; index += 1) {
    target[offset + index] = (target[offset + index] as number) ^ (key[index & 3] as number);
  }
}
