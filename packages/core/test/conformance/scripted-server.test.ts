import { describe, expect, it } from 'vitest';
import { ClientFrameReader, closeCodeOf, closeReasonOf } from './client-frame-reader.js';
import { runCase } from './conformance-case.js';
import { binaryFrame, closeFrame, frame, fragmented, Opcode, pingFrame, splitAt, textFrame } from './frames.js';
import { startScriptedServer } from './scripted-server.js';
import { acceptFor } from './upgrade-request.js';
import { wsClient } from './ws-client.js';

// The scripted server is validated here against `ws`, an independent client, so that a
// conformance failure points at Keel and not at the helper.

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('frame builder (RFC 6455 §5.7 examples)', () => {
  it('writes a single-frame unmasked text message', () => {
    expect(hex(textFrame('Hello'))).toBe('810548656c6c6f');
  });
  it('writes a single-frame masked text message', () => {
    expect(hex(textFrame('Hello', { mask: true }))).toBe('818537fa213d7f9f4d5158');
  });
  it('writes a fragmented unmasked text message', () => {
    expect(fragmented(Opcode.text, 'Hello', 2).map(hex)).toEqual(['01024865', '80036c6c6f']);
  });
  it('writes unmasked Ping and masked Pong', () => {
    expect(hex(pingFrame('Hello'))).toBe('890548656c6c6f');
    expect(hex(frame({ opcode: Opcode.pong, payload: 'Hello', mask: true }))).toBe('8a8537fa213d7f9f4d5158');
  });
  it('writes 256 bytes with a 16-bit length and 65536 bytes with a 64-bit length', () => {
    expect(hex(binaryFrame(Buffer.alloc(256)).subarray(0, 4))).toBe('827e0100');
    expect(hex(binaryFrame(Buffer.alloc(65536)).subarray(0, 10))).toBe('827f0000000000010000');
  });
  it('writes non-minimal and declared lengths as asked', () => {
    expect(hex(textFrame('a', { lengthForm: 16 }))).toBe('817e000161');
    expect(hex(textFrame('a', { lengthForm: 64 }))).toBe('817f000000000000000161');
    expect(hex(binaryFrame('', { declaredLength: 1n << 63n }))).toBe('827f8000000000000000');
    expect(hex(frame({ opcode: 3, rsv1: true, rsv2: true, rsv3: true, fin: false }))).toBe('7300');
  });
  it('splits bytes at the given offsets', () => {
    expect(splitAt(Buffer.from('abcdef'), [4, 1]).map(String)).toEqual(['a', 'bcd', 'ef']);
  });
  it('computes the §1.3 Sec-WebSocket-Accept example', () => {
    expect(acceptFor('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});

describe('client frame reader', () => {
  const stream = Buffer.concat([
    textFrame('Hello', { mask: true }),
    frame({ opcode: Opcode.binary, payload: Buffer.alloc(300, 7), mask: Uint8Array.of(1, 2, 3, 4) }),
    frame({ opcode: Opcode.close, payload: Buffer.from([0x03, 0xe8, 0x6f, 0x6b]), mask: Uint8Array.of(9, 9, 9, 9) }),
    binaryFrame(Buffer.alloc(70_000, 1)),
  ]);
  it('parses masked and unmasked frames of every length form, fed split at every byte offset', () => {
    for (let cut = 0; cut <= 64; cut++) {
      const reader = new ClientFrameReader();
      const frames = splitAt(stream, [cut]).flatMap((piece) => reader.push(piece));
      expect(frames.map((f) => [f.opcode, f.masked, f.payload.length])).toEqual([
        [1, true, 5],
        [2, true, 300],
        [8, true, 4],
        [2, false, 70_000],
      ]);
      expect(frames[0]?.payload.toString()).toBe('Hello');
      expect(frames[1]?.payload.equals(Buffer.alloc(300, 7))).toBe(true);
      expect(frames[2] && [closeCodeOf(frames[2]), closeReasonOf(frames[2])]).toEqual([1000, 'ok']);
    }
  });
  it('parses a stream fed one byte at a time', () => {
    const reader = new ClientFrameReader();
    const small = stream.subarray(0, stream.length - 70_010);
    const frames = [...small].flatMap((byte) => reader.push(Buffer.of(byte)));
    expect(frames.map((f) => f.opcode)).toEqual([1, 2, 8]);
  });
});

describe('scripted server against the ws client', () => {
  it('parses the upgrade request and completes the handshake with the chosen subprotocol', async () => {
    const server = await startScriptedServer({ protocol: 'chat' });
    try {
      const client = wsClient(server.url, { protocols: ['chat', 'superchat'] });
      const connection = await server.connection();
      await client.opened;
      expect(client.protocol()).toBe('chat');
      expect(connection.request.method).toBe('GET');
      expect(connection.request.path).toBe('/');
      const headers = Object.fromEntries(connection.request.headers);
      expect(headers['upgrade']).toBe('websocket');
      expect(headers['sec-websocket-version']).toBe('13');
      expect(headers['sec-websocket-protocol']).toBe('chat,superchat');
      expect(Buffer.from(headers['sec-websocket-key'] ?? '', 'base64').length).toBe(16);
      client.close(1000, 'bye');
      const close = await connection.nextFrame();
      expect([close.opcode, close.masked, closeCodeOf(close), closeReasonOf(close)]).toEqual([Opcode.close, true, 1000, 'bye']);
      await connection.write(closeFrame(1000, 'bye'));
      expect(await client.closed).toMatchObject({ code: 1000, reason: 'bye', wasClean: true });
    } finally {
      await server.close();
    }
  });

  it('records masked data frames the client sends, with fresh keys', async () => {
    const server = await startScriptedServer();
    try {
      const client = wsClient(server.url);
      const connection = await server.connection();
      await client.opened;
      client.send('héllo');
      client.send(Buffer.alloc(70_000, 3));
      client.ping(Buffer.from('p'));
      const frames = [await connection.nextFrame(), await connection.nextFrame(), await connection.nextFrame()];
      expect(frames.map((f) => [f.opcode, f.masked, f.payload.length])).toEqual([
        [1, true, 6],
        [2, true, 70_000],
        [9, true, 1],
      ]);
      expect(frames[0]?.payload.toString()).toBe('héllo');
      expect(new Set(frames.map((f) => hex(f.maskKey ?? Buffer.alloc(0)))).size).toBe(3);
      client.close();
      await connection.nextFrame();
      connection.end();
      await client.closed;
    } finally {
      await server.close();
    }
  });

  it('delivers frames written in the same TCP write as the 101', async () => {
    const server = await startScriptedServer((request) => [
      Buffer.concat([
        Buffer.from(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(Object.fromEntries(request.headers)['sec-websocket-key'] ?? '')}\r\n\r\n`,
        ),
        textFrame('early'),
      ]),
    ]);
    try {
      const client = wsClient(server.url);
      const connection = await server.connection();
      await connection.write(closeFrame(1000));
      await connection.nextFrame();
      connection.end();
      await client.closed;
      expect(client.messages).toEqual([{ kind: 'text', data: 'early' }]);
    } finally {
      await server.close();
    }
  });

  it('records the client ending TCP first when it fails the connection', async () => {
    const observed = await runCase(
      wsClient,
      { name: 'reserved opcode', writes: [frame({ opcode: 3 })], expect: { outcome: 'fail', closeCode: 1002, error: 'x' } },
      { strict: false },
    );
    expect(observed.connection.clientEndedFirst()).toBe(true);
  });

  it.each([{ name: 'text 0..65536 bytes, split writes', sizes: [0, 125, 126, 65535, 65536] }])(
    'plays an accept case: $name',
    async ({ sizes }) => {
      const writes = sizes.flatMap((size) => splitAt(textFrame('x'.repeat(size)), [1, 2, 5]));
      await runCase(
        wsClient,
        { name: 'sizes', writes, expect: { outcome: 'accept', messages: sizes.map((size) => ({ text: 'x'.repeat(size) })) } },
        { strict: false },
      );
    },
  );

  it('plays a ping case: the ws client answers with the same payload', async () => {
    await runCase(
      wsClient,
      {
        name: 'ping',
        writes: [pingFrame('abc'), pingFrame('')],
        expect: { outcome: 'accept', pongs: [Buffer.from('abc'), Buffer.alloc(0)], pingEvents: [Buffer.from('abc'), Buffer.alloc(0)] },
      },
      { strict: false },
    );
  });

  it('plays a close case: the ws client echoes the code', async () => {
    await runCase(
      wsClient,
      { name: 'close', writes: [closeFrame(3000, 'why')], expect: { outcome: 'close', echo: 3000, code: 3000, reason: 'why' } },
      { strict: false },
    );
  });

  it('plays a handshake failure: a wrong accept value, no frame sent', async () => {
    await runCase(
      wsClient,
      { name: 'accept', handshake: { accept: acceptFor('other') }, writes: [], expect: { outcome: 'handshake-fail', error: 'x' } },
      { strict: false },
    );
  });
});
