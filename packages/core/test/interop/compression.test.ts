import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PerMessageDeflateOptions } from 'ws';
import { echo, openKeel, startWsPeer, type WsPeer } from './ws-server.js';

// Keel's default permessage-deflate offer against ws servers configured in several ways
// (RFC 7692), and against one that negotiates nothing: every echo must come back intact.

const servers: Array<[string, PerMessageDeflateOptions | false]> = [
  ['ws defaults (context takeover, 15 bits, threshold 1 KiB)', {}],
  ['no context takeover either way', { serverNoContextTakeover: true, clientNoContextTakeover: true }],
  ['server window 9 bits, client window 9 bits', { serverMaxWindowBits: 9, clientMaxWindowBits: 9 }],
  ['server window 8 bits (zlib compresses with 9)', { serverMaxWindowBits: 8 }],
  ['compress everything (threshold 0)', { threshold: 0 }],
  ['no permessage-deflate', false],
];

const json = (size: number): string => {
  let out = '';
  for (let i = 0; out.length < size; i++) out += `{"seq":${i},"msg":"état ${i % 97} ✓"},`;
  return out.slice(0, size);
};
const bytes = (size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i % 253) ^ (i >> 12)));
const payloads: Array<string | Buffer> = [json(0), json(100), bytes(2048), json(65536), bytes(1 << 20), json(100), json(1 << 20)];

describe.each(servers)('interop with ws, permessage-deflate: %s', (_name, perMessageDeflate) => {
  let peer: WsPeer;
  beforeAll(async () => {
    peer = await startWsPeer({ ws: { perMessageDeflate } });
    peer.wss.on('connection', echo);
  });
  afterAll(() => peer.close());

  it('negotiates what the server accepts and echoes text and binary of 0 B to 1 MiB', async () => {
    const { client } = await openKeel(peer, { perMessageDeflate: true });
    if (perMessageDeflate === false) expect(client.extensions()).toBe('');
    else expect(client.extensions()).toMatch(/^permessage-deflate/);
    for (const payload of payloads) client.send(payload);
    await client.received(payloads.length);
    client.messages.forEach((message, i) => {
      const want = payloads[i] ?? '';
      expect(message.kind, `message ${i}`).toBe(typeof want === 'string' ? 'text' : 'binary');
      expect(typeof want === 'string' ? message.data === want : Buffer.from(message.data).equals(want), `message ${i}`).toBe(true);
    });
    client.close(1000);
    expect(await client.closed).toMatchObject({ code: 1000, wasClean: true });
  });

  it('keeps order over 200 messages of mixed sizes sent in one tick', async () => {
    const { client } = await openKeel(peer, { perMessageDeflate: true });
    const sent = Array.from({ length: 200 }, (_, i) => json([10, 1500, 40_000][i % 3] ?? 0) + i);
    for (const message of sent) client.send(message);
    await client.received(sent.length);
    expect(client.messages.map((m) => m.data)).toEqual(sent);
    client.close(1000);
    await client.closed;
  });
});
