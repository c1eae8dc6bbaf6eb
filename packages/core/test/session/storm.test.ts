import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { connect } from '@keel/core';
import type { ReconnectingInfo, Session } from '@keel/session';
import { seededRandom, testSeed } from './helpers/seeded-random.js';
import { RecordingServer, until } from './helpers/ws-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sessionsCount = 200;
const initialDelay = 100;
const maxDelay = 300;

/** One session of the storm, with the random numbers it drew and the retries it reported. */
interface Client {
  readonly session: Session;
  readonly draws: number[];
  readonly retries: ReconnectingInfo[];
}

describe('reconnect storm: 200 sessions against a server that restarts on the same port', () => {
  // 200 real connections, twice, on a shared 2-core machine: more than the default per-test timeout.
  it(
    "spreads the attempts (full jitter from each session's random source) and never waits more than maxDelay",
    { timeout: 60_000 },
    async () => {
      const seed = testSeed();
      onTestFailed(() => console.error(`storm: seed ${seed} (replay with KEEL_TEST_SEED=${seed})`));
      const random = seededRandom(seed);
      const server = await RecordingServer.start();
      const clients: Client[] = [];
      const attemptsStarted: number[] = [];
      for (let i = 0; i < sessionsCount; i++) {
        const draws: number[] = [];
        const retries: ReconnectingInfo[] = [];
        const session = connect(server.url, {
          reconnect: { initialDelay, maxDelay, minUptime: 60_000 },
          heartbeat: false,
          random: () => {
            const draw = random();
            draws.push(draw);
            return draw;
          },
        });
        session.on('reconnecting', (info) => retries.push(info));
        session.on('state', (state, previous) => {
          if (state === 'connecting' && previous === 'reconnecting') attemptsStarted.push(Date.now());
        });
        clients.push({ session, draws, retries });
      }
      const sessions = clients.map((client) => client.session);
      cleanups.push(async () => {
        await Promise.all(sessions.map((s) => s.close()));
        await server.stop();
      });
      await until(() => sessions.every((s) => s.state === 'open'), 30_000);
      expect(clients.flatMap((client) => client.retries)).toEqual([]);

      const down = Date.now();
      await server.stop();
      // The server comes back once every session's first retry was refused (each has scheduled its
      // second), so the delays of attempts 1 and 2 (ceilings 100 and 200 ms) are both exercised.
      await until(() => clients.every((client) => client.retries.length >= 2), 30_000);
      await server.restart();
      await until(() => sessions.every((s) => s.state === 'open'), 30_000);

      for (const { draws, retries } of clients) {
        // Every session lost its connection and came back: attempts count 1, 2, … with no gap.
        expect(retries.map((info) => info.attempt)).toEqual(retries.map((_, index) => index + 1));
        // Full jitter: each delay is the session's own draw times the capped exponential ceiling
        // (the random source is used for nothing else), so the crowd spreads as the draws do.
        expect(draws).toHaveLength(retries.length);
        retries.forEach((info, index) => {
          const ceiling = Math.min(maxDelay, initialDelay * 2 ** (info.attempt - 1));
          expect(info.delay).toBe(Math.floor(ceiling * (draws[index] ?? Number.NaN)));
          expect(info.delay).toBeLessThanOrEqual(maxDelay);
        });
      }

      // Figures, not assertions: how the first retries and the attempt starts spread out.
      const delays = clients.map((client) => client.retries[0]?.delay ?? 0);
      const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
      const sd = Math.sqrt(delays.reduce((a, b) => a + (b - mean) ** 2, 0) / delays.length);
      const slots = new Set(attemptsStarted.map((t) => Math.floor((t - down) / 10)));
      const retries = clients.flatMap((client) => client.retries);
      console.log(
        `storm (seed ${seed}): ${retries.length} reconnect attempts, first-retry delay mean ${mean.toFixed(1)} ms sd ${sd.toFixed(1)} ms, ` +
          `max delay ${Math.max(...retries.map((r) => r.delay))} ms, attempt starts over ${slots.size} 10-ms slots, ` +
          `${server.connections - sessionsCount} reconnections`,
      );
    },
  );
});
