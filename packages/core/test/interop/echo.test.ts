import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keelClient } from '../conformance/keel-client.js';
import { echo, startWsPeer, type WsPeer } from './ws-server.js';

// Keel against a real `ws` server: every size class of RFC 6455 §5.2 (7-bit, 16-bit and 64-bit
// lengths and their edges), both ways, text and binary.

const sizes = [0, 125, 126, 65535, 65536, 1 << 20, 16 << 20];
const label = (size: number): string => (size >= 1 << 20 ? `${size >> 20} MiB` : `${size} B`);
const bytes = (size: number): Buffer => {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 131 + (i >> 8)) & 0xff;
  return data;
};
/** A string of exactly `size` UTF-8 bytes, with 2-, 3- and 4-byte characters in it. */
const utf8Text = (size: number): string => {
  const unit = 'héllo wörld ☃ 😀 ';
  const unitBytes = Buffer.byteLength(unit);
  return unit.repeat(Math.floor(size / unitBytes)) + 'a'.repeat(size % unitBytes);
};

let peer: WsPeer;
beforeAll(async () => {
  peer = await startWsPeer({ ws: { perMessageDeflate: false } });
  peer.wss.on('connection', echo);
});
afterAll(() => peer.close());

describe('interop with ws: echo', () => {
  it.each(sizes)('binary of %i bytes', async (size) => {
    const client = keelClient(peer.url, { perMessageDeflate: false });
    await client.opened;
    const data = bytes(size);
    client.send(data);
    await client.received(1);
    const got = client.messages[0];
    expect(got?.kind).toBe('binary');
    expect(got?.data.length).toBe(size);
    expect(Buffer.from(got?.data ?? '').equals(data)).toBe(true);
    client.close(1000);
    expect(await client.closed).toMatchObject({ code: 1000, wasClean: true });
  });

  it.each(sizes)('text of %i UTF-8 bytes', async (size) => {
    const client = keelClient(peer.url, { perMessageDeflate: false });
    await client.opened;
    const data = utf8Text(size);
    expect(Buffer.byteLength(data)).toBe(size);
    client.send(data);
    await client.received(1);
    expect(client.messages[0]?.kind).toBe('text');
    expect(client.messages[0]?.data === data).toBe(true);
    client.close(1000);
    expect(await client.closed).toMatchObject({ code: 1000, wasClean: true });
  });

  it('200 messages of every size class sent in one tick come back in order', async () => {
    const client = keelClient(peer.url, { perMessageDeflate: false });
    await client.opened;
    const sent = Array.from({ length: 200 }, (_, i) =>
      bytes([0, 125, 126, 65535, 65536][i % 5] ?? 0).subarray(0, [0, 125, 126, 65535, 65536][i % 5]),
    );
    sent.forEach((data, i) => (i % 2 === 0 ? client.send(data) : client.send(`#${i}`)));
    await client.received(sent.length);
    client.messages.forEach((message, i) => {
      if (i % 2 === 0) expect(message.kind === 'binary' && message.data.equals(sent[i] ?? Buffer.alloc(0))).toBe(true);
      else expect(message).toEqual({ kind: 'text', data: `#${i}` });
    });
    client.close(1000);
    await client.closed;
  });
});

describe(`interop with ws: sizes ${sizes.map(label).join(', ')}`, () => {
  it('a message per size from the server arrives intact', async () => {
    const client = keelClient(peer.url, { perMessageDeflate: false });
    await client.opened;
    const server = [...peer.wss.clients].at(-1);
    for (const size of sizes) server?.send(bytes(size));
    await client.received(sizes.length);
    expect(client.messages.map((m) => m.data.length)).toEqual(sizes);
    client.close(1000);
    await client.closed;
  });
});

describe('interop with ws: large messages over a plain TCP socket (read through onread into the message buffer)', () => {
  it('a 1 MiB and a 16 MiB message sent in one write, between small ones, arrive intact and in order', async () => {
    const server = await startWsPeer({ ws: { perMessageDeflate: false } });
    const large = [bytes(1 << 20), bytes(16 << 20)];
    server.wss.on('connection', (socket) => {
      socket.send(Buffer.from('first'));
      for (const data of large) socket.send(data);
      socket.send('last');
    });
    try {
      const client = keelClient(server.url, { perMessageDeflate: false });
      await client.received(4);
      expect(client.messages.map((m) => m.kind)).toEqual(['binary', 'binary', 'binary', 'text']);
      expect(Buffer.from(client.messages[1]?.data ?? '').equals(large[0] as Buffer)).toBe(true);
      expect(Buffer.from(client.messages[2]?.data ?? '').equals(large[1] as Buffer)).toBe(true);
      expect(client.messages[3]?.data).toBe('last');
      client.close(1000);
      expect(await client.closed).toMatchObject({ code: 1000, wasClean: true });
    } finally {
      await server.close();
    }
  });
});
