import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '@keel/core';
import type { ReconnectingInfo, Session } from '@keel/session';
import { RecordingServer, until } from './helpers/ws-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sessionsCount = 200;
const initialDelay = 100;
const maxDelay = 300;

describe('reconnect storm: 200 sessions against a server that restarts on the same port', () => {
  it('spreads the attempts (full jitter) and never waits more than maxDelay', async () => {
    const server = await RecordingServer.start();
    const sessions: Session[] = [];
    const retries: Array<{ at: number; info: ReconnectingInfo }> = [];
    const attemptsStarted: number[] = [];
    for (let i = 0; i < sessionsCount; i++) {
      const session = connect(server.url, { reconnect: { initialDelay, maxDelay, minUptime: 60_000 }, heartbeat: false });
      session.on('reconnecting', (info) => retries.push({ at: Date.now(), info }));
      session.on('state', (state, previous) => {
        if (state === 'connecting' && previous === 'reconnecting') attemptsStarted.push(Date.now());
      });
      sessions.push(session);
    }
    cleanups.push(async () => {
      await Promise.all(sessions.map((s) => s.close()));
      await server.stop();
    });
    await until(() => sessions.every((s) => s.state === 'open'), 30_000);
    expect(retries).toEqual([]);

    const down = Date.now();
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 250));
    await server.restart();
    await until(() => sessions.every((s) => s.state === 'open'), 30_000);

    // Every session lost its connection and came back.
    const firstRetries = retries.filter((r) => r.info.attempt === 1);
    expect(firstRetries).toHaveLength(sessionsCount);
    for (const { info } of retries) {
      expect(info.delay).toBeGreaterThanOrEqual(0);
      expect(info.delay).toBeLessThanOrEqual(Math.min(maxDelay, initialDelay * 2 ** (info.attempt - 1)));
    }
    // Full jitter: first-retry delays are spread over [0, initialDelay), not bunched
    // (uniform: standard deviation ≈ 0.29 · initialDelay; a fixed delay would give 0).
    const delays = firstRetries.map((r) => r.info.delay);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    const sd = Math.sqrt(delays.reduce((a, b) => a + (b - mean) ** 2, 0) / delays.length);
    expect(sd).toBeGreaterThan(0.15 * initialDelay);
    // The timestamps show it: the attempts that followed the restart fall into many 10 ms slots.
    const slots = new Set(attemptsStarted.map((t) => Math.floor((t - down) / 10)));
    expect(slots.size).toBeGreaterThanOrEqual(10);
    console.log(
      `storm: ${retries.length} reconnect attempts, first-retry delay mean ${mean.toFixed(1)} ms sd ${sd.toFixed(1)} ms, ` +
        `max delay ${Math.max(...retries.map((r) => r.info.delay))} ms, attempt starts over ${slots.size} 10-ms slots, ` +
        `${server.connections - sessionsCount} reconnections`,
    );
  });
});
