import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '@keel/core';
import type { Session } from '@keel/session';
import { CloseAndHoldServer } from './helpers/close-and-hold-server.js';
import { until } from './helpers/ws-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(): Promise<CloseAndHoldServer> {
  const server = await CloseAndHoldServer.start();
  cleanups.push(() => server.stop());
  return server;
}

function track(session: Session): Session {
  cleanups.push(async () => {
    if (session.state !== 'closed') await session.close();
  });
  return session;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Issue 12 crash 1: a server sends Close and keeps TCP open; a heartbeat ping that falls due in
// that window threw ERR_INVALID_STATE from a timer (exit 1), and close()/probe() threw too.
describe('the closing window on a real connection (raw node:net server: Close, TCP kept open)', () => {
  it('heartbeat pings that fall due in the window, probe() and close() never throw; the session closes', async () => {
    const server = await start();
    const errors: unknown[] = [];
    const session = track(
      connect(server.url, { heartbeat: { interval: 20, timeout: 10_000 }, reconnect: false, websocket: { closeTimeout: 5000 } }),
    );
    session.on('error', (error) => errors.push(error));
    await until(() => server.receivedClose);
    // Several heartbeat intervals pass inside the window (an uncaught throw from a timer fails the run).
    await sleep(120);
    expect(session.state).toBe('open');
    expect(() => session.probe()).not.toThrow();
    let closing: Promise<unknown> | undefined;
    expect(() => (closing = session.close(1000, 'bye'))).not.toThrow();
    server.endAll();
    await closing;
    expect(session.state).toBe('closed');
    expect(errors).toEqual([]);
  });

  it('when the app does nothing, the session ends with the server (normal closure: the loop ends without error)', async () => {
    const server = await start();
    const session = track(connect(server.url, { heartbeat: { interval: 20, timeout: 10_000 }, websocket: { closeTimeout: 5000 } }));
    const read: unknown[] = [];
    const loop = (async () => {
      for await (const message of session) read.push(message);
    })();
    await until(() => server.receivedClose);
    await sleep(60);
    server.endAll();
    await loop;
    expect((await session.closed).code).toBe(1000);
    expect(read).toEqual([]);
  });
});
