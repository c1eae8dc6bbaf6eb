import { describe, expect, it } from 'vitest';
import { closeCodeOf, closeReasonOf } from './client-frame-reader.js';
import type { ConformanceCase } from './conformance-case.js';
import { againstWs, defineCases, factory, fails, text } from './define-cases.js';
import { closeFrame, frame, Opcode, pingFrame, textFrame } from './frames.js';
import { withScripted } from './open-scripted.js';

// RFC 6455 §5.5.1 and §7: the Close payload is empty or a 2-byte code plus a UTF-8 reason;
// §7.4: codes 1000-1003, 1007-1011 (and 1012-1014 from the IANA registry, §11.7) and
// 3000-4999 may be received; 1004-1006 and 1015 must never be sent, 0-999 are unused and the
// rest of 1000-2999 is unassigned, so receiving one fails with 1002. The client echoes the
// code (§5.5.1), then waits for the server to close TCP (§7.1.1). §7.1.4: a connection closed
// after a completed closing handshake closed cleanly; §7.1.5: its code is the received one.

const closes = (code: number | null, reason = '', writes?: Buffer[]): ConformanceCase => ({
  name:
    code === null
      ? 'an empty Close'
      : `Close ${code}${reason ? ` with reason "${reason.length > 20 ? `${reason.slice(0, 20)}…` : reason}"` : ''}`,
  writes: writes ?? [closeFrame(code ?? undefined, reason)],
  expect: { outcome: 'close', echo: code, code: code ?? 1005, reason },
});

const validCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
const invalidCodes = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];

describe('close: the server Close is echoed and the connection closes cleanly', () => {
  defineCases([
    ...validCodes.map((code) => closes(code, 'r')),
    closes(null),
    closes(1000),
    closes(1000, 'Ünïcödé 😀 reason'),
    closes(1001, 'x'.repeat(123)),
    {
      ...closes(1000, 'bye', [textFrame('b', { fin: false }), closeFrame(1000, 'bye')]),
      name: 'Close in the middle of a fragmented message',
    },
    {
      name: 'messages before the Close are delivered',
      writes: [textFrame('one'), textFrame('two'), closeFrame(1000, 'bye')],
      expect: { outcome: 'close', echo: 1000, code: 1000, reason: 'bye', messages: [text('one'), text('two')] },
    },
    {
      name: 'frames after the Close in the same write are ignored',
      writes: [Buffer.concat([closeFrame(3001, 'last'), textFrame('late'), pingFrame('late'), frame({ opcode: 3 })])],
      expect: { outcome: 'close', echo: 3001, code: 3001, reason: 'last' },
    },
  ]);
});

describe('close: an invalid Close fails the connection', () => {
  defineCases([
    ...invalidCodes.map((code) => fails(`Close with code ${code}`, [closeFrame(code)], 1002, 'ERR_INVALID_CLOSE_CODE')),
    fails('Close with code 1016 and a reason', [closeFrame(1016, 'reason')], 1002, 'ERR_INVALID_CLOSE_CODE'),
    fails('Close with a 1-byte payload', [frame({ opcode: Opcode.close, payload: Buffer.of(0x03) })], 1002, 'ERR_INVALID_CLOSE_PAYLOAD'),
    fails('Close reason with 0xFF', [closeFrame(1000, Buffer.of(0x61, 0xff))], 1007, 'ERR_INVALID_CLOSE_REASON'),
    fails('Close reason with an overlong', [closeFrame(1000, Buffer.of(0xc0, 0xaf))], 1007, 'ERR_INVALID_CLOSE_REASON'),
    fails('Close reason with a surrogate', [closeFrame(1000, Buffer.of(0xed, 0xa0, 0x80))], 1007, 'ERR_INVALID_CLOSE_REASON'),
    fails(
      'Close reason ending inside a code point',
      [closeFrame(1000, Buffer.of(0x61, 0xf0, 0x9f, 0x98))],
      1007,
      'ERR_INVALID_CLOSE_REASON',
    ),
    fails('Close reason above U+10FFFF', [closeFrame(3000, Buffer.of(0xf4, 0x90, 0x80, 0x80))], 1007, 'ERR_INVALID_CLOSE_REASON'),
  ]);
});

const strict = !againstWs;

describe('close: initiated by the client', () => {
  it.each([
    { args: [1000, 'bye'] as [number, string?], code: 1000, reason: 'bye' },
    { args: [3000] as [number, string?], code: 3000, reason: '' },
    { args: [4999, 'é'.repeat(61)] as [number, string?], code: 4999, reason: 'é'.repeat(61) },
  ])('close($code) is sent, answered, and closes cleanly', async ({ args, code, reason }) => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      client.close(...args);
      const sent = await connection.nextFrame();
      expect([sent.opcode, sent.masked, closeCodeOf(sent), closeReasonOf(sent)]).toEqual([Opcode.close, true, code, reason]);
      await connection.write(closeFrame(code, reason));
      connection.end();
      const closed = await client.closed;
      expect([closed.code, closed.reason, closed.wasClean]).toEqual([code, reason, true]);
      if (strict) expect(closed.errorCode).toBeNull();
      expect(connection.frames.length).toBe(1);
    });
  });

  it('close() without a code sends an empty Close (WHATWG close() step: no body), the answer closes with 1005', async () => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      client.close();
      const sent = await connection.nextFrame();
      expect([sent.opcode, sent.payload.length]).toEqual([Opcode.close, 0]);
      await connection.write(closeFrame());
      connection.end();
      expect(await client.closed).toMatchObject({ code: 1005, reason: '', wasClean: true });
    });
  });

  it('the close event reports the code of the server answer (§7.1.5)', async () => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      client.close(1000, 'mine');
      await connection.nextFrame();
      await connection.write(closeFrame(4001, 'theirs'));
      connection.end();
      expect(await client.closed).toMatchObject({ code: 4001, reason: 'theirs', wasClean: true });
    });
  });

  it('messages arriving before the answer are still delivered', async () => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      client.close(1000);
      await connection.nextFrame();
      await connection.write(textFrame('in flight'), closeFrame(1000));
      connection.end();
      expect(await client.closed).toMatchObject({ code: 1000, wasClean: true });
      expect(client.messages).toEqual([{ kind: 'text', data: 'in flight' }]);
    });
  });
});

describe.runIf(strict)('close: timeouts and lost connections (Keel options)', () => {
  it('a Close the server never answers times out after closeTimeout: 1006, not clean', async () => {
    await withScripted(factory, { client: { closeTimeout: 100 } }, async ({ client, connection }) => {
      await client.opened;
      client.close(1000);
      await connection.nextFrame();
      const closed = await client.closed;
      await connection.closed;
      expect([closed.code, closed.wasClean, closed.errorCode]).toEqual([1006, false, 'ERR_CLOSE_TIMEOUT']);
    });
  });

  it('after a completed Close exchange the client closes TCP itself once closeTimeout passes; still clean (§7.1.4)', async () => {
    await withScripted(factory, { client: { closeTimeout: 100 } }, async ({ client, connection }) => {
      await client.opened;
      await connection.write(closeFrame(1000, 'bye'));
      const echo = await connection.nextFrame();
      expect(closeCodeOf(echo)).toBe(1000);
      // The server never ends TCP.
      const closed = await client.closed;
      await connection.closed;
      expect([closed.code, closed.reason, closed.wasClean]).toEqual([1000, 'bye', true]);
    });
  });

  it('after echoing a Close the client waits for the server to close TCP first (§7.1.1 SHOULD)', async () => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      await connection.write(closeFrame(1000));
      await connection.nextFrame();
      // Give the client the chance to send a FIN before the server's.
      await connection.write(Buffer.alloc(0));
      connection.end();
      await client.closed;
      // The client's FIN reaches the server after the client's own close event: wait for it.
      await connection.clientEnded;
      expect(connection.timeline.map((e) => e.type)).toEqual(['frame', 'server-end', 'client-end']);
    });
  });

  it('TCP closed by the server without a Close: 1006, not clean', async () => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      connection.end();
      const closed = await client.closed;
      expect([closed.code, closed.wasClean, closed.errorCode]).toEqual([1006, false, 'ERR_CONNECTION_LOST']);
      expect(connection.frames).toEqual([]);
    });
  });

  it('TCP reset by the server in the middle of a message: 1006, not clean, nothing delivered', async () => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      await connection.write(textFrame('abcdef').subarray(0, 4));
      connection.socket.resetAndDestroy();
      const closed = await client.closed;
      expect([closed.code, closed.wasClean, closed.errorCode]).toEqual([1006, false, 'ERR_CONNECTION_LOST']);
      expect(client.messages).toEqual([]);
    });
  });
});
