import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Inflater } from '../../src/node/deflate/inflater.js';
import { ZlibLimiter } from '../../src/node/deflate/zlib-limiter.js';
import { KeelError, UsageError } from '../../src/protocol/errors.js';
import { CountingLimiter } from './helpers/counting-limiter.js';
import { payloadSizes, randomPayload, textPayload } from './helpers/payloads.js';
import { wsServerPeer, type DeflatePeer } from './helpers/ws-deflate-peer.js';
import { collectGarbage, liveZlibHandles, settleZlibHandles } from './helpers/zlib-handles.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  vi.restoreAllMocks();
});

function inflater(options: ConstructorParameters<typeof Inflater>[0] = {}): Inflater {
  const created = new Inflater(options);
  cleanups.push(() => created.close());
  return created;
}

function peer(serverMaxWindowBits: number, serverNoContextTakeover: boolean): DeflatePeer {
  const created = wsServerPeer({ serverMaxWindowBits, serverNoContextTakeover, clientMaxWindowBits: 15, clientNoContextTakeover: false });
  cleanups.push(() => created.close());
  return created;
}

/** A raw DEFLATE stream ending in a sync flush: what a sender writes in a fragment before the last. */
function syncFlushedFragment(data: Buffer): Buffer {
  const flushed = zlib.deflateRawSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  expect(flushed.subarray(-4)).toEqual(hex('0000ffff'));
  return flushed;
}

/** The same with the 00 00 ff ff tail removed: a whole message, or the last fragment (RFC 7692 §7.2.1). */
function syncFlushed(data: Buffer): Buffer {
  return syncFlushedFragment(data).subarray(0, -4);
}

async function rejection(promise: Promise<unknown>): Promise<KeelError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KeelError);
    return error as KeelError;
  }
  throw new Error('expected a rejection');
}

describe('Inflater: the examples of RFC 7692 §7.2.3', () => {
  it('§7.2.3.1: a message in one compressed block', async () => {
    await expect(inflater().inflate(hex('f2 48 cd c9 c9 07 00'))).resolves.toEqual(Buffer.from('Hello'));
  });

  it('§7.2.3.1: the same message split over two fragments', async () => {
    const subject = inflater();
    const first = await subject.inflate(hex('f2 48 cd'), false);
    const second = await subject.inflate(hex('c9 c9 07 00'), true);
    expect(Buffer.concat([first, second]).toString()).toBe('Hello');
  });

  it('§7.2.3.2: the second "Hello" refers to the first through context takeover', async () => {
    const subject = inflater();
    await expect(subject.inflate(hex('f2 48 cd c9 c9 07 00'))).resolves.toEqual(Buffer.from('Hello'));
    await expect(subject.inflate(hex('f2 00 11 00 00'))).resolves.toEqual(Buffer.from('Hello'));
  });

  it('§7.2.3.3: a DEFLATE block with no compression', async () => {
    await expect(inflater().inflate(hex('00 05 00 fa ff 48 65 6c 6c 6f 00'))).resolves.toEqual(Buffer.from('Hello'));
  });

  it('§7.2.3.4: blocks with BFINAL set, message after message (each starts a new DEFLATE stream)', async () => {
    const subject = inflater();
    for (let round = 0; round < 3; round += 1) {
      await expect(subject.inflate(hex('f3 48 cd c9 c9 07 00'))).resolves.toEqual(Buffer.from('Hello'));
    }
  });

  it('§7.2.3.4: data after a BFINAL block in the same message goes to a fresh stream', async () => {
    const message = Buffer.concat([zlib.deflateRawSync(Buffer.from('Hello')), syncFlushed(Buffer.from(', world'))]);
    const subject = inflater();
    await expect(subject.inflate(message)).resolves.toEqual(Buffer.from('Hello, world'));
    await expect(subject.inflate(hex('f2 48 cd c9 c9 07 00'))).resolves.toEqual(Buffer.from('Hello'));
  });

  it('§7.2.3.4: a fragment ending exactly at a BFINAL block, then more fragments', async () => {
    const subject = inflater();
    const first = await subject.inflate(zlib.deflateRawSync(Buffer.from('Hello')), false);
    const second = await subject.inflate(syncFlushed(Buffer.from(', world')), true);
    expect(Buffer.concat([first, second]).toString()).toBe('Hello, world');
  });

  it('§7.2.3.5: two DEFLATE blocks in one message', async () => {
    await expect(inflater().inflate(hex('f2 48 05 00 00 00 ff ff ca c9 c9 07 00'))).resolves.toEqual(Buffer.from('Hello'));
  });

  it('§7.2.3.6: an empty message sent as a single 0x00', async () => {
    const subject = inflater();
    await expect(subject.inflate(hex('00'))).resolves.toEqual(Buffer.alloc(0));
    await expect(subject.inflate(hex('f2 48 cd c9 c9 07 00'))).resolves.toEqual(Buffer.from('Hello'));
  });
});

describe('Inflater: interop with ws as the compressing server', () => {
  for (const windowBits of [8, 9, 10, 11, 12, 13, 14, 15]) {
    for (const noContextTakeover of [false, true]) {
      it(`server_max_window_bits=${windowBits}, server_no_context_takeover=${noContextTakeover}: every size, text and random`, async () => {
        const server = peer(windowBits, noContextTakeover);
        const subject = inflater({ windowBits, noContextTakeover });
        for (const size of payloadSizes) {
          for (const payload of [textPayload(size, size), randomPayload(size), textPayload(size, size)]) {
            const compressed = await server.compress(payload);
            const inflated = await subject.inflate(compressed);
            expect(inflated.equals(payload)).toBe(true);
          }
        }
      });
    }
  }

  it('fragmented messages: ws compresses fragment by fragment', async () => {
    const server = peer(15, false);
    const subject = inflater();
    for (const size of [0, 10, 5000, 100_000]) {
      const payload = textPayload(size * 3, size);
      const parts = [payload.subarray(0, size), payload.subarray(size, 2 * size), payload.subarray(2 * size)];
      const inflated: Buffer[] = [];
      for (const [index, part] of parts.entries()) {
        const fin = index === parts.length - 1;
        inflated.push(await subject.inflate(await server.compress(part, fin), fin));
      }
      expect(Buffer.concat(inflated).equals(payload)).toBe(true);
    }
  });
});

describe('Inflater: context and window', () => {
  /** Two messages where the second is a back-reference into the first, 4 KiB back. */
  async function referencingPair(): Promise<[Buffer, Buffer, Buffer]> {
    const server = peer(15, false);
    const payload = randomPayload(4096);
    return [payload, await server.compress(payload), await server.compress(payload)];
  }

  it('keeps the context between messages by default', async () => {
    const [payload, first, second] = await referencingPair();
    expect(second.length).toBeLessThan(100); // proof that the second message refers to the first
    const subject = inflater();
    await subject.inflate(first);
    await expect(subject.inflate(second)).resolves.toEqual(payload);
  });

  it('resets the context after each message when noContextTakeover: a back-reference fails with 1007', async () => {
    const [, first, second] = await referencingPair();
    const subject = inflater({ noContextTakeover: true });
    await subject.inflate(first);
    const error = await rejection(subject.inflate(second));
    expect([error.code, error.closeCode]).toEqual(['ERR_INFLATE', 1007]);
  });

  it('inflates with the agreed window: a reference 4 KiB back fails with windowBits 9', async () => {
    const [, first, second] = await referencingPair();
    const subject = inflater({ windowBits: 9 });
    await subject.inflate(first);
    const error = await rejection(subject.inflate(second));
    expect([error.code, error.closeCode]).toEqual(['ERR_INFLATE', 1007]);
    expect(error.message).toMatch(/too far back/);
  });
});

describe('Inflater: hostile input', () => {
  it.each([
    ['a reserved block type', 'ff ff ff ff'],
    ['stored block lengths that disagree', '00 05 00 00 00 48 65 6c 6c 6f'],
    ['an invalid code lengths set', 'fc ff ff ff ff'],
  ])('%s fails with ERR_INFLATE and close code 1007', async (_name, payload) => {
    const subject = inflater();
    const error = await rejection(subject.inflate(hex(payload)));
    expect([error.code, error.closeCode, error.name]).toEqual(['ERR_INFLATE', 1007, 'ProtocolError']);
    expect(error.message).toMatch(/^Invalid compressed data: /);
    // The failure sticks: the connection is being failed, nothing more is inflated.
    expect(subject.closed).toBe(true);
    await expect(subject.inflate(hex('f2 48 cd c9 c9 07 00'))).rejects.toBe(error);
  });

  it('inflates a message of exactly maxMessageSize bytes, and fails with 1009 one byte over', async () => {
    const payload = textPayload(100_000);
    const compressed = syncFlushed(payload);
    await expect(inflater({ maxMessageSize: 100_000 }).inflate(compressed)).resolves.toEqual(payload);
    const error = await rejection(inflater({ maxMessageSize: 99_999 }).inflate(compressed));
    expect([error.code, error.closeCode]).toEqual(['ERR_MESSAGE_TOO_BIG', 1009]);
    expect(error.message).toMatch(/exceeds maxMessageSize \(99999 bytes\)/);
  });

  it('counts the limit over all the fragments of a message, and afresh for the next message', async () => {
    const fragment = syncFlushedFragment(Buffer.alloc(40_000, 0x61));
    const last = syncFlushed(Buffer.alloc(40_000, 0x61));
    const within = inflater({ maxMessageSize: 100_000, noContextTakeover: true });
    for (let message = 0; message < 3; message += 1) {
      await within.inflate(fragment, false);
      await expect(within.inflate(last, true)).resolves.toHaveLength(40_000);
    }
    const subject = inflater({ maxMessageSize: 100_000, noContextTakeover: true });
    await subject.inflate(fragment, false);
    await subject.inflate(fragment, false);
    const error = await rejection(subject.inflate(last, true));
    expect(error.code).toBe('ERR_MESSAGE_TOO_BIG');
  });

  /** Runs `work` while sampling arrayBuffers on every turn of the event loop; returns the peak growth. */
  async function peakArrayBufferGrowth(work: () => Promise<unknown>): Promise<{ growth: number; outcome: PromiseSettledResult<unknown> }> {
    collectGarbage();
    const base = process.memoryUsage().arrayBuffers;
    let peak = base;
    let sampling = true;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      if (sampling) setImmediate(sample);
    };
    sample();
    const [outcome] = await Promise.allSettled([work()]);
    sampling = false;
    sample();
    if (outcome === undefined) throw new Error('no outcome');
    return { growth: peak - base, outcome };
  }

  it('a zip bomb fails with 1009 while peak memory stays near the limit, far below the inflated size', async () => {
    const inflatedSize = 64 * 1024 * 1024;
    const bomb = syncFlushed(Buffer.alloc(inflatedSize));
    expect(bomb.length).toBeLessThan(inflatedSize / 500);
    const limit = 1024 * 1024;

    const bounded = await peakArrayBufferGrowth(() => inflater({ maxMessageSize: limit }).inflate(bomb));
    expect(bounded.outcome.status).toBe('rejected');
    const error = (bounded.outcome as PromiseRejectedResult).reason as KeelError;
    expect([error.code, error.closeCode]).toEqual(['ERR_MESSAGE_TOO_BIG', 1009]);
    expect(bounded.growth).toBeLessThan(4 * limit);

    // The measurement sees a full inflation when there is no limit, so the bound above means something.
    const unbounded = await peakArrayBufferGrowth(() => inflater({ maxMessageSize: Number.POSITIVE_INFINITY }).inflate(bomb));
    expect(unbounded.outcome.status).toBe('fulfilled');
    expect(unbounded.growth).toBeGreaterThan(inflatedSize);
  });

  it('a zip bomb spread over fragments fails as soon as the sum passes the limit', async () => {
    const part = syncFlushedFragment(Buffer.alloc(4 * 1024 * 1024));
    const lastPart = syncFlushed(Buffer.alloc(4 * 1024 * 1024));
    const subject = inflater({ maxMessageSize: 10 * 1024 * 1024 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) => subject.inflate(index === 7 ? lastPart : part, index === 7)),
    );
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    const reasons = results.slice(2).map((result) => (result as PromiseRejectedResult).reason as KeelError);
    expect(reasons.every((reason) => reason === reasons[0] && reason.code === 'ERR_MESSAGE_TOO_BIG')).toBe(true);
  });
});

describe('Inflater: order, concurrency, release', () => {
  it('resolves calls in the order they were made', async () => {
    const subject = inflater({ noContextTakeover: true });
    const payloads = Array.from({ length: 100 }, (_, index) => textPayload((index * 7919) % 50_000, index));
    const compressed = payloads.map((payload) => syncFlushed(payload));
    const order: number[] = [];
    const results = await Promise.all(
      compressed.map((message, index) =>
        subject.inflate(message).then((inflated) => {
          order.push(index);
          return inflated;
        }),
      ),
    );
    expect(order).toEqual(payloads.map((_, index) => index));
    expect(results.every((inflated, index) => inflated.equals(payloads[index] ?? Buffer.alloc(1)))).toBe(true);
  });

  it('never runs more zlib operations at once than the limiter allows', async () => {
    const limiter = new CountingLimiter(3);
    const payload = textPayload(512 * 1024);
    const compressed = syncFlushed(payload);
    const subjects = Array.from({ length: 20 }, () => inflater({ limiter }));
    const results = await Promise.all(subjects.flatMap((subject) => [subject.inflate(compressed), subject.inflate(compressed)]));
    expect(results.every((inflated) => inflated.equals(payload))).toBe(true);
    expect(limiter.jobs).toBe(40);
    expect(limiter.peak).toBe(3);
  });

  it('close() rejects the running and the queued calls, frees the limiter slot, and stays closed', async () => {
    const limiter = new ZlibLimiter(1);
    const subject = inflater({ limiter });
    const big = syncFlushed(randomPayload(8 * 1024 * 1024));
    const running = subject.inflate(big);
    const queued = subject.inflate(hex('f2 48 cd c9 c9 07 00'));
    await new Promise((resolve) => setImmediate(resolve));
    subject.close();
    for (const call of [running, queued]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.code).toBe('ERR_INVALID_STATE');
    }
    expect(limiter.active).toBe(0);
    await expect(subject.inflate(hex('00'))).rejects.toThrow(/closed/);
    // Another connection's work is not held up by the closed one.
    await expect(inflater({ limiter }).inflate(hex('f2 48 cd c9 c9 07 00'))).resolves.toEqual(Buffer.from('Hello'));
  });

  it('no zlib stream outlives close(), whether idle, busy or failed', async () => {
    const before = await liveZlibHandles();
    const created: zlib.InflateRaw[] = [];
    const original = zlib.createInflateRaw;
    vi.spyOn(zlib, 'createInflateRaw').mockImplementation((options) => {
      const stream = original(options);
      created.push(stream);
      return stream;
    });
    const idle = new Inflater();
    await idle.inflate(hex('f2 48 cd c9 c9 07 00'));
    const failed = new Inflater({ maxMessageSize: 10 });
    await expect(failed.inflate(syncFlushed(textPayload(1000)))).rejects.toThrow(/maxMessageSize/);
    const bfinal = new Inflater();
    await bfinal.inflate(hex('f3 48 cd c9 c9 07 00'));
    await bfinal.inflate(hex('f3 48 cd c9 c9 07 00'));
    // idle holds its stream; failed released its own, bfinal each stream its BFINAL block ended.
    expect(await liveZlibHandles()).toBe(before + 1);

    const busy = new Inflater();
    const busyCall = busy.inflate(syncFlushed(randomPayload(4 * 1024 * 1024)));
    await new Promise((resolve) => setImmediate(resolve));
    for (const subject of [idle, busy, failed, bfinal]) subject.close();
    await expect(busyCall).rejects.toThrow(/closed/);

    expect(created.length).toBe(5);
    expect(created.every((stream) => stream.destroyed)).toBe(true);
    // The inflaters are still referenced here: only their release can let the handles go.
    expect([idle, busy, failed, bfinal].every((subject) => subject.closed)).toBe(true);
    expect(await settleZlibHandles(before)).toBe(before);
  });

  it.each([7, 16, 12.5])('rejects windowBits %s', (windowBits) => {
    expect(() => new Inflater({ windowBits })).toThrow(/windowBits must be an integer from 8 to 15/);
  });

  it('rejects a negative maxMessageSize', () => {
    expect(() => new Inflater({ maxMessageSize: -1 })).toThrow(/maxMessageSize/);
  });
});
