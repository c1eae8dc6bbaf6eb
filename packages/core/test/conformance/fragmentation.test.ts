import { describe } from 'vitest';
import { accepts, binary, defineCases, echoBeforeFailure, fails, text } from './define-cases.js';
import { binaryFrame, closeFrame, continuationFrame, frame, fragmented, Opcode, pingFrame, pongFrame, textFrame } from './frames.js';

// RFC 6455 §5.4: a message is one frame with FIN, or a first frame without FIN, continuations
// (opcode 0), and a last continuation with FIN. Control frames may not be fragmented; a
// continuation without a start, or a new data frame inside a message, fails the connection.

const bytes = (length: number, seed = 1): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 13 + seed) & 0xff));
const ascii = (length: number): string => 'The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(length / 45)).slice(0, length);

/** Frames batched into writes of about `size` bytes, so big cases do not need one write per frame. */
const batched = (frames: readonly Buffer[], size: number): Buffer[] => {
  const writes: Buffer[] = [];
  let current: Buffer[] = [];
  let length = 0;
  for (const f of frames) {
    current.push(f);
    length += f.length;
    if (length >= size) {
      writes.push(Buffer.concat(current));
      current = [];
      length = 0;
    }
  }
  if (current.length > 0) writes.push(Buffer.concat(current));
  return writes;
};

describe('fragmentation: valid fragmented messages', () => {
  defineCases([
    ...[2, 3, 10, 100, 1000].map((count) =>
      accepts(`text in ${count} fragments`, fragmented(Opcode.text, ascii(2000), count), [text(ascii(2000))]),
    ),
    ...[2, 3, 10, 100, 1000].map((count) =>
      accepts(`binary in ${count} fragments`, fragmented(Opcode.binary, bytes(2000), count), [binary(bytes(2000))]),
    ),
    accepts('text in 100 fragments in one write', [Buffer.concat(fragmented(Opcode.text, ascii(500), 100))], [text(ascii(500))]),
    accepts('an empty first fragment', [textFrame('', { fin: false }), continuationFrame('abc')], [text('abc')]),
    accepts(
      'an empty middle fragment',
      [textFrame('ab', { fin: false }), continuationFrame('', { fin: false }), continuationFrame('c')],
      [text('abc')],
    ),
    accepts('an empty last fragment', [binaryFrame('ab', { fin: false }), continuationFrame('')], [binary(Buffer.from('ab'))]),
    accepts(
      'an empty message in three empty fragments',
      [textFrame('', { fin: false }), continuationFrame('', { fin: false }), continuationFrame('')],
      [text('')],
    ),
    accepts('an empty binary message in 50 empty fragments', fragmented(Opcode.binary, '', 50), [binary(Buffer.alloc(0))]),
    accepts(
      'fragmented text, then a single-frame binary, then fragmented binary',
      [...fragmented(Opcode.text, 'one', 3), binaryFrame(bytes(4)), ...fragmented(Opcode.binary, bytes(9), 2)],
      [text('one'), binary(bytes(4)), binary(bytes(9))],
    ),
    accepts(
      'fragments of 16-bit and 64-bit lengths mixed',
      [binaryFrame(bytes(10), { fin: false }), continuationFrame(bytes(70000, 2), { fin: false }), continuationFrame(bytes(300, 3))],
      [binary(Buffer.concat([bytes(10), bytes(70000, 2), bytes(300, 3)]))],
    ),
    accepts('a Close after a fragmented message', [...fragmented(Opcode.text, 'done', 2)], [text('done')]),
    accepts(
      'a 4 MiB message in 65,536 fragments of 64 bytes',
      batched(fragmented(Opcode.binary, bytes(4 * 1024 * 1024, 5), 65536), 1 << 20),
      [binary(bytes(4 * 1024 * 1024, 5))],
    ),
    accepts(
      'a 64 KiB message in 65,536 fragments of 1 byte (issue 12)',
      batched(fragmented(Opcode.binary, bytes(65536, 6), 65536), 1 << 16),
      [binary(bytes(65536, 6))],
    ),
    accepts('a 16 MiB message in 1 MiB frames', fragmented(Opcode.binary, bytes(16 * 1024 * 1024, 9), 16), [
      binary(bytes(16 * 1024 * 1024, 9)),
    ]),
    accepts('a 1 MiB text message in 1,024 fragments', batched(fragmented(Opcode.text, ascii(1 << 20), 1024), 1 << 18), [
      text(ascii(1 << 20)),
    ]),
  ]);
});

describe('fragmentation: a continuation without a started message fails', () => {
  defineCases([
    fails('a lone final continuation', [continuationFrame('abc')], 1002, 'ERR_UNEXPECTED_CONTINUATION'),
    fails('a lone non-final continuation', [continuationFrame('abc', { fin: false })], 1002, 'ERR_UNEXPECTED_CONTINUATION'),
    fails('an empty continuation', [continuationFrame('')], 1002, 'ERR_UNEXPECTED_CONTINUATION'),
    fails('a continuation after a complete message', [textFrame('whole'), continuationFrame('more')], 1002, 'ERR_UNEXPECTED_CONTINUATION', {
      messages: [text('whole')],
    }),
    fails(
      'a continuation after a completed fragmented message',
      [...fragmented(Opcode.binary, bytes(4), 2), continuationFrame('x')],
      1002,
      'ERR_UNEXPECTED_CONTINUATION',
      {
        messages: [binary(bytes(4))],
      },
    ),
  ]);
});

describe('fragmentation: a new data frame inside a fragmented message fails', () => {
  defineCases([
    fails('text inside text', [textFrame('a', { fin: false }), textFrame('b')], 1002, 'ERR_EXPECTED_CONTINUATION'),
    fails('binary inside text', [textFrame('a', { fin: false }), binaryFrame('b')], 1002, 'ERR_EXPECTED_CONTINUATION'),
    fails('text inside binary', [binaryFrame('a', { fin: false }), textFrame('b')], 1002, 'ERR_EXPECTED_CONTINUATION'),
    fails(
      'non-final binary inside binary',
      [binaryFrame('a', { fin: false }), binaryFrame('b', { fin: false })],
      1002,
      'ERR_EXPECTED_CONTINUATION',
    ),
    fails(
      'text after a continuation and a ping',
      [textFrame('a', { fin: false }), continuationFrame('b', { fin: false }), pingFrame('p'), textFrame('c')],
      1002,
      'ERR_EXPECTED_CONTINUATION',
      {
        pongs: [Buffer.from('p')],
      },
    ),
  ]);
});

describe('fragmentation: fragmented control frames fail (§5.5)', () => {
  defineCases([
    fails('a ping without FIN', [pingFrame('a', { fin: false })], 1002, 'ERR_FRAGMENTED_CONTROL_FRAME'),
    fails(
      'a ping without FIN, then its continuation',
      [pingFrame('a', { fin: false }), continuationFrame('b')],
      1002,
      'ERR_FRAGMENTED_CONTROL_FRAME',
    ),
    fails('a pong without FIN', [pongFrame('a', { fin: false })], 1002, 'ERR_FRAGMENTED_CONTROL_FRAME'),
    fails('a close without FIN', [closeFrame(1000, '', { fin: false })], 1002, 'ERR_FRAGMENTED_CONTROL_FRAME'),
    fails(
      'a ping without FIN inside a fragmented message',
      [textFrame('a', { fin: false }), pingFrame('p', { fin: false }), continuationFrame('b')],
      1002,
      'ERR_FRAGMENTED_CONTROL_FRAME',
    ),
    fails('an empty ping without FIN', [frame({ opcode: Opcode.ping, fin: false })], 1002, 'ERR_FRAGMENTED_CONTROL_FRAME'),
  ]);
});

describe('fragmentation: a message before a stray continuation is answered before the Close (issue 16)', () => {
  defineCases(
    echoBeforeFailure(
      'two-fragment text, then a stray non-final continuation, then text',
      Buffer.concat([...fragmented(Opcode.text, 'Hello', 2), continuationFrame('x', { fin: false }), textFrame('y')]),
      'Hello',
      'ERR_UNEXPECTED_CONTINUATION',
    ),
  );
});
