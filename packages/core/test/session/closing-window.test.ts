import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '@keel/core';
import type { Session } from '@keel/session';
import { FakeClock } from '../../../session/test/helpers/fake-clock.js';
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

/**
 * The session's fake clock, counting the timer callbacks it fired: the test moves time itself, so
 * a heartbeat ping falls due in the closing window when the test says, and a throw from it throws
 * from advance(), on the test's stack.
 */
class CountingClock extends FakeClock {
  fired = 0;

  override setTimeout(callback: () => void, delayMs: number): unknown {
    return super.setTimeout(() => {
      this.fired++;
      callback();
    }, delayMs);
  }
}

/** Heartbeat interval, in ms of the fake clock. */
const INTERVAL = 20;

/**
 * Three heartbeat intervals pass in the window: the ping falls due (no other leaves while it waits
 * for its pong, which this server never sends). Before heartbeat.ts waited for the ping's deadline
 * alone, a timeout longer than the interval re-armed a 0 ms timer, which the fake clock would fire
 * forever: one interval was all this test could advance.
 */
function pingFallsDue(clock: CountingClock): void {
  const before = clock.fired;
  expect(() => clock.advance(3 * INTERVAL)).not.toThrow();
  expect(clock.fired).toBeGreaterThan(before);
}

// Issue 12 crash 1: a server sends Close and keeps TCP open; a heartbeat ping that falls due in
// that window threw ERR_INVALID_STATE from a timer (exit 1), and close()/probe() threw too.
describe('the closing window on a real connection (raw node:net server: Close, TCP kept open)', () => {
  it('heartbeat pings that fall due in the window, probe() and close() never throw; the session closes', async () => {
    const server = await start();
    const errors: unknown[] = [];
    const clock = new CountingClock();
    const session = track(
      connect(server.url, {
        heartbeat: { interval: INTERVAL, timeout: 10_000 },
        reconnect: false,
        websocket: { closeTimeout: 5000 },
        clock,
      }),
    );
    session.on('error', (error) => errors.push(error));
    await until(() => server.receivedClose);
    pingFallsDue(clock);
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
    const clock = new CountingClock();
    const session = track(
      connect(server.url, { heartbeat: { interval: INTERVAL, timeout: 10_000 }, websocket: { closeTimeout: 5000 }, clock }),
    );
    const read: unknown[] = [];
    const loop = (async () => {
      for await (const message of session) read.push(message);
    })();
    await until(() => server.receivedClose);
    pingFallsDue(clock);
    server.endAll();
    await loop;
    expect((await session.closed).code).toBe(1000);
    expect(read).toEqual([]);
  });
});
