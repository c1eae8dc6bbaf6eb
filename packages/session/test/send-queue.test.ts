import { describe, expect, it } from 'vitest';
import { SendQueue, defaultQueueOptions, messageSize, utf8Length } from '../src/send-queue.js';
import { SessionError } from '../src/session-error.js';

describe('utf8Length', () => {
  it('counts UTF-8 bytes of BMP, astral and lone-surrogate text', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('\ud800')).toBe(3);
    expect(utf8Length('a\ud800b')).toBe(5);
    for (const s of ['hello wörld', '日本語', '🎉🎉x', '']) expect(utf8Length(s)).toBe(Buffer.byteLength(s));
  });

  it('measures binary by byteLength', () => {
    expect(messageSize(new Uint8Array(7))).toBe(7);
  });
});

describe('SendQueue', () => {
  it('documents its defaults: 1,000 messages, 1 MiB, reject', () => {
    expect(defaultQueueOptions).toEqual({ maxMessages: 1000, maxBytes: 1048576, overflow: 'reject' });
  });

  it('is FIFO and tracks count and bytes', () => {
    const q = new SendQueue(defaultQueueOptions);
    q.enqueue('a');
    q.enqueue(new Uint8Array(3));
    q.enqueue('ccc');
    expect([q.length, q.bytes]).toEqual([3, 7]);
    expect(q.shift()).toBe('a');
    expect(q.shift()).toEqual(new Uint8Array(3));
    expect([q.length, q.bytes]).toEqual([1, 3]);
    q.unshift('z');
    expect(q.drain()).toEqual(['z', 'ccc']);
    expect([q.length, q.bytes]).toEqual([0, 0]);
  });

  it("'reject' throws ERR_QUEUE_FULL on the count bound and keeps what it holds", () => {
    const q = new SendQueue({ maxMessages: 2, maxBytes: 100, overflow: 'reject' });
    q.enqueue('1');
    q.enqueue('2');
    expect(() => q.enqueue('333')).toThrow(
      expect.objectContaining({
        code: 'ERR_QUEUE_FULL',
        message: 'send queue full (queue.maxMessages 2, maxBytes 100)',
      }),
    );
    expect(q.drain()).toEqual(['1', '2']);
  });

  it("'reject' throws on the byte bound", () => {
    const q = new SendQueue({ maxMessages: 10, maxBytes: 5, overflow: 'reject' });
    q.enqueue('abc');
    let error: unknown;
    try {
      q.enqueue('def');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe('ERR_QUEUE_FULL');
    expect(q.enqueue('de')).toEqual({ queued: true, dropped: [] });
  });

  it("'drop-oldest' evicts from the head until the new message fits", () => {
    const q = new SendQueue({ maxMessages: 10, maxBytes: 6, overflow: 'drop-oldest' });
    q.enqueue('aa');
    q.enqueue('bb');
    q.enqueue('cc');
    expect(q.enqueue('dddd')).toEqual({ queued: true, dropped: ['aa', 'bb'] });
    expect(q.drain()).toEqual(['cc', 'dddd']);
  });

  it("'drop-oldest' drops a message larger than the whole queue itself, keeping the rest", () => {
    const q = new SendQueue({ maxMessages: 10, maxBytes: 4, overflow: 'drop-oldest' });
    q.enqueue('aa');
    expect(q.enqueue('xxxxx')).toEqual({ queued: false, dropped: ['xxxxx'] });
    expect(q.drain()).toEqual(['aa']);
  });

  it("'drop-oldest' evicts on the count bound too, and under maxMessages 0 drops the message itself", () => {
    const q = new SendQueue({ maxMessages: 2, maxBytes: 100, overflow: 'drop-oldest' });
    q.enqueue('a');
    q.enqueue('b');
    expect(q.enqueue('c')).toEqual({ queued: true, dropped: ['a'] });
    expect([q.length, q.bytes]).toEqual([2, 2]);
    expect(q.drain()).toEqual(['b', 'c']);
    const none = new SendQueue({ maxMessages: 0, maxBytes: 100, overflow: 'drop-oldest' });
    expect(none.enqueue('x')).toEqual({ queued: false, dropped: ['x'] });
    expect(none.length).toBe(0);
  });

  it("'drop-newest' drops the incoming message", () => {
    const q = new SendQueue({ maxMessages: 1, maxBytes: 100, overflow: 'drop-newest' });
    q.enqueue('keep');
    expect(q.enqueue('new')).toEqual({ queued: false, dropped: ['new'] });
    expect(q.drain()).toEqual(['keep']);
  });

  it('maxMessages 0 queues nothing', () => {
    const q = new SendQueue({ maxMessages: 0, maxBytes: 100, overflow: 'reject' });
    expect(() => q.enqueue('x')).toThrow(SessionError);
  });

  it('keeps order across compaction of a long-lived queue', () => {
    const q = new SendQueue({ maxMessages: 1000, maxBytes: 1 << 20, overflow: 'reject' });
    const out: string[] = [];
    for (let i = 0; i < 500; i++) {
      q.enqueue(String(i));
      if (i % 3 === 0) out.push(q.shift() as string);
    }
    out.push(...(q.drain() as string[]));
    expect(out).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
  });
});
