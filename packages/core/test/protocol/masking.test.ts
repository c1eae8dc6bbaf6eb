import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMask } from '../../src/protocol/masking.js';
import { RFC_MASK_KEY, ascii, hex, pattern } from './engine-fixtures.js';

/** The RFC 6455 §5.3 definition, byte by byte: j = i MOD 4, transformed[i] = original[i] XOR key[j]. */
function reference(source: Uint8Array, key: Uint8Array): Uint8Array {
  return source.map((byte, index) => byte ^ key[index % 4]!);
}

describe('applyMask (RFC 6455 §5.3)', () => {
  it('masks "Hello" with 37 fa 21 3d as in the §5.7 example', () => {
    const target = new Uint8Array(5);
    applyMask(ascii('Hello'), target, 0, RFC_MASK_KEY);
    expect(target).toEqual(hex('7f 9f 4d 51 58'));
  });

  it('writes at targetOffset and leaves the rest of the target alone', () => {
    const target = new Uint8Array(9).fill(0xee);
    applyMask(ascii('Hello'), target, 2, RFC_MASK_KEY);
    expect(target).toEqual(hex('ee ee 7f 9f 4d 51 58 ee ee'));
  });

  it('masks in place and copies, below and above the word-at-a-time threshold', () => {
    for (const length of [0, 1, 3, 4, 5, 63, 64, 65, 67, 1000, 65_536]) {
      const source = pattern(length, length);
      const expected = reference(source, RFC_MASK_KEY);
      const copy = new Uint8Array(length);
      applyMask(source, copy, 0, RFC_MASK_KEY);
      expect(copy, `copy ${length}`).toEqual(expected);
      expect(source, `source untouched ${length}`).toEqual(pattern(length, length));
      applyMask(source, source, 0, RFC_MASK_KEY);
      expect(source, `in place ${length}`).toEqual(expected);
    }
  });

  it('round-trips for random keys, lengths, target offsets and unaligned byteOffsets', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.uint8Array({ maxLength: 700 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        (key, data, sourceShift, targetShift, targetOffset) => {
          const expected = reference(data, key);
          // Views at odd byteOffsets into larger buffers exercise the unaligned head and tail.
          const source = new Uint8Array(data.length + sourceShift).subarray(sourceShift);
          source.set(data);
          const targetBuffer = new Uint8Array(data.length + targetShift + targetOffset + 3).fill(0xaa);
          const target = targetBuffer.subarray(targetShift);
          applyMask(source, target, targetOffset, key);
          expect(target.subarray(targetOffset, targetOffset + data.length)).toEqual(expected);
          expect(source).toEqual(data);
          // Bytes outside the written range are untouched.
          expect(targetBuffer.subarray(0, targetShift + targetOffset).every((byte) => byte === 0xaa)).toBe(true);
          expect(targetBuffer.subarray(targetShift + targetOffset + data.length).every((byte) => byte === 0xaa)).toBe(true);
          // In place on the unaligned view, then again: back to the original.
          applyMask(source, source, 0, key);
          expect(source).toEqual(expected);
          applyMask(source, source, 0, key);
          expect(source).toEqual(data);
        },
      ),
      { numRuns: 400 },
    );
  });
});
