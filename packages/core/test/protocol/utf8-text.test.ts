import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../../src/protocol/utf8-text.js';
import { hex } from './engine-fixtures.js';

describe('encodeUtf8 / decodeUtf8', () => {
  it('encodes 1-, 2-, 3- and 4-byte code points', () => {
    expect(encodeUtf8('A\u00e9\u20ac\u{1f600}')).toEqual(hex('41 c3 a9 e2 82 ac f0 9f 98 80'));
    expect(encodeUtf8('\u007f\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}')).toEqual(
      hex('7f c2 80 df bf e0 a0 80 ef bf bf f0 90 80 80 f4 8f bf bf'),
    );
    expect(encodeUtf8('')).toEqual(new Uint8Array(0));
  });

  it('encodes a lone surrogate as U+FFFD, as TextEncoder does', () => {
    for (const text of ['\ud800', 'a\udc00b', '\ud83d', '\ude00\ud83d']) expect(encodeUtf8(text)).toEqual(new TextEncoder().encode(text));
  });

  it('decodes the boundaries of each length back', () => {
    expect(decodeUtf8(hex('7f c2 80 df bf e0 a0 80 ef bf bf f0 90 80 80 f4 8f bf bf'))).toBe(
      '\u007f\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}',
    );
  });

  it('agrees with TextEncoder and TextDecoder for random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (binary, graphemes) => {
        for (const text of [binary, graphemes]) {
          const expected = new TextEncoder().encode(text);
          expect(encodeUtf8(text)).toEqual(expected);
          expect(decodeUtf8(expected)).toBe(new TextDecoder().decode(expected));
        }
      }),
      { numRuns: 300 },
    );
  });
});
