import { describe } from 'vitest';
import { accepts, binary, defineCases, fails, text } from './define-cases.js';
import { binaryFrame, continuationFrame, frame, Opcode, splitAt, textFrame } from './frames.js';

// RFC 6455 §5.6 and §8.1: text messages are UTF-8 (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF); invalid data fails the connection with 1007. A code point may be
// split across frames and across reads; a failure is reported at the first bad fragment.

const hex = (value: string): Buffer => Buffer.from(value.replace(/ /g, ''), 'hex');

const valid: Array<[string, string]> = [
  ['ASCII', 'Hello, World'],
  ['U+0000', '\u0000'],
  ['U+007F (last 1-byte)', '\u007f'],
  ['U+0080 (first 2-byte)', '\u0080'],
  ['U+07FF (last 2-byte)', '\u07ff'],
  ['U+0800 (first 3-byte)', '\u0800'],
  ['U+D7FF (before the surrogates)', '\ud7ff'],
  ['U+E000 (after the surrogates)', '\ue000'],
  ['U+FEFF byte order mark', '\ufeff'],
  ['U+FFFD replacement character', '\ufffd'],
  ['U+FFFF (last 3-byte)', '\uffff'],
  ['U+10000 (first 4-byte)', '\u{10000}'],
  ['U+10FFFF (last code point)', '\u{10ffff}'],
  ['Greek with accents', 'κόσμε'],
  ['Euro sign', '€'],
  ['emoji', 'hello 😀 world 🎉'],
  ['musical symbol G clef', '𝄞'],
  ['mixed scripts', 'Ünïcödé — 日本語 — עברית — 🙂'],
];

const invalid: Array<[string, string]> = [
  ['lone continuation byte 0x80', '80'],
  ['lone continuation byte 0xBF', 'bf'],
  ['two continuation bytes', '80 bf'],
  ['0xFE', 'fe'],
  ['0xFF', 'ff'],
  ['0xFE 0xFE 0xFF 0xFF', 'fefeffff'],
  ['overlong NUL in 2 bytes (C0 80)', 'c0 80'],
  ['overlong "/" in 2 bytes (C0 AF)', 'c0 af'],
  ['overlong U+007F in 2 bytes (C1 BF)', 'c1 bf'],
  ['overlong NUL in 3 bytes (E0 80 80)', 'e0 80 80'],
  ['overlong U+07FF in 3 bytes (E0 9F BF)', 'e0 9f bf'],
  ['overlong NUL in 4 bytes (F0 80 80 80)', 'f0 80 80 80'],
  ['overlong U+FFFF in 4 bytes (F0 8F BF BF)', 'f0 8f bf bf'],
  ['overlong "/" in 5 bytes', 'f8 80 80 80 af'],
  ['surrogate U+D800', 'ed a0 80'],
  ['surrogate U+DB7F', 'ed ad bf'],
  ['surrogate U+DB80', 'ed ae 80'],
  ['surrogate U+DBFF', 'ed af bf'],
  ['surrogate U+DC00', 'ed b0 80'],
  ['surrogate U+DF80', 'ed be 80'],
  ['surrogate U+DFFF', 'ed bf bf'],
  ['surrogate pair U+D800 U+DC00 (CESU-8)', 'ed a0 80 ed b0 80'],
  ['U+110000 (F4 90 80 80)', 'f4 90 80 80'],
  ['lead byte F5', 'f5 80 80 80'],
  ['lead byte F7', 'f7 bf bf bf'],
  ['5-byte sequence', 'f8 88 80 80 80'],
  ['6-byte sequence', 'fc 84 80 80 80 80'],
  ['2-byte lead followed by ASCII', 'c2 41'],
  ['3-byte lead followed by ASCII', 'e2 82 41'],
  ['4-byte lead with only 2 continuations then ASCII', 'f0 9d 84 41'],
  ['message ends after a 2-byte lead', 'c2'],
  ['message ends inside a 3-byte sequence', 'e2 82'],
  ['message ends inside a 4-byte sequence', 'f0 9d 84'],
  ['invalid byte between valid text', '616263 ff 646566'],
  ['valid 4-byte then a surrogate', 'f0 9f 98 80 ed a0 80'],
];

describe('UTF-8: valid text is delivered', () => {
  defineCases([
    ...valid.map(([name, value]) => accepts(`valid: ${name}`, [textFrame(value)], [text(value)])),
    accepts(
      'invalid UTF-8 in a binary message is not checked',
      [binaryFrame(hex('ff fe c0 80 ed a0 80'))],
      [binary(hex('ff fe c0 80 ed a0 80'))],
    ),
  ]);
});

describe('UTF-8: invalid text fails with 1007', () => {
  defineCases(
    invalid.map(([name, bytes]) =>
      fails(`invalid: ${name}`, [frame({ opcode: Opcode.text, payload: hex(bytes) })], 1007, 'ERR_INVALID_UTF8'),
    ),
  );
});

describe('UTF-8: a code point split across frames', () => {
  const codePoints: Array<[string, string]> = [
    ['2-byte é', 'é'],
    ['3-byte €', '€'],
    ['4-byte 😀', '😀'],
  ];
  defineCases(
    codePoints.flatMap(([name, char]) => {
      const encoded = Buffer.from(`a${char}b`);
      return Array.from({ length: Buffer.byteLength(char) - 1 }, (_, i) => {
        const cut = 2 + i;
        return accepts(
          `${name} split after byte ${i + 1} of ${Buffer.byteLength(char)} across two fragments`,
          [frame({ opcode: Opcode.text, payload: encoded.subarray(0, cut), fin: false }), continuationFrame(encoded.subarray(cut))],
          [text(`a${char}b`)],
        );
      });
    }),
  );
  const emoji = Buffer.from('😀');
  defineCases([
    accepts(
      '4-byte 😀 in four 1-byte fragments',
      [
        frame({ opcode: Opcode.text, payload: emoji.subarray(0, 1), fin: false }),
        ...[1, 2, 3].map((i) => continuationFrame(emoji.subarray(i, i + 1), { fin: i === 3 })),
      ],
      [text('😀')],
    ),
    accepts(
      '4-byte 😀 split with empty fragments in between',
      [
        frame({ opcode: Opcode.text, payload: emoji.subarray(0, 2), fin: false }),
        continuationFrame('', { fin: false }),
        continuationFrame(emoji.subarray(2)),
      ],
      [text('😀')],
    ),
  ]);
});

describe('UTF-8: a code point split across TCP writes inside one frame', () => {
  const value = 'x😀y€zé';
  const encoded = textFrame(value);
  // Header is 2 bytes: x at 2, 😀 at 3..6, y at 7, € at 8..10, z at 11, é at 12..13.
  defineCases(
    [3, 4, 5, 6, 8, 9, 10, 12, 13].map((offset) =>
      accepts(`split at byte ${offset} of the frame`, splitAt(encoded, [offset + 1]), [text(value)]),
    ),
  );
  defineCases([
    accepts(
      'written one byte at a time',
      splitAt(
        encoded,
        Array.from({ length: encoded.length - 1 }, (_, i) => i + 1),
      ),
      [text(value)],
    ),
  ]);
});

describe('UTF-8: invalid data in a fragmented message fails at that fragment', () => {
  // The final fragment is never sent: the client must fail on the bad fragment itself.
  const open = (payload: Buffer | string): Buffer => frame({ opcode: Opcode.text, payload, fin: false });
  const more = (payload: Buffer | string): Buffer => continuationFrame(payload, { fin: false });
  defineCases([
    fails('0xFF in the first fragment', [open(hex('41 ff'))], 1007, 'ERR_INVALID_UTF8'),
    fails('0xFF in the second fragment', [open('hello '), more(hex('ff'))], 1007, 'ERR_INVALID_UTF8'),
    fails('an overlong in the third fragment', [open('a'), more('b'), more(hex('c0 80'))], 1007, 'ERR_INVALID_UTF8'),
    fails('a surrogate split across fragments', [open(hex('61 ed')), more(hex('a0 80'))], 1007, 'ERR_INVALID_UTF8'),
    fails('a 4-byte lead completed by ASCII in the next fragment', [open(hex('f0 9f')), more('abc')], 1007, 'ERR_INVALID_UTF8'),
    fails('a code point above U+10FFFF split across fragments', [open(hex('f4')), more(hex('90 80 80'))], 1007, 'ERR_INVALID_UTF8'),
    fails('a final fragment ending inside a code point', [open('ok'), continuationFrame(hex('e2 82'))], 1007, 'ERR_INVALID_UTF8'),
    fails('invalid fragment after a valid message', [textFrame('first'), open('sec'), more(hex('ed bf bf'))], 1007, 'ERR_INVALID_UTF8', {
      messages: [text('first')],
    }),
  ]);
});
