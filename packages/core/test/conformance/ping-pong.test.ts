import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from './conformance-case.js';
import { accepts, defineCases, factory, fails, text } from './define-cases.js';
import { withScripted } from './open-scripted.js';
import { continuationFrame, frame, Opcode, pingFrame, pongFrame, splitAt, textFrame } from './frames.js';

// RFC 6455 §5.5.2/§5.5.3: a Ping is answered by a Pong with the same payload; an unsolicited
// Pong is accepted; §5.5: control payloads are at most 125 bytes; §5.4: control frames may be
// injected in the middle of a fragmented message.

const payload = (length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + length) & 0xff));

const pingCase = (length: number): ConformanceCase => ({
  name: `ping with ${length} payload bytes is answered with the same payload`,
  writes: [pingFrame(payload(length))],
  expect: { outcome: 'accept', pongs: [payload(length)], pingEvents: [payload(length)] },
});

// The boundaries, not every length: empty, one byte, and the two longest a control frame may carry
// in its 7-bit length (§5.2, §5.5); 126, the first that needs the 16-bit length, fails below.
describe('ping: payload lengths at the boundaries 0, 1, 124 and 125', () => {
  defineCases([0, 1, 124, 125].map(pingCase));
});

describe('ping: more shapes', () => {
  const all = Buffer.from(Array.from({ length: 125 }, (_, i) => (i * 2 + 131) & 0xff));
  defineCases([
    accepts('ping carrying non-UTF-8 bytes', [pingFrame(all)], [], { pongs: [all] }),
    accepts(
      'ten pings in one write are answered in order',
      [Buffer.concat(Array.from({ length: 10 }, (_, i) => pingFrame(`ping ${i}`)))],
      [],
      {
        pongs: Array.from({ length: 10 }, (_, i) => Buffer.from(`ping ${i}`)),
      },
    ),
    accepts('ping split across TCP writes', splitAt(pingFrame(payload(100)), [1, 2, 50]), [], { pongs: [payload(100)] }),
    accepts('ping between two messages', [textFrame('a'), pingFrame('x'), textFrame('b')], [text('a'), text('b')], {
      pongs: [Buffer.from('x')],
    }),
  ]);
});

describe('ping: interleaved in a fragmented message', () => {
  defineCases([
    accepts(
      'ping between the two fragments of a text message',
      [textFrame('Hel', { fin: false }), pingFrame('x'), continuationFrame('lo')],
      [text('Hello')],
      {
        pongs: [Buffer.from('x')],
      },
    ),
    accepts(
      'ping between every fragment of a 10-fragment message',
      Array.from({ length: 10 }, (_, i) => [
        i === 0 ? textFrame('0', { fin: false }) : continuationFrame(String(i), { fin: i === 9 }),
        ...(i < 9 ? [pingFrame(`p${i}`)] : []),
      ]).flat(),
      [text('0123456789')],
      { pongs: Array.from({ length: 9 }, (_, i) => Buffer.from(`p${i}`)) },
    ),
    accepts(
      'ping and pong between fragments in one write',
      [
        Buffer.concat([
          textFrame('a', { fin: false }),
          pongFrame('u'),
          pingFrame('y'),
          continuationFrame('b', { fin: false }),
          pingFrame('z'),
          continuationFrame('c'),
        ]),
      ],
      [text('abc')],
      { pongs: [Buffer.from('y'), Buffer.from('z')] },
    ),
    accepts(
      'ping with 125 bytes inside a fragmented binary message',
      [frame({ opcode: Opcode.binary, payload: 'ab', fin: false }), pingFrame(payload(125)), continuationFrame('cd')],
      [{ binary: Buffer.from('abcd') }],
      {
        pongs: [payload(125)],
      },
    ),
  ]);
});

describe('pong: unsolicited Pongs are accepted (§5.5.3)', () => {
  defineCases([
    ...[0, 1, 125].map((length): ConformanceCase => ({
      name: `unsolicited pong with ${length} bytes`,
      writes: [pongFrame(payload(length))],
      expect: { outcome: 'accept', pongEvents: [payload(length)] },
    })),
    {
      name: 'three unsolicited pongs, then a message',
      writes: [pongFrame('1'), pongFrame('2'), pongFrame('3'), textFrame('t')],
      expect: { outcome: 'accept', messages: [text('t')], pongEvents: [Buffer.from('1'), Buffer.from('2'), Buffer.from('3')] },
    },
  ]);
});

describe('control frames longer than 125 bytes fail (§5.5)', () => {
  defineCases([
    fails('ping with 126 bytes', [pingFrame(payload(126))], 1002, 'ERR_CONTROL_FRAME_TOO_LONG'),
    fails('ping with 65536 bytes', [pingFrame(payload(65536))], 1002, 'ERR_CONTROL_FRAME_TOO_LONG'),
    fails(
      'ping declaring 126 bytes, payload not sent',
      [frame({ opcode: Opcode.ping, declaredLength: 126n })],
      1002,
      'ERR_CONTROL_FRAME_TOO_LONG',
    ),
    fails('pong with 126 bytes', [pongFrame(payload(126))], 1002, 'ERR_CONTROL_FRAME_TOO_LONG'),
    fails(
      'close with 126 bytes',
      [frame({ opcode: Opcode.close, payload: Buffer.concat([Buffer.of(3, 232), Buffer.alloc(124, 97)]) })],
      1002,
      'ERR_CONTROL_FRAME_TOO_LONG',
    ),
    fails('ping with 126 bytes after an answered ping', [pingFrame('ok'), pingFrame(payload(126))], 1002, 'ERR_CONTROL_FRAME_TOO_LONG', {
      pongs: [Buffer.from('ok')],
    }),
  ]);
});

describe('ping: a flood from a server that never reads keeps Pong memory bounded (§5.5.3, issue 12)', () => {
  it('32 MiB of Pings, none of the Pongs read: the client buffers under 2 MiB and still delivers the message after them', async () => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      connection.socket.pause();
      const burst = Buffer.concat(Array.from({ length: 8192 }, (_, i) => pingFrame(payload(125).fill(i & 0xff, 0, 1))));
      for (let written = 0; written < 32 * 1024 * 1024; written += burst.length) await connection.write(burst);
      await connection.write(textFrame('after the flood'));
      await client.received(1);
      expect(client.messages).toEqual([{ kind: 'text', data: 'after the flood' }]);
      // Without the bound: every Pong (about 33 MiB, less what the kernel holds) waits in the client.
      expect(client.bufferedAmount()).toBeLessThan(2 * 1024 * 1024);
    });
  });
});
