import { describe, expect, it } from 'vitest';
import { accepts, binary, defineCases, factory, fails, text } from './define-cases.js';
import { binaryFrame, continuationFrame, fragmented, frameHeader, Opcode, pingFrame, textFrame } from './frames.js';
import { closeCodeOf } from './client-frame-reader.js';
import { withScripted } from './open-scripted.js';
import { startScriptedServer } from './scripted-server.js';

// DESIGN.md / issue 2: every limit is checked at the first byte that reveals it. A frame whose
// declared length passes maxMessageSize fails with 1009 before its payload arrives (the payload
// is never sent here); the size is summed over fragments; maxFragments bounds the count.

const limit = 1000;
const small = { client: { maxMessageSize: limit } };
const bytes = (length: number): Buffer => Buffer.alloc(length, 0x5a);
const header = (opcode: number, length: number, fin = true): Buffer => frameHeader({ opcode, fin, declaredLength: BigInt(length) }, 0);

describe('limits: maxMessageSize, single frames', () => {
  defineCases([
    accepts('text of exactly maxMessageSize', [textFrame('z'.repeat(limit))], [text('z'.repeat(limit))], small),
    accepts('binary of exactly maxMessageSize', [binaryFrame(bytes(limit))], [binary(bytes(limit))], small),
    fails(
      'binary declaring maxMessageSize + 1, payload never sent',
      [header(Opcode.binary, limit + 1)],
      1009,
      'ERR_MESSAGE_TOO_BIG',
      small,
    ),
    fails('text declaring maxMessageSize + 1, payload never sent', [header(Opcode.text, limit + 1)], 1009, 'ERR_MESSAGE_TOO_BIG', small),
    fails('binary declaring 2^32 in a 64-bit length', [header(Opcode.binary, 2 ** 32)], 1009, 'ERR_MESSAGE_TOO_BIG', small),
    fails(
      'binary declaring 2^62 with the default limit',
      [frameHeader({ opcode: Opcode.binary, declaredLength: 1n << 62n }, 0)],
      1009,
      'ERR_MESSAGE_TOO_BIG',
    ),
    fails('binary declaring 64 MiB + 1 with the default limit', [header(Opcode.binary, 64 * 1024 * 1024 + 1)], 1009, 'ERR_MESSAGE_TOO_BIG'),
    fails(
      'a too-big frame after a message within the limit',
      [textFrame('ok'), header(Opcode.binary, limit + 1)],
      1009,
      'ERR_MESSAGE_TOO_BIG',
      {
        ...small,
        messages: [text('ok')],
      },
    ),
  ]);
});

describe('limits: maxMessageSize summed over fragments', () => {
  defineCases([
    accepts('fragments summing to exactly maxMessageSize', fragmented(Opcode.binary, bytes(limit), 7), [binary(bytes(limit))], small),
    fails(
      'the second fragment header passes the limit',
      [binaryFrame(bytes(600), { fin: false }), header(Opcode.continuation, 600)],
      1009,
      'ERR_MESSAGE_TOO_BIG',
      small,
    ),
    fails(
      '100 fragments of 10 bytes, then one more byte',
      [
        ...fragmented(Opcode.text, 'y'.repeat(limit), 100).map((f, i, all) =>
          i === all.length - 1 ? continuationFrame('y'.repeat(10), { fin: false }) : f,
        ),
        continuationFrame('y'),
      ],
      1009,
      'ERR_MESSAGE_TOO_BIG',
      small,
    ),
    accepts(
      'control frames inside a full-size message do not count',
      [binaryFrame(bytes(500), { fin: false }), pingFrame(bytes(125)), continuationFrame(bytes(500))],
      [binary(bytes(limit))],
      {
        ...small,
        pongs: [bytes(125)],
      },
    ),
    accepts(
      'the limit applies per message, not per connection',
      [binaryFrame(bytes(limit)), binaryFrame(bytes(limit)), binaryFrame(bytes(limit))],
      [binary(bytes(limit)), binary(bytes(limit)), binary(bytes(limit))],
      small,
    ),
  ]);
});

describe('limits: maxFragments', () => {
  const few = { client: { maxFragments: 10 } };
  defineCases([
    accepts('a message of exactly maxFragments fragments', fragmented(Opcode.text, 'abcdefghij', 10), [text('abcdefghij')], few),
    fails(
      'a message of maxFragments + 1 fragments fails at the extra fragment',
      fragmented(Opcode.text, 'abcdefghijk', 11).slice(0, 11),
      1009,
      'ERR_TOO_MANY_FRAGMENTS',
      few,
    ),
    fails(
      'empty fragments count too',
      [binaryFrame('', { fin: false }), ...Array.from({ length: 10 }, () => continuationFrame('', { fin: false }))],
      1009,
      'ERR_TOO_MANY_FRAGMENTS',
      few,
    ),
    accepts(
      'single-frame messages are one fragment each',
      Array.from({ length: 20 }, (_, i) => textFrame(String(i))),
      Array.from({ length: 20 }, (_, i) => text(String(i))),
      few,
    ),
  ]);
});

describe('limits: memory from declared lengths (issue 12)', () => {
  const MiB = 1024 * 1024;

  it('a frame declaring 5 GiB with maxMessageSize Infinity fails with 1009 at its header (more than a Buffer can hold), throwing nothing', async () => {
    await withScripted(factory, { client: { maxMessageSize: Number.POSITIVE_INFINITY } }, async ({ client, connection }) => {
      await client.opened;
      await connection.write(Buffer.concat([frameHeader({ opcode: Opcode.binary, declaredLength: 5n << 30n }, 0), Buffer.alloc(30, 1)]));
      const close = await connection.nextFrame((frame) => frame.opcode === Opcode.close);
      expect(closeCodeOf(close)).toBe(1009);
      connection.end();
      const closed = await client.closed;
      expect([closed.code, closed.wasClean]).toEqual([1006, false]);
    });
  });

  it('20 connections each declaring 64 MiB and sending 30 bytes do not reserve 1.28 GB', async () => {
    const server = await startScriptedServer();
    try {
      const before = process.memoryUsage().arrayBuffers;
      const clients = Array.from({ length: 20 }, () => factory(server.url, { perMessageDeflate: false }));
      for (const client of clients) {
        const connection = await server.connection();
        await client.opened;
        await connection.write(
          Buffer.concat([frameHeader({ opcode: Opcode.binary, declaredLength: BigInt(64 * MiB) }, 0), Buffer.alloc(30, 2)]),
        );
        client.ping(Buffer.from('read'));
        await connection.nextFrame((frame) => frame.opcode === Opcode.ping);
      }
      const grown = process.memoryUsage().arrayBuffers - before;
      // At most 1 MiB each is reserved up front (the engine's cap); before the fix, 64 MiB each.
      expect(grown).toBeLessThan(256 * MiB);
      for (const client of clients) client.close();
    } finally {
      await server.close();
    }
  });
});
