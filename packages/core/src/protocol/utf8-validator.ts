/**
 * Incremental UTF-8 validation (RFC 3629 §4, as RFC 6455 §8.1 requires for text messages).
 * Fed the bytes of a text message piece by piece, it fails at the first byte that cannot be
 * part of valid UTF-8, even when a code point is split across frames or TCP reads.
 *
 * When the I/O layer provides a fast whole-buffer check (Node's `buffer.isUtf8`, simdutf), the
 * bulk of each piece is checked with it and only the bytes around piece boundaries go through
 * the byte-at-a-time automaton below.
 */
export class Utf8Validator {
  /** Continuation bytes still expected for the current code point. */
  private needed = 0;
  /** Allowed range of the next continuation byte (narrowed after E0, ED, F0, F4). */
  private lower = 0x80;
  private upper = 0xbf;
  private readonly isUtf8: ((data: Uint8Array) => boolean) | undefined;

  constructor(isUtf8?: (data: Uint8Array) => boolean) {
    this.isUtf8 = isUtf8;
  }

  /** Resets to the start of a new message. */
  reset(): void {
    this.needed = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  /** true when the bytes so far end on a code point boundary (the message may end here). */
  get complete(): boolean {
    return this.needed === 0;
  }

  /** Feeds the next bytes; false at the first invalid byte (the validator is then unusable). */
  update(bytes: Uint8Array): boolean {
    const length = bytes.length;
    let index = 0;
    // Finish a code point left open by the previous piece, byte by byte.
    while (this.needed > 0 && index < length) {
      if (!this.step(bytes[index] as number)) return false;
      index += 1;
    }
    if (index === length) return true;
    const fast = this.isUtf8;
    if (fast !== undefined && length - index >= 64) {
      const cut = completePrefixEnd(bytes, index, length);
      if (!fast(index === 0 && cut === length ? bytes : bytes.subarray(index, cut))) return false;
      index = cut;
    }
    for (; index < length; index += 1) {
      const byte = bytes[index] as number;
      if (byte < 0x80 && this.needed === 0) continue;
      if (!this.step(byte)) return false;
    }
    return true;
  }

  private step(byte: number): boolean {
    if (this.needed === 0) {
      if (byte < 0x80) return true;
      if (byte >= 0xc2 && byte <= 0xdf) return this.expect(1, 0x80, 0xbf);
      if (byte === 0xe0) return this.expect(2, 0xa0, 0xbf); // no overlong 3-byte forms
      if (byte === 0xed) return this.expect(2, 0x80, 0x9f); // no UTF-16 surrogates
      if (byte >= 0xe1 && byte <= 0xef) return this.expect(2, 0x80, 0xbf);
      if (byte === 0xf0) return this.expect(3, 0x90, 0xbf); // no overlong 4-byte forms
      if (byte >= 0xf1 && byte <= 0xf3) return this.expect(3, 0x80, 0xbf);
      if (byte === 0xf4) return this.expect(3, 0x80, 0x8f); // nothing above U+10FFFF
      return false; // 80-C1 as a lead byte, F5-FF
    }
    if (byte < this.lower || byte > this.upper) return false;
    this.needed -= 1;
    this.lower = 0x80;
    this.upper = 0xbf;
    return true;
  }

  private expect(needed: number, lower: number, upper: number): boolean {
    this.needed = needed;
    this.lower = lower;
    this.upper = upper;
    return true;
  }
}

/**
 * End of the longest prefix of bytes[start, end) that does not stop inside a code point: a
 * trailing lead byte whose continuation bytes have not all arrived is left for the automaton.
 */
function completePrefixEnd(bytes: Uint8Array, start: number, end: number): number {
  for (let back = 1; back <= 3 && end - back >= start; back += 1) {
    const byte = bytes[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for its lead
    if (byte < 0x80) return end;
    const sequenceLength = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return sequenceLength > back ? end - back : end;
  }
  return end;
}

/** Whole-buffer validation with the incremental automaton. */
export function isValidUtf8(bytes: Uint8Array, isUtf8?: (data: Uint8Array) => boolean): boolean {
  const validator = new Utf8Validator(isUtf8);
  return validator.update(bytes) && validator.complete;
}
