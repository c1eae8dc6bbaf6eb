import { describe, expect, it } from 'vitest';
import { MemoryStore } from '@keel/server';

describe('MemoryStore', () => {
  it('keeps what was sent until acknowledged, at most maxMessages, and the counts', async () => {
    const store = new MemoryStore({ maxMessages: 3 });
    store.create('a');
    for (let seq = 1; seq <= 5; seq++) store.append('a', seq, `m${seq}`);
    store.received('a', 7);
    expect(await store.load('a')).toEqual({ sent: 5, received: 7, expiresAt: 0, messages: ['m3', 'm4', 'm5'] });
    store.acknowledged('a', 4, 5);
    expect((await store.load('a'))?.messages).toEqual(['m5']);
    store.acknowledged('a', 5, 5);
    expect((await store.load('a'))?.messages).toEqual([]);
    expect(await store.load('unknown')).toBeUndefined();
  });

  it('forgets a session keepMs after its window closed (swept when sessions are created), never while attached', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ keepMs: 1000 }, () => now);
    store.create('old');
    store.create('held');
    store.detach('old', now + 500);
    now += 61_000;
    store.create('new');
    expect(await store.load('old')).toBeUndefined();
    expect(await store.load('held')).toMatchObject({ expiresAt: 0 });
    expect(store.size).toBe(2);
    store.discard('held');
    expect(await store.load('held')).toBeUndefined();
  });
});
