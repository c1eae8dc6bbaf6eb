import { getEventListeners } from 'node:events';
import type net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectDeadline } from '../../src/node/connectivity/connect-deadline.js';
import { ConnectStageError, type ConnectStage } from '../../src/node/connectivity/connectivity-errors.js';
import { openConnection, type ConnectivityOptions } from '../../src/node/connectivity/open-connection.js';
import { connectTcp } from '../../src/node/connectivity/tcp-connect.js';
import { startConnectProxy } from './helpers/connect-proxy.js';
import { openTcpSockets, settleCount, stableCount } from './helpers/open-handles.js';
import { startSilentServer, startTcpEchoOrigin } from './helpers/origins.js';
import { tlsFixtures } from './helpers/tls-fixtures.js';

// Captured before any test fakes the clock: until() polls real I/O progress on real time.
const realSetTimeout = globalThis.setTimeout;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await settleCount(openTcpSockets, 0);
});

/** A DNS lookup that never answers, and a promise that says it was asked. */
function stalledLookup(): { lookup: net.LookupFunction; asked: Promise<void> } {
  let markAsked: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => {
    markAsked = resolve;
  });
  return { lookup: () => markAsked(), asked };
}

/** Waits (at most 500 turns of 10 ms, real time even under a fake clock) until `condition()` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500 && !condition(); turn += 1) await new Promise((resolve) => realSetTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

/**
 * A fake clock for setTimeout/clearTimeout while sockets stay real: the deadline's timer runs only
 * when the test moves time (vi.advanceTimersByTime). The afterEach restores the real clock.
 */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
}

/** Settles with `promise`'s outcome as `'pending'`, `'resolved'` or `'rejected'` once queued work ran. */
async function state(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let result: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => (result = 'resolved'),
    () => (result = 'rejected'),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return result;
}

async function failed(promise: Promise<unknown>): Promise<ConnectStageError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectStageError);
    return error as ConnectStageError;
  }
  throw new Error('expected the attempt to fail');
}

const noEnv: ConnectivityOptions = { env: {} };

/**
 * Starts an attempt, waits until it is stalled in the expected stage, aborts it, and checks the
 * error names that stage and every socket the attempt opened is closed.
 */
async function abortDuring(
  expected: ConnectStage,
  start: (deadline: ConnectDeadline) => Promise<unknown>,
  stalled: () => Promise<void>,
): Promise<void> {
  const before = await stableCount(openTcpSockets);
  const controller = new AbortController();
  const deadline = new ConnectDeadline({ signal: controller.signal });
  // Should an expectation below fail, the attempt is still ended and its failure observed.
  cleanups.push(() => controller.abort());
  const attempt = start(deadline);
  attempt.catch(() => undefined);
  await stalled();
  await until(() => deadline.stage === expected);
  expect(openTcpSockets()).toBeGreaterThan(before);
  const reason = new Error('user gave up');
  controller.abort(reason);
  const error = await failed(attempt);
  deadline.finish();
  expect(error).toMatchObject({ code: 'ERR_ABORTED', stage: expected, cause: reason });
  expect(await settleCount(openTcpSockets, before)).toBe(before);
}

describe('abort at each stage leaves no socket open', () => {
  it('lookup', async () => {
    const { lookup, asked } = stalledLookup();
    await abortDuring(
      'lookup',
      (deadline) => openConnection(new URL('ws://stalled.test/'), { ...noEnv, lookup }, deadline),
      () => asked,
    );
  });

  it('tcp', async () => {
    const origin = await startTcpEchoOrigin();
    cleanups.push(() => origin.close());
    // A connect to 127.0.0.1 completes on a later turn of the event loop: abort before it does.
    await abortDuring(
      'tcp',
      (deadline) => connectTcp({ host: '127.0.0.1', port: origin.port, deadline }),
      async () => undefined,
    );
  });

  it('proxy-tls (TLS to an https:// proxy)', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    await abortDuring(
      'proxy-tls',
      (deadline) =>
        openConnection(
          new URL('wss://localhost:9/'),
          { ...noEnv, proxy: `https://localhost:${silent.port}`, proxyTls: { ca: tlsFixtures.ca } },
          deadline,
        ),
      () => silent.accepted,
    );
  });

  it('proxy (waiting for the answer to CONNECT)', async () => {
    const proxy = await startConnectProxy({ mode: 'silent' });
    cleanups.push(() => proxy.close());
    await abortDuring(
      'proxy',
      (deadline) => openConnection(new URL('wss://localhost:9/'), { ...noEnv, proxy: proxy.url }, deadline),
      () => until(() => proxy.requests.length === 1),
    );
  });

  it('tls (TLS to the origin)', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    await abortDuring(
      'tls',
      (deadline) => openConnection(new URL(`wss://127.0.0.1:${silent.port}/`), { ...noEnv, ca: tlsFixtures.ca }, deadline),
      () => silent.accepted,
    );
  });

  it('tls inside a proxy tunnel', async () => {
    const silent = await startSilentServer();
    const proxy = await startConnectProxy();
    cleanups.push(
      () => silent.close(),
      () => proxy.close(),
    );
    await abortDuring(
      'tls',
      (deadline) =>
        openConnection(new URL(`wss://localhost:${silent.port}/`), { ...noEnv, proxy: proxy.url, ca: tlsFixtures.ca }, deadline),
      () => silent.accepted,
    );
    expect(proxy.tunnels).toBe(1);
  });

  it('handshake (the caller races its handshake on the same deadline)', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    await abortDuring(
      'handshake',
      async (deadline) => {
        const { socket } = await openConnection(new URL(`ws://127.0.0.1:${silent.port}/`), noEnv, deadline);
        socket.write('GET / HTTP/1.1\r\n\r\n');
        // The silent server never answers the handshake.
        await deadline.race('handshake', new Promise<never>(() => undefined));
      },
      () => until(() => silent.connections === 1),
    );
  });
});

describe('one deadline covers all stages', () => {
  it('times out in the stage it reached, at the timeout and not before, closing its sockets', async () => {
    const proxy = await startConnectProxy({ mode: 'silent' });
    cleanups.push(() => proxy.close());
    const before = await stableCount(openTcpSockets);
    fakeClock();
    const deadline = new ConnectDeadline({ timeout: 1_000 });
    const attempt = openConnection(new URL('wss://localhost:9/'), { ...noEnv, proxy: proxy.url }, deadline);
    await until(() => proxy.requests.length === 1);
    vi.advanceTimersByTime(999);
    expect(await state(attempt)).toBe('pending');
    vi.advanceTimersByTime(1);
    const error = await failed(attempt);
    deadline.finish();
    expect(error).toMatchObject({ code: 'ERR_CONNECT_TIMEOUT', stage: 'proxy' });
    expect(error.message).toContain('1000 ms');
    expect(proxy.requests).toHaveLength(1);
    vi.useRealTimers(); // settleCount polls on real time
    expect(await settleCount(openTcpSockets, before)).toBe(before);
  });

  it('times out in TLS after the earlier stages used part of the time (one deadline, not one per stage)', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    fakeClock();
    // The lookup answers when the test says so, after 600 of the 1,000 ms have passed in it.
    let answer: (() => void) | undefined;
    const lookup = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      answer = () => (options.all === true ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4));
    }) as unknown as net.LookupFunction;
    const deadline = new ConnectDeadline({ timeout: 1_000 });
    const attempt = openConnection(new URL(`wss://stalled.test:${silent.port}/`), { ...noEnv, lookup, ca: tlsFixtures.ca }, deadline);
    await until(() => answer !== undefined);
    expect(deadline.stage).toBe('lookup');
    vi.advanceTimersByTime(600);
    answer?.();
    await silent.accepted;
    await until(() => deadline.stage === 'tls');
    vi.advanceTimersByTime(399);
    expect(await state(attempt)).toBe('pending');
    vi.advanceTimersByTime(1);
    const error = await failed(attempt);
    deadline.finish();
    expect(error).toMatchObject({ code: 'ERR_CONNECT_TIMEOUT', stage: 'tls' });
  });

  it('an already aborted signal fails before any socket is created', async () => {
    const before = await stableCount(openTcpSockets);
    const deadline = new ConnectDeadline({ signal: AbortSignal.abort(new Error('too late')) });
    const error = await failed(openConnection(new URL('ws://127.0.0.1:9/'), noEnv, deadline));
    expect(error).toMatchObject({ code: 'ERR_ABORTED', stage: 'lookup' });
    expect(deadline.signal.aborted).toBe(true);
    expect(openTcpSockets()).toBe(before);
  });

  it('after finish(), neither the timer nor the signal touch the opened socket', async () => {
    const origin = await startTcpEchoOrigin();
    cleanups.push(() => origin.close());
    const controller = new AbortController();
    fakeClock();
    const deadline = new ConnectDeadline({ timeout: 300, signal: controller.signal });
    const { socket } = await openConnection(new URL(`ws://127.0.0.1:${origin.port}/`), noEnv, deadline);
    cleanups.push(() => {
      socket.destroy();
    });
    expect(vi.getTimerCount()).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    deadline.finish();
    // Nothing is left armed: no timer, no abort listener; running the clock past the timeout and
    // aborting change nothing.
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    vi.advanceTimersByTime(10 * 300);
    controller.abort();
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.destroyed).toBe(false);
    expect(deadline.failure).toBeUndefined();
    expect(deadline.signal.aborted).toBe(false);
  });

  it('race() after the deadline fired rejects at once and destroys what is tracked late', async () => {
    const controller = new AbortController();
    const deadline = new ConnectDeadline({ signal: controller.signal });
    controller.abort();
    await expect(deadline.race('handshake', Promise.resolve(1))).rejects.toMatchObject({ code: 'ERR_ABORTED', stage: 'lookup' });
    let destroyed = false;
    deadline.track({ destroy: () => (destroyed = true) });
    expect(destroyed).toBe(true);
    expect(() => deadline.throwIfFailed()).toThrow(ConnectStageError);
    deadline.finish();
  });

  it('abort() fails a pending race like the signal would, destroys what is tracked, and is a no-op after finish()', async () => {
    const deadline = new ConnectDeadline();
    let destroyed = false;
    deadline.track({ destroy: () => (destroyed = true) });
    const pending = deadline.race('tcp', new Promise<never>(() => undefined));
    const reason = new Error('close() before open');
    deadline.abort(reason);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_ABORTED', stage: 'tcp', cause: reason });
    expect(destroyed).toBe(true);
    expect(deadline.signal.aborted).toBe(true);
    deadline.finish();

    const finished = new ConnectDeadline();
    finished.finish();
    finished.abort(reason);
    expect(finished.failure).toBeUndefined();
  });

  it('rejects a nonsensical timeout', () => {
    expect(() => new ConnectDeadline({ timeout: -1 })).toThrow(RangeError);
    expect(() => new ConnectDeadline({ timeout: Number.NaN })).toThrow(RangeError);
  });
});
