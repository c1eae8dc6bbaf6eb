import { describe } from 'vitest';
import { accepts, binary, defineCases, echoBeforeFailure, fails, text } from './define-cases.js';
import { binaryFrame, frame, frameHeader, Opcode, pingFrame, splitAt, textFrame } from './frames.js';

// RFC 6455 §5.2: payload lengths in 7, 16 and 64 bits; §5.1: a client fails on a masked frame.

const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff));
const ascii = (length: number): string => 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(length / 36)).slice(0, length);

const sizes = [0, 1, 125, 126, 127, 65535, 65536, 65537, 1 << 20];

describe('framing: payload lengths (minimal forms)', () => {
  defineCases([
    ...sizes.map((size) => accepts(`text of ${size} bytes`, [textFrame(ascii(size))], [text(ascii(size))])),
    ...sizes.map((size) => accepts(`binary of ${size} bytes`, [binaryFrame(bytes(size))], [binary(bytes(size))])),
  ]);
});

describe('framing: a single frame larger than what is reserved up front (issue 12)', () => {
  // At most 1 MiB is reserved from a declared length; the buffer doubles as the bytes arrive.
  defineCases([
    accepts('binary of 5 MiB + 3 bytes in one frame', [binaryFrame(bytes(5 * 1024 * 1024 + 3))], [binary(bytes(5 * 1024 * 1024 + 3))]),
  ]);
});

describe('framing: non-minimal length encodings are accepted', () => {
  const forms: Array<[number, 16 | 64]> = [
    [0, 16],
    [5, 16],
    [125, 16],
    [0, 64],
    [5, 64],
    [125, 64],
    [126, 64],
    [65535, 64],
  ];
  defineCases([
    ...forms.map(([size, form]) =>
      accepts(`text of ${size} bytes in a ${form}-bit length`, [textFrame(ascii(size), { lengthForm: form })], [text(ascii(size))]),
    ),
    ...forms
      .slice(0, 4)
      .map(([size, form]) =>
        accepts(`binary of ${size} bytes in a ${form}-bit length`, [binaryFrame(bytes(size), { lengthForm: form })], [binary(bytes(size))]),
      ),
  ]);
});

describe('framing: 64-bit length with the most significant bit set fails (§5.2)', () => {
  const lengths = [1n << 63n, (1n << 63n) + 5n, (1n << 64n) - 1n];
  defineCases([
    ...lengths.map((length) =>
      fails(
        `binary declaring 0x${length.toString(16)} bytes`,
        [frameHeader({ opcode: Opcode.binary, declaredLength: length }, 0)],
        1002,
        'ERR_FRAME_LENGTH',
      ),
    ),
    fails(
      'text declaring 2^63 bytes, followed by some payload',
      [frame({ opcode: Opcode.text, payload: 'abc', declaredLength: 1n << 63n })],
      1002,
      'ERR_FRAME_LENGTH',
    ),
  ]);
});

describe('framing: masked frames from the server fail (§5.1)', () => {
  defineCases([
    fails('masked text', [textFrame('Hello', { mask: true })], 1002, 'ERR_MASKED_FRAME'),
    fails('masked binary', [binaryFrame(bytes(200), { mask: true })], 1002, 'ERR_MASKED_FRAME'),
    fails('masked empty binary', [binaryFrame('', { mask: true })], 1002, 'ERR_MASKED_FRAME'),
    fails('masked ping', [frame({ opcode: Opcode.ping, payload: 'p', mask: true })], 1002, 'ERR_MASKED_FRAME'),
    fails('masked close', [frame({ opcode: Opcode.close, payload: Buffer.of(3, 232), mask: true })], 1002, 'ERR_MASKED_FRAME'),
    fails('masked frame after a valid message', [textFrame('ok'), textFrame('no', { mask: true })], 1002, 'ERR_MASKED_FRAME', {
      messages: [text('ok')],
    }),
  ]);
});

describe('framing: frames split across TCP writes at every header byte', () => {
  const big = binaryFrame(bytes(65536));
  const medium = textFrame(ascii(300));
  defineCases([
    ...Array.from({ length: 10 }, (_, i) =>
      accepts(`64-bit frame split after byte ${i + 1}`, splitAt(big, [i + 1]), [binary(bytes(65536))]),
    ),
    ...Array.from({ length: 4 }, (_, i) => accepts(`16-bit frame split after byte ${i + 1}`, splitAt(medium, [i + 1]), [text(ascii(300))])),
    accepts('7-bit frame split after byte 1', splitAt(textFrame('Hello'), [1]), [text('Hello')]),
    accepts('frame written one byte at a time', splitAt(textFrame('Hi!'), [1, 2, 3, 4]), [text('Hi!')]),
    accepts('frame split inside the payload, many times', splitAt(big, [10, 100, 1000, 30000, 65000]), [binary(bytes(65536))]),
  ]);
});

describe('framing: several frames in one TCP write', () => {
  const many = Array.from({ length: 100 }, (_, i) => `message ${i}`);
  defineCases([
    accepts('100 text messages in one write', [Buffer.concat(many.map((m) => textFrame(m)))], many.map(text)),
    accepts(
      'text, binary, empty text and empty binary in one write',
      [Buffer.concat([textFrame('a'), binaryFrame(bytes(3)), textFrame(''), binaryFrame('')])],
      [text('a'), binary(bytes(3)), text(''), binary(Buffer.alloc(0))],
    ),
    accepts('a write ending in the middle of the second frame', splitAt(Buffer.concat([textFrame('first'), textFrame('second')]), [10]), [
      text('first'),
      text('second'),
    ]),
  ]);
});

describe('framing: a message before a frame with RSV2 is answered before the Close (issue 16)', () => {
  defineCases(
    echoBeforeFailure(
      'text, then a frame with RSV2, then a Ping',
      Buffer.concat([textFrame('Hello'), textFrame('x', { rsv2: true }), pingFrame()]),
      'Hello',
      'ERR_RESERVED_BITS',
    ),
  );
});
