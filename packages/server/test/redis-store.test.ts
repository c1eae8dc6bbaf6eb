import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '@keel/core';
import { RedisStore } from '@keel/server/redis';
import { resumable, type NotResumedInfo, type OpenInfo } from '@keel/session';
import { TcpProxy } from '../../core/test/session/helpers/tcp-proxy.js';
import { until } from '../../core/test/session/helpers/ws-server.js';
import { RedisProcess } from './helpers/redis-server.js';
import { KeelRig } from './helpers/rig.js';

// The Redis store against a real redis-server (127.0.0.1, ephemeral port): two KeelServers that
// share only Redis stand for two processes behind a load balancer.
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store on its own Redis connection, as each server process has. */
async function redisStore(redis: RedisProcess) {
  const client = new Redis(redis.url);
  cleanups.push(async () => client.quit());
  return new RedisStore(client);
}

function client(url: string) {
  const session = connect(url, {
    resume: resumable(),
    reconnect: { initialDelay: 10, maxDelay: 50 },
    heartbeat: false,
    keepProcessAlive: false,
  });
  const opens: OpenInfo[] = [];
  const notResumed: NotResumedInfo[] = [];
  const messages: string[] = [];
  session.on('open', (info) => opens.push(info));
  session.on('notResumed', (info) => notResumed.push(info));
  session.on('message', (data) => messages.push(typeof data === 'string' ? data : `binary ${[...data].join(',')}`));
  cleanups.push(() => (session.state === 'closed' ? Promise.resolve() : session.close()));
  return { session, opens, notResumed, messages };
}

describe('RedisStore (real redis-server)', () => {
  it('text and binary messages sent while the client was away are replayed by another server that shares the store', async () => {
    const redis = await RedisProcess.start();
    cleanups.push(() => redis.stop());
    const first = await KeelRig.start({ resume: { store: await redisStore(redis) } });
    const second = await KeelRig.start({ resume: { store: await redisStore(redis) } });
    cleanups.push(
      () => first.stop(),
      () => second.stop(),
    );
    const proxy = await TcpProxy.start(first.port);
    cleanups.push(() => proxy.close());
    const c = client(proxy.url);
    await until(() => c.session.state === 'open' && first.sessions.length === 1);
    proxy.refuse(true);
    proxy.cut();
    await until(() => !first.session.connected);
    first.session.send('while away');
    first.session.send(new Uint8Array([1, 2, 3]));
    proxy.targetPort = second.port;
    proxy.refuse(false);
    await until(() => c.messages.length === 2);
    expect(c.messages).toEqual(['while away', 'binary 1,2,3']);
    expect(c.opens.at(-1)).toMatchObject({ resumed: true });
    expect(second.sessions.map((s) => s.id)).toEqual([first.session.id]);
    expect(c.notResumed).toEqual([]);
  });

  it('an expired window read from Redis: notResumed with the counts the store kept', async () => {
    const redis = await RedisProcess.start();
    cleanups.push(() => redis.stop());
    const server = await KeelRig.start({ resume: { store: await redisStore(redis), windowMs: 100 } });
    cleanups.push(() => server.stop());
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const c = client(proxy.url);
    await until(() => c.session.state === 'open' && server.sessions.length === 1);
    const first = server.session;
    proxy.blackHole();
    c.session.send('lost');
    first.send('missed-1');
    first.send('missed-2');
    proxy.refuse(true);
    proxy.cut();
    await until(() => first.ended);
    proxy.refuse(false);
    await until(() => c.notResumed.length === 1 && c.session.state === 'open');
    expect(c.notResumed[0]).toEqual({ reason: 'expired', lostSent: ['lost'], unconfirmedSent: [], lostReceived: 2 });
  });
});
