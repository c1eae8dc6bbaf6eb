import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Validator, isValidUtf8 } from '../../src/protocol/utf8-validator.js';
import { chunkAt, concat, hex, utf8 } from './engine-fixtures.js';

const fastPaths: Array<[string, ((data: Uint8Array) => boolean) | undefined]> = [
  ['own automaton', undefined],
  ['node:buffer isUtf8 fast path', isUtf8],
];

/** Index of the piece in which validation fails, or -1 when all pieces pass. */
function failingPiece(pieces: readonly Uint8Array[], fast?: (data: Uint8Array) => boolean): number {
  const validator = new Utf8Validator(fast);
  for (let index = 0; index < pieces.length; index += 1) if (!validator.update(pieces[index] as Uint8Array)) return index;
  return -1;
}

/** The reference: a fatal streaming TextDecoder throws in the piece that holds the first bad byte. */
function referenceFailingPiece(pieces: readonly Uint8Array[]): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let index = 0; index < pieces.length; index += 1) {
    try {
      decoder.decode(pieces[index], { stream: true });
    } catch {
      return index;
    }
  }
  return -1;
}

// 64 ASCII bytes: long enough that the fast path is taken for the rest of the piece.
const pad = utf8('x'.repeat(64));

describe.each(fastPaths)('Utf8Validator with %s', (_name, fast) => {
  const valid: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['ASCII', utf8('Hello')],
    ['2-, 3- and 4-byte code points', hex('c3 a9 e2 82 ac f0 9f 98 80')],
    ['boundaries', hex('7f c2 80 df bf e0 a0 80 ef bf bf f0 90 80 80 f4 8f bf bf ed 9f bf ee 80 80')],
    ['long mixed text', utf8(`${'κόσμε '.repeat(40)}\u{1f600}`)],
  ];
  const invalid: Array<[string, Uint8Array]> = [
    ['lone continuation', hex('80')],
    ['C0 overlong', hex('c0 af')],
    ['C1 overlong', hex('c1 bf')],
    ['E0 overlong', hex('e0 80 af')],
    ['F0 overlong', hex('f0 80 80 af')],
    ['UTF-16 surrogate ED A0 80', hex('ed a0 80')],
    ['surrogate ED BF BF', hex('ed bf bf')],
    ['above U+10FFFF (F4 90)', hex('f4 90 80 80')],
    ['F5 lead', hex('f5 80 80 80')],
    ['FF', hex('ff')],
    ['truncated 2-byte then ASCII', hex('c3 41')],
    ['truncated 3-byte then ASCII', hex('e2 82 41')],
    ['the RFC 6455 autobahn 6.3.1 sequence', hex('ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64')],
  ];

  it.each(valid)('accepts %s whole, and split at every byte boundary', (_label, bytes) => {
    expect(isValidUtf8(bytes, fast)).toBe(true);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const validator = new Utf8Validator(fast);
      expect(validator.update(bytes.subarray(0, cut)) && validator.update(bytes.subarray(cut)) && validator.complete, `cut ${cut}`).toBe(
        true,
      );
    }
    // Behind 64 ASCII bytes, so that the fast path sees the sequence.
    expect(isValidUtf8(concat(pad, bytes, pad), fast)).toBe(true);
  });

  it.each(invalid)('rejects %s, in the piece that holds the bad byte', (_label, bytes) => {
    expect(isValidUtf8(bytes, fast)).toBe(false);
    expect(isValidUtf8(concat(pad, bytes, pad), fast)).toBe(false);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const pieces = [bytes.subarray(0, cut), bytes.subarray(cut)];
      expect(failingPiece(pieces, fast), `cut ${cut}`).toBe(referenceFailingPiece(pieces));
    }
  });

  it('fails mid-message at the first bad byte, before the message ends', () => {
    const validator = new Utf8Validator(fast);
    expect(validator.update(concat(pad, utf8('ok'), pad))).toBe(true);
    // The bad byte sits in the middle of a piece whose tail is valid again.
    expect(validator.update(concat(pad, hex('ff'), pad))).toBe(false);
  });

  it('reports incomplete while inside a split code point, complete after it', () => {
    const validator = new Utf8Validator(fast);
    expect(validator.update(concat(pad, hex('f0 9f')))).toBe(true);
    expect(validator.complete).toBe(false);
    expect(validator.update(hex('98'))).toBe(true);
    expect(validator.complete).toBe(false);
    expect(validator.update(concat(hex('80'), pad))).toBe(true);
    expect(validator.complete).toBe(true);
  });

  it('rejects an invalid continuation at a piece boundary (E0 | 80)', () => {
    const validator = new Utf8Validator(fast);
    expect(validator.update(concat(pad, hex('e0')))).toBe(true);
    expect(validator.update(concat(hex('80'), pad))).toBe(false);
  });

  it('reset() forgets an open code point', () => {
    const validator = new Utf8Validator(fast);
    expect(validator.update(hex('e2 82'))).toBe(true);
    validator.reset();
    expect(validator.complete).toBe(true);
    expect(validator.update(utf8('plain'))).toBe(true);
    expect(validator.complete).toBe(true);
  });
});

/** Random bytes that are mostly UTF-8, with the odd corruption: the cases that matter. */
const utf8ish = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 }))
  .map(([text, corruptions]) => {
    const bytes = utf8(text);
    for (const [at, value] of corruptions) if (bytes.length > 0) bytes[at % bytes.length] = value;
    return bytes;
  });

describe('Utf8Validator properties', () => {
  it('with and without the fast path, agrees with a fatal streaming TextDecoder on the failing piece and on completeness', () => {
    fc.assert(
      fc.property(fc.oneof(utf8ish, fc.uint8Array({ maxLength: 400 })), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        const pieces = chunkAt(bytes, cuts);
        const expected = referenceFailingPiece(pieces);
        expect(failingPiece(pieces, undefined)).toBe(expected);
        expect(failingPiece(pieces, isUtf8)).toBe(expected);
        const whole = isUtf8(bytes);
        expect(isValidUtf8(bytes)).toBe(whole);
        expect(isValidUtf8(bytes, isUtf8)).toBe(whole);
      }),
      { numRuns: 500 },
    );
  });
});
