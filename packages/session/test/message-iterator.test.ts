import { describe, expect, it } from 'vitest';
import { MessageIterator } from '../src/message-iterator.js';
import { SessionError } from '../src/session-error.js';

const done = { value: undefined, done: true };

describe('MessageIterator', () => {
  it('is its own async iterator', () => {
    const iterator = new MessageIterator(() => {});
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
  });

  it('buffers messages pushed between reads, in order', async () => {
    const iterator = new MessageIterator(() => {});
    iterator.push('a');
    iterator.push(new Uint8Array([1]));
    expect(await iterator.next()).toEqual({ value: 'a', done: false });
    expect(await iterator.next()).toEqual({ value: new Uint8Array([1]), done: false });
  });

  it('resolves waiting reads in order as messages arrive', async () => {
    const iterator = new MessageIterator(() => {});
    const first = iterator.next();
    const second = iterator.next();
    iterator.push('a');
    iterator.push('b');
    iterator.push('c');
    expect(await first).toEqual({ value: 'a', done: false });
    expect(await second).toEqual({ value: 'b', done: false });
    expect(await iterator.next()).toEqual({ value: 'c', done: false });
  });

  it('keeps an empty string as a message', async () => {
    const iterator = new MessageIterator(() => {});
    iterator.push('');
    iterator.end();
    expect(await iterator.next()).toEqual({ value: '', done: false });
    expect(await iterator.next()).toEqual(done);
  });

  it('on end: buffered messages are still read, then every read is done; later pushes are ignored', async () => {
    const iterator = new MessageIterator(() => {});
    iterator.push('a');
    iterator.end();
    iterator.push('b');
    iterator.end();
    expect(await iterator.next()).toEqual({ value: 'a', done: false });
    expect(await iterator.next()).toEqual(done);
    expect(await iterator.next()).toEqual(done);
  });

  it('on end: reads already waiting finish as done', async () => {
    const iterator = new MessageIterator(() => {});
    const waiting = [iterator.next(), iterator.next()];
    iterator.end();
    expect(await Promise.all(waiting)).toEqual([done, done]);
  });

  it('return() drops the buffer, detaches once, and ends', async () => {
    const detached: MessageIterator[] = [];
    const iterator = new MessageIterator((it) => detached.push(it));
    iterator.push('a');
    const waiting = new MessageIterator(() => {});
    const pending = waiting.next();
    expect(await iterator.return()).toEqual(done);
    expect(detached).toEqual([iterator]);
    iterator.push('b');
    expect(await iterator.next()).toEqual(done);
    expect(await waiting.return()).toEqual(done);
    expect(await pending).toEqual(done);
  });

  it('ends a for-await loop on end, and detaches on break', async () => {
    const detached: MessageIterator[] = [];
    const iterator = new MessageIterator((it) => detached.push(it));
    iterator.push('a');
    iterator.push('b');
    const seen: unknown[] = [];
    for await (const message of iterator) {
      seen.push(message);
      break;
    }
    expect(seen).toEqual(['a']);
    expect(detached).toEqual([iterator]);

    const ended = new MessageIterator(() => {});
    ended.push('x');
    ended.end();
    const all: unknown[] = [];
    for await (const message of ended) all.push(message);
    expect(all).toEqual(['x']);
  });

  it('on end with an error: buffered messages are still read, then one read rejects with it, later reads are done', async () => {
    const iterator = new MessageIterator(() => {});
    const failure = new SessionError('ERR_MAX_ATTEMPTS', 'gave up');
    iterator.push('a');
    iterator.end(failure);
    expect(await iterator.next()).toEqual({ value: 'a', done: false });
    await expect(iterator.next()).rejects.toBe(failure);
    expect(await iterator.next()).toEqual(done);
  });

  it('on end with an error: a read already waiting rejects with it', async () => {
    const iterator = new MessageIterator(() => {});
    const waiting = iterator.next();
    iterator.end(new SessionError('ERR_MAX_ATTEMPTS', 'gave up'));
    await expect(waiting).rejects.toThrow('gave up');
  });

  it('counts what it holds (text by length, binary by bytes) and reports every read', async () => {
    let reads = 0;
    const iterator = new MessageIterator(
      () => {},
      () => reads++,
    );
    iterator.push('héllo');
    iterator.push(new Uint8Array(3));
    expect([iterator.length, iterator.bytes]).toEqual([2, 8]);
    await iterator.next();
    expect([iterator.length, iterator.bytes, reads]).toEqual([1, 3, 1]);
    await iterator.return();
    expect([iterator.length, iterator.bytes]).toEqual([0, 0]);
  });
});
