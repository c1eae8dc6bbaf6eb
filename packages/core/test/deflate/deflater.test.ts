import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deflater } from '../../src/node/deflate/deflater.js';
import { Inflater } from '../../src/node/deflate/inflater.js';
import { ZlibLimiter } from '../../src/node/deflate/zlib-limiter.js';
import { UsageError } from '../../src/protocol/errors.js';
import { CountingLimiter } from './helpers/counting-limiter.js';
import { payloadSizes, randomPayload, textPayload } from './helpers/payloads.js';
import { wsServerPeer, type DeflatePeer } from './helpers/ws-deflate-peer.js';
import { liveZlibHandles, settleZlibHandles } from './helpers/zlib-handles.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const TAIL = hex('00 00 ff ff');

/** Raw zlib as an independent receiver: the stream never ends (no BFINAL), so it finishes on a sync flush. */
function zlibInflate(data: Buffer, windowBits = 15): Buffer {
  return zlib.inflateRawSync(data, { windowBits, finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  vi.restoreAllMocks();
});

function deflater(options: ConstructorParameters<typeof Deflater>[0] = {}): Deflater {
  const created = new Deflater(options);
  cleanups.push(() => created.close());
  return created;
}

function peer(clientMaxWindowBits: number, clientNoContextTakeover: boolean): DeflatePeer {
  const created = wsServerPeer({ serverMaxWindowBits: 15, serverNoContextTakeover: false, clientMaxWindowBits, clientNoContextTakeover });
  cleanups.push(() => created.close());
  return created;
}

describe('Deflater: the examples of RFC 7692 §7.2.3', () => {
  it('§7.2.3.1 and §7.2.3.2: "Hello", then "Hello" again through context takeover, tails removed', async () => {
    const subject = deflater();
    await expect(subject.deflate(Buffer.from('Hello'))).resolves.toEqual(hex('f2 48 cd c9 c9 07 00'));
    await expect(subject.deflate(Buffer.from('Hello'))).resolves.toEqual(hex('f2 00 11 00 00'));
  });

  it('without context takeover every message is compressed afresh', async () => {
    const subject = deflater({ noContextTakeover: true });
    for (let round = 0; round < 3; round += 1) {
      await expect(subject.deflate(Buffer.from('Hello'))).resolves.toEqual(hex('f2 48 cd c9 c9 07 00'));
    }
  });

  it('§7.2.3.6: an empty message becomes a single 0x00, which inflates to nothing', async () => {
    const subject = deflater();
    const empty = await subject.deflate(Buffer.alloc(0));
    expect(empty).toEqual(hex('00'));
    expect(zlibInflate(Buffer.concat([empty, TAIL]))).toHaveLength(0);
    // and again once the stream is under way
    await subject.deflate(Buffer.from('Hello'));
    await expect(subject.deflate(Buffer.alloc(0))).resolves.toEqual(hex('00'));
  });

  it('fragments before the last keep their sync-flush bytes; the last loses its tail', async () => {
    const subject = deflater();
    const first = await subject.deflate(Buffer.from('Hel'), false);
    const last = await subject.deflate(Buffer.from('lo'), true);
    expect(first.subarray(-4)).toEqual(TAIL);
    expect(last.subarray(-4)).not.toEqual(TAIL);
    expect(zlibInflate(Buffer.concat([first, last, TAIL])).toString()).toBe('Hello');
  });
});

describe('Deflater: interop', () => {
  for (const windowBits of [8, 9, 10, 11, 12, 13, 14, 15]) {
    for (const noContextTakeover of [false, true]) {
      const name = `client_max_window_bits=${windowBits}, client_no_context_takeover=${noContextTakeover}`;

      it(`${name}: raw zlib inflates every size, text and random`, async () => {
        const subject = deflater({ windowBits, noContextTakeover });
        const payloads = payloadSizes.flatMap((size) => [textPayload(size, size), randomPayload(size)]);
        const messages: Buffer[] = [];
        for (const payload of payloads) messages.push(await subject.deflate(payload));
        for (const message of messages) expect(message.subarray(-4)).not.toEqual(TAIL);
        if (noContextTakeover) {
          // Each message stands alone.
          messages.forEach((message, index) => {
            expect(zlibInflate(Buffer.concat([message, TAIL]), windowBits).equals(payloads[index] ?? Buffer.alloc(1))).toBe(true);
          });
        } else {
          // The messages are one DEFLATE stream, cut at sync flushes.
          const stream = Buffer.concat(messages.flatMap((message) => [message, TAIL]));
          expect(zlibInflate(stream, windowBits).equals(Buffer.concat(payloads))).toBe(true);
        }
      });

      it(`${name}: ws, as the server, inflates every size`, async () => {
        const subject = deflater({ windowBits, noContextTakeover });
        const server = peer(windowBits, noContextTakeover);
        for (const size of payloadSizes) {
          for (const payload of [textPayload(size, size), randomPayload(size)]) {
            const inflated = await server.decompress(await subject.deflate(payload));
            expect(inflated.equals(payload)).toBe(true);
          }
        }
      });
    }
  }

  it('fragmented messages: ws inflates them fragment by fragment', async () => {
    const subject = deflater();
    const server = peer(15, false);
    for (const size of [0, 10, 5000, 100_000]) {
      const payload = textPayload(size * 3, size);
      const parts = [payload.subarray(0, size), payload.subarray(size, 2 * size), payload.subarray(2 * size)];
      const inflated: Buffer[] = [];
      for (const [index, part] of parts.entries()) {
        const fin = index === parts.length - 1;
        inflated.push(await server.decompress(await subject.deflate(part, fin), fin));
      }
      expect(Buffer.concat(inflated).equals(payload)).toBe(true);
    }
  });

  it('round-trips through our own Inflater, fragmented and not, with and without context takeover', async () => {
    for (const noContextTakeover of [false, true]) {
      const sender = deflater({ noContextTakeover, windowBits: 10 });
      const receiver = new Inflater({ noContextTakeover, windowBits: 10 });
      cleanups.push(() => receiver.close());
      for (const size of payloadSizes) {
        const payload = textPayload(size, size + 1);
        const cut = Math.floor(size / 2);
        const halves = await Promise.all([sender.deflate(payload.subarray(0, cut), false), sender.deflate(payload.subarray(cut), true)]);
        const inflated = Buffer.concat([await receiver.inflate(halves[0], false), await receiver.inflate(halves[1], true)]);
        expect(inflated.equals(payload)).toBe(true);
        expect((await receiver.inflate(await sender.deflate(payload))).equals(payload)).toBe(true);
      }
    }
  });
});

describe('Deflater: context and window', () => {
  it('context takeover makes a repeated message nearly free; without it the repeat costs the same', async () => {
    const payload = randomPayload(2000);
    const keeping = deflater();
    const first = await keeping.deflate(payload);
    const repeat = await keeping.deflate(payload);
    expect(repeat.length).toBeLessThan(50);
    const resetting = deflater({ noContextTakeover: true });
    expect(await resetting.deflate(payload)).toEqual(first);
    expect(await resetting.deflate(payload)).toEqual(first);
  });

  /** Compressed size of a random block followed by itself: small only if the window reaches back `block` bytes. */
  async function repeatCost(windowBits: number, block: number): Promise<number> {
    const half = randomPayload(block);
    const compressed = await deflater({ windowBits, noContextTakeover: true }).deflate(Buffer.concat([half, half]));
    return compressed.length / (2 * block);
  }

  for (const windowBits of [8, 9, 10, 11, 12, 13, 14, 15]) {
    it(`client_max_window_bits=${windowBits}: back-references never reach past the window`, async () => {
      // zlib's deflate reaches back at most 2^w - 262 bytes (MAX_DIST); 8 is compressed with 9,
      // whose 250-byte reach fits a 256-byte window.
      const reach = 2 ** Math.max(windowBits, 9) - 262;
      expect(await repeatCost(windowBits, reach - 20)).toBeLessThan(0.7);
      expect(await repeatCost(windowBits, 2 ** windowBits + 50)).toBeGreaterThan(0.95);
    });
  }

  it('asks zlib for 9 when 8 was agreed (zlib refuses a raw deflate window of 8)', () => {
    expect(new Deflater({ windowBits: 8 }).zlibWindowBits).toBe(9);
    expect(new Deflater({ windowBits: 9 }).zlibWindowBits).toBe(9);
    expect(new Deflater().zlibWindowBits).toBe(15);
  });
});

describe('Deflater: order, concurrency, release', () => {
  it('resolves calls in the order they were made, as one valid stream', async () => {
    const subject = deflater();
    const payloads = Array.from({ length: 100 }, (_, index) => textPayload((index * 7919) % 50_000, index));
    const order: number[] = [];
    const messages = await Promise.all(
      payloads.map((payload, index) =>
        subject.deflate(payload).then((message) => {
          order.push(index);
          return message;
        }),
      ),
    );
    expect(order).toEqual(payloads.map((_, index) => index));
    const stream = Buffer.concat(messages.flatMap((message) => [message, TAIL]));
    expect(zlibInflate(stream).equals(Buffer.concat(payloads))).toBe(true);
  });

  it('never runs more zlib operations at once than the limiter allows', async () => {
    const limiter = new CountingLimiter(3);
    const payload = textPayload(256 * 1024);
    const subjects = Array.from({ length: 20 }, () => deflater({ limiter }));
    const messages = await Promise.all(subjects.flatMap((subject) => [subject.deflate(payload), subject.deflate(payload)]));
    expect(messages.every((message) => message.length > 0)).toBe(true);
    expect(limiter.jobs).toBe(40);
    expect(limiter.peak).toBe(3);
  });

  it('close() rejects the running and queued calls, frees the limiter slot, and releases every zlib stream', async () => {
    const before = await liveZlibHandles();
    const created: zlib.DeflateRaw[] = [];
    const original = zlib.createDeflateRaw;
    vi.spyOn(zlib, 'createDeflateRaw').mockImplementation((options) => {
      const stream = original(options);
      created.push(stream);
      return stream;
    });
    const limiter = new ZlibLimiter(1);
    const idle = new Deflater({ limiter });
    await idle.deflate(Buffer.from('Hello'));
    expect(await liveZlibHandles()).toBe(before + 1);

    const busy = new Deflater({ limiter });
    const running = busy.deflate(randomPayload(8 * 1024 * 1024));
    const queued = busy.deflate(Buffer.from('Hello'));
    await new Promise((resolve) => setImmediate(resolve));
    idle.close();
    busy.close();
    for (const call of [running, queued]) {
      const error = await call.then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('ERR_INVALID_STATE');
    }
    expect(limiter.active).toBe(0);
    await expect(idle.deflate(Buffer.from('x'))).rejects.toThrow(/closed/);
    expect(created.length).toBe(2);
    expect(created.every((stream) => stream.destroyed)).toBe(true);
    expect([idle.closed, busy.closed]).toEqual([true, true]);
    expect(await settleZlibHandles(before)).toBe(before);
  });

  it.each([
    [{ windowBits: 7 }, /windowBits must be an integer from 8 to 15, got 7/],
    [{ windowBits: 16 }, /windowBits must be an integer from 8 to 15/],
    [{ level: 10 }, /level must be an integer from -1 to 9/],
    [{ memLevel: 0 }, /memLevel must be an integer from 1 to 9/],
  ])('rejects %j', (options, message) => {
    expect(() => new Deflater(options)).toThrow(message);
  });

  it('honours the compression level', async () => {
    const payload = textPayload(100_000);
    const stored = await deflater({ level: 0 }).deflate(payload);
    const best = await deflater({ level: 9 }).deflate(payload);
    expect(stored.length).toBeGreaterThan(payload.length);
    expect(best.length).toBeLessThan(payload.length / 3);
  });
});
