import { afterEach, describe, expect, it } from 'vitest';
import { PerMessageDeflateCodec } from '../../src/node/deflate/permessage-deflate-codec.js';
import {
  negotiatePerMessageDeflate,
  resolvePerMessageDeflateOffers,
  type PerMessageDeflateParams,
} from '../../src/protocol/permessage-deflate-negotiation.js';
import { CountingLimiter } from './helpers/counting-limiter.js';
import { randomPayload, textPayload } from './helpers/payloads.js';
import { wsServerPeer, type DeflatePeer } from './helpers/ws-deflate-peer.js';
import { settledMemoryUsage } from './helpers/memory.js';
import { liveZlibHandles, settleZlibHandles } from './helpers/zlib-handles.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function codec(
  params: PerMessageDeflateParams,
  options: ConstructorParameters<typeof PerMessageDeflateCodec>[1] = {},
): PerMessageDeflateCodec {
  const created = new PerMessageDeflateCodec(params, options);
  cleanups.push(() => created.close());
  return created;
}

function peer(params: PerMessageDeflateParams): DeflatePeer {
  const created = wsServerPeer(params);
  cleanups.push(() => created.close());
  return created;
}

function negotiated(answer: string): PerMessageDeflateParams {
  const params = negotiatePerMessageDeflate(answer, resolvePerMessageDeflateOffers(true));
  if (params === null) throw new Error('nothing negotiated');
  return params;
}

describe('PerMessageDeflateCodec', () => {
  const answers = [
    'permessage-deflate',
    'permessage-deflate; server_no_context_takeover; client_no_context_takeover',
    'permessage-deflate; server_max_window_bits=9; client_max_window_bits=10',
    'permessage-deflate; server_max_window_bits=8; client_max_window_bits=8; client_no_context_takeover',
    'permessage-deflate; server_no_context_takeover; client_max_window_bits=12',
  ];
  it.each(answers)('talks to ws both ways once "%s" was agreed', async (answer) => {
    const params = negotiated(answer);
    const subject = codec(params);
    const server = peer(params);
    for (const size of [0, 1, 1500, 70_000, 300_000]) {
      for (const payload of [textPayload(size, size), randomPayload(size)]) {
        expect((await subject.decompress(await server.compress(payload))).equals(payload)).toBe(true);
        expect((await server.decompress(await subject.compress(payload))).equals(payload)).toBe(true);
      }
    }
  });

  it('inflates with the server parameters and deflates with the client parameters', async () => {
    const params = negotiated('permessage-deflate; server_no_context_takeover; client_max_window_bits=9');
    const subject = codec(params);
    // Client side: context kept, window 9.
    const hello = Buffer.from('Hello');
    await subject.compress(hello);
    expect((await subject.compress(hello)).length).toBeLessThan(6);
    // Server side: no context takeover, so a reference into the previous message is an error.
    const keepingServer = peer({ ...params, serverNoContextTakeover: false });
    const payload = randomPayload(4096);
    await subject.decompress(await keepingServer.compress(payload));
    await expect(subject.decompress(await keepingServer.compress(payload))).rejects.toMatchObject({ code: 'ERR_INFLATE', closeCode: 1007 });
  });

  it('applies maxMessageSize to incoming messages', async () => {
    const params = negotiated('permessage-deflate');
    const subject = codec(params, { maxMessageSize: 1000 });
    const server = peer(params);
    await expect(subject.decompress(await server.compress(textPayload(1000)))).resolves.toHaveLength(1000);
    await expect(subject.decompress(await server.compress(textPayload(1001)))).rejects.toMatchObject({
      code: 'ERR_MESSAGE_TOO_BIG',
      closeCode: 1009,
    });
  });

  it('decides per message with the threshold and the compress flag', () => {
    const params = negotiated('permessage-deflate');
    expect(codec(params).shouldCompress(1023)).toBe(false);
    expect(codec(params).shouldCompress(1024)).toBe(true);
    expect(codec(params).shouldCompress(1024, false)).toBe(false);
    expect(codec(params, { threshold: 0 }).shouldCompress(0)).toBe(true);
    expect(() => codec(params, { threshold: -1 })).toThrow(/threshold/);
  });

  it('shares the given limiter between its inflater and deflater', async () => {
    const limiter = new CountingLimiter(1);
    const subject = codec(negotiated('permessage-deflate'), { limiter });
    const payload = textPayload(100_000);
    const [compressed, again] = await Promise.all([subject.compress(payload), subject.compress(payload)]);
    await Promise.all([subject.decompress(compressed ?? Buffer.alloc(0)), subject.decompress(again ?? Buffer.alloc(0))]);
    expect([limiter.jobs, limiter.peak]).toEqual([4, 1]);
  });

  it('close() releases both zlib streams', async () => {
    const before = await liveZlibHandles();
    const subject = new PerMessageDeflateCodec(negotiated('permessage-deflate'));
    await subject.decompress(await subject.compress(textPayload(5000)));
    expect(await liveZlibHandles()).toBe(before + 2);
    subject.close();
    await expect(subject.compress(Buffer.from('x'))).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    await expect(subject.decompress(Buffer.from('x'))).rejects.toMatchObject({ code: 'ERR_INVALID_STATE' });
    expect(await settleZlibHandles(before)).toBe(before);
  });

  // 20,000 real compress/inflate round trips: longer than the default per-test timeout on a busy machine.
  it('20,000 messages through 200 connections: memory returns near its start once they close', { timeout: 60_000 }, async () => {
    const connections = 200;
    const messagesPerConnection = 100;
    const before = await liveZlibHandles();
    const start = await settledMemoryUsage();

    const codecs = Array.from({ length: connections }, () => new PerMessageDeflateCodec(negotiated('permessage-deflate')));
    let checked = 0;
    await Promise.all(
      codecs.map(async (subject, index) => {
        for (let message = 0; message < messagesPerConnection; message += 1) {
          const payload = textPayload(2048 + ((index * 31 + message) % 1024), index * messagesPerConnection + message);
          const inflated = await subject.decompress(await subject.compress(payload));
          if (inflated.equals(payload)) checked += 1;
        }
      }),
    );
    expect(checked).toBe(connections * messagesPerConnection);
    expect(await liveZlibHandles()).toBe(before + 2 * connections);
    const busy = process.memoryUsage();

    for (const subject of codecs) subject.close();
    codecs.length = 0;
    expect(await settleZlibHandles(before)).toBe(before);
    const end = await settledMemoryUsage();

    const mib = (bytes: number): number => bytes / 1024 / 1024;
    // 400 open zlib streams hold well over 40 MiB of native memory: the measurement can see them...
    expect(mib(busy.rss - start.rss)).toBeGreaterThan(40);
    // ...and most of it is given back once the connections close (malloc keeps some in its arenas).
    expect(mib(end.rss - start.rss)).toBeLessThan(0.6 * mib(busy.rss - start.rss));
    expect(mib(end.arrayBuffers - start.arrayBuffers)).toBeLessThan(2);
  });
});
