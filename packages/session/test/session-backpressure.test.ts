import { describe, expect, it } from 'vitest';
import type { BackpressureInfo } from '../src/session-events.js';
import { FakeTransport, lost, settle } from './helpers/fake-transport.js';
import { harness } from './helpers/session-harness.js';

const marks = { highWaterBytes: 10, highWaterMessages: 4, lowWaterBytes: 4, lowWaterMessages: 1 };

// Issue 12, slow consumer: the iterator buffered without bound (233 MiB under a 300 MiB flood).
describe('message iterator backpressure', () => {
  it('pauses reading above a high-water mark (count), resumes at the low-water marks, loses nothing', async () => {
    const { transport, session, of } = await harness({ iteratorBuffer: marks });
    const events: BackpressureInfo[] = [];
    session.on('backpressure', (info) => events.push(info));
    transport.last.open();
    const iterator = session[Symbol.asyncIterator]();
    for (const m of ['a', 'b', 'c', 'd']) transport.last.receive(m);
    expect(transport.last.reading).toEqual([]);
    transport.last.receive('e');
    expect(transport.last.reading).toEqual(['pause']);
    expect(session.buffered).toEqual({ messages: 5, bytes: 5 });
    // Messages already read by the transport still arrive and are kept.
    transport.last.receive('f');
    const read: unknown[] = [];
    for (let i = 0; i < 4; i++) read.push((await iterator.next()).value);
    expect(transport.last.reading).toEqual(['pause']);
    read.push((await iterator.next()).value);
    expect(transport.last.reading).toEqual(['pause', 'resume']);
    read.push((await iterator.next()).value);
    expect(read).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(events).toEqual([
      { messages: 5, bytes: 5, high: true, readingPaused: true },
      { messages: 1, bytes: 1, high: false, readingPaused: false },
    ]);
    expect(of('message')).toHaveLength(6);
  });

  it('pauses on bytes, and a loop that breaks out releases the pause', async () => {
    const { transport, session } = await harness({ iteratorBuffer: marks });
    transport.last.open();
    const iterator = session[Symbol.asyncIterator]();
    transport.last.receive(new Uint8Array(11));
    expect(transport.last.reading).toEqual(['pause']);
    await iterator.return?.();
    expect(transport.last.reading).toEqual(['pause', 'resume']);
  });

  it('stops the heartbeat while paused (no pong can be read) and restarts it on resume', async () => {
    const { transport, clock, session } = await harness({ iteratorBuffer: marks, heartbeat: { interval: 1000, timeout: 500 } });
    transport.last.open();
    const iterator = session[Symbol.asyncIterator]();
    transport.last.receive(new Uint8Array(11));
    clock.advance(60_000);
    expect(transport.last.pings).toHaveLength(0);
    expect(session.state).toBe('open');
    await iterator.next();
    clock.advance(1000);
    expect(transport.last.pings).toHaveLength(1);
  });

  it('a new connection opened while the loops are still full starts paused', async () => {
    const { transport, clock, session } = await harness({ iteratorBuffer: marks });
    transport.last.open();
    session[Symbol.asyncIterator]();
    transport.last.receive(new Uint8Array(11));
    transport.last.end(lost);
    clock.advance(1000);
    await settle();
    transport.last.open();
    expect(transport.last.reading).toEqual(['pause']);
  });

  it('where the transport cannot pause (browsers): keeps every message and reports it', async () => {
    const transport = new FakeTransport();
    transport.pausable = false;
    const { session } = await harness({ iteratorBuffer: marks }, transport);
    const events: BackpressureInfo[] = [];
    session.on('backpressure', (info) => events.push(info));
    transport.last.open();
    const iterator = session[Symbol.asyncIterator]();
    for (let i = 0; i < 20; i++) transport.last.receive(String(i));
    expect(session.buffered.messages).toBe(20);
    expect(events).toEqual([{ messages: 5, bytes: 5, high: true, readingPaused: false }]);
    for (let i = 0; i < 20; i++) expect((await iterator.next()).value).toBe(String(i));
  });

  it('never pauses a closing connection (its answering Close must still be read)', async () => {
    const { transport, session } = await harness({ iteratorBuffer: marks });
    transport.last.open();
    session[Symbol.asyncIterator]();
    void session.close();
    transport.last.receive(new Uint8Array(11));
    expect(transport.last.reading).toEqual([]);
    expect(session.buffered.bytes).toBe(11);
  });
});
