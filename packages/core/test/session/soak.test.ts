import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '@keel/core';
import { RecordingClock } from './helpers/recording-clock.js';
import { RecordingServer, until } from './helpers/ws-server.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function measure() {
  gc();
  gc();
  return { heap: process.memoryUsage().heapUsed, handles: process.getActiveResourcesInfo().length };
}

// 1,000 real connections in sequence: longer than the default per-test timeout on a busy machine.
describe('soak: 1,000 connect/drop cycles in one session', { timeout: 60_000 }, () => {
  it('keeps heap and handle counts stable', async () => {
    // The server drops every connection as soon as it has answered the handshake.
    const server = await RecordingServer.start(0, { onConnection: (ws) => setImmediate(() => ws.terminate()) });
    const clock = new RecordingClock();
    const session = connect(server.url, {
      reconnect: { initialDelay: 2, maxDelay: 4, minUptime: 0 },
      heartbeat: { interval: 1000, timeout: 1000 },
      clock,
    });
    cleanups.push(async () => {
      if (session.state !== 'closed') await session.close();
      await server.stop();
    });
    let opens = 0;
    session.on('open', () => opens++);
    const samples: Array<{ opens: number; heap: number; handles: number; timers: number; listeners: number }> = [];
    for (const mark of [200, 400, 600, 800, 1000]) {
      await until(() => opens >= mark, 60_000);
      samples.push({ opens, ...measure(), timers: clock.pending, listeners: session.listenerCount('open') });
    }
    const info = await session.close();
    expect(info.unsent).toEqual([]);
    const first = samples[0] as (typeof samples)[number];
    const last = samples.at(-1) as (typeof samples)[number];
    console.log(
      'soak samples (opens, heapUsed bytes, active handles):',
      samples.map((s) => [s.opens, s.heap, s.handles]),
    );
    // 800 cycles between the first and last sample: less than 1 KiB retained per cycle.
    expect(last.heap - first.heap).toBeLessThan(800 * 1024);
    for (const s of samples) {
      expect(Math.abs(s.handles - first.handles)).toBeLessThanOrEqual(4);
      expect(s.timers).toBeLessThanOrEqual(2);
      expect(s.listeners).toBe(1);
    }
    expect(server.connections).toBeGreaterThanOrEqual(1000);
    await until(() => clock.pending === 0);
  });
});
