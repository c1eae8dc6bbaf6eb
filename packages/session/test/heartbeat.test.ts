import { describe, expect, it } from 'vitest';
import { decodePingSequence, encodePingSequence, Heartbeat, defaultHeartbeatOptions } from '../src/heartbeat.js';
import { FakeClock } from './helpers/fake-clock.js';

function setup(interval = 1000, timeout = 500) {
  const clock = new FakeClock();
  const pings: Array<{ sequence: number; at: number }> = [];
  const rtts: number[] = [];
  let deadAt: number | undefined;
  const heartbeat = new Heartbeat(
    clock,
    { ...defaultHeartbeatOptions, interval, timeout },
    {
      sendPing: (sequence) => pings.push({ sequence, at: clock.now() }),
      onDead: () => (deadAt = clock.now()),
      onRtt: (rtt) => rtts.push(rtt),
    },
  );
  return { clock, pings, rtts, heartbeat, dead: () => deadAt };
}

describe('Heartbeat', () => {
  it('pings every interval and measures the round trip of each pong', () => {
    const { clock, pings, rtts, heartbeat, dead } = setup();
    const start = clock.now();
    heartbeat.start();
    clock.advance(1000);
    expect(pings.map((p) => p.at - start)).toEqual([1000]);
    clock.advance(42);
    heartbeat.pong(pings[0]?.sequence);
    clock.advance(958);
    expect(pings.map((p) => p.at - start)).toEqual([1000, 2000]);
    clock.advance(7);
    heartbeat.pong(pings[1]?.sequence);
    expect(rtts).toEqual([42, 7]);
    expect(dead()).toBeUndefined();
    heartbeat.stop();
    expect(clock.pending).toBe(0);
  });

  // An interval shorter than the timeout: while a ping waits, the next wake is its deadline. It was
  // min(deadline, next ping time), a time already past, so the timer was re-armed at 0 ms until
  // the deadline (a busy loop; found by the closing-window test with a fake clock).
  it('waits for an unanswered ping without spinning when the interval is shorter than the timeout', () => {
    const { clock, pings, heartbeat, dead } = setup(100, 1000);
    const arm = clock.setTimeout.bind(clock);
    let armed = 0;
    clock.setTimeout = (callback, delayMs) => {
      armed += 1;
      if (armed > 20) throw new Error(`the heartbeat armed its timer ${armed} times`);
      return arm(callback, delayMs);
    };
    const start = clock.now();
    heartbeat.start();
    clock.advance(100);
    expect(pings.map((p) => p.at - start)).toEqual([100]);
    clock.advance(400);
    expect(armed).toBeLessThanOrEqual(3);
    // The pong comes late (after an interval): the next ping is due at once, one per round trip.
    heartbeat.pong(pings[0]?.sequence);
    clock.advance(0);
    expect(pings.map((p) => p.at - start)).toEqual([100, 500]);
    clock.advance(2000);
    expect((dead() as number) - start).toBe(1500);
    expect(armed).toBeLessThanOrEqual(6);
  });

  it('declares the link dead exactly timeout ms after an unanswered ping', () => {
    const { clock, pings, heartbeat, dead } = setup();
    const start = clock.now();
    heartbeat.start();
    clock.advance(10_000);
    expect(pings).toHaveLength(1);
    expect((dead() as number) - start).toBe(1500);
    expect(clock.pending).toBe(0);
  });

  it('detects a link that dies at any moment within interval + timeout of its death', () => {
    for (const diesAt of [0, 1, 499, 500, 999, 1000, 1001, 1700, 2999]) {
      const { clock, pings, heartbeat, dead } = setup();
      const start = clock.now();
      heartbeat.start();
      // A live peer answers every ping 5 ms later, until it dies.
      let answered = 0;
      while (dead() === undefined && clock.now() - start < 10_000) {
        clock.advance(5);
        while (answered < pings.length) {
          const ping = pings[answered++];
          if (ping !== undefined && ping.at - start + 5 <= diesAt) heartbeat.pong(ping.sequence);
        }
      }
      const detectedAfter = (dead() as number) - start - diesAt;
      expect(detectedAfter).toBeGreaterThan(0);
      expect(detectedAfter).toBeLessThanOrEqual(1000 + 500);
    }
  });

  it('counts any inbound traffic as liveness (no pong needed), without an RTT sample', () => {
    const { clock, rtts, heartbeat, dead } = setup();
    heartbeat.start();
    for (let i = 0; i < 20; i++) {
      clock.advance(300);
      heartbeat.activity();
    }
    expect(dead()).toBeUndefined();
    expect(rtts).toEqual([]);
  });

  it('ignores a pong for an older ping, which does not measure RTT but still proves liveness', () => {
    const { clock, pings, rtts, heartbeat, dead } = setup();
    heartbeat.start();
    clock.advance(1000);
    heartbeat.pong((pings[0]?.sequence ?? 0) + 99);
    clock.advance(1000);
    expect(rtts).toEqual([]);
    expect(dead()).toBeUndefined();
    expect(pings.length).toBe(2);
  });

  it('does not declare a false timeout when its timer fires late (throttled tab): it re-probes once', () => {
    const { clock, pings, heartbeat, dead } = setup();
    heartbeat.start();
    clock.advance(1000); // ping 1 sent
    // The page is frozen for a minute: wall-clock time moves, no timer runs.
    clock.jump(60_000);
    clock.advance(0); // the overdue check runs now, very late
    expect(dead()).toBeUndefined();
    expect(pings).toHaveLength(2);
    heartbeat.pong(pings[1]?.sequence);
    clock.advance(1000);
    expect(dead()).toBeUndefined();
    expect(pings).toHaveLength(3);
  });

  it('a second late and unanswered probe is conclusive', () => {
    const { clock, pings, heartbeat, dead } = setup();
    heartbeat.start();
    clock.advance(1000);
    clock.jump(60_000);
    clock.advance(0);
    expect(pings).toHaveLength(2);
    clock.jump(60_000);
    clock.advance(0);
    expect(dead()).toBeDefined();
  });

  it('probe() pings at once unless a ping is already outstanding', () => {
    const { clock, pings, heartbeat } = setup();
    heartbeat.start();
    clock.advance(100);
    heartbeat.probe();
    heartbeat.probe();
    expect(pings).toHaveLength(1);
  });

  it('interval 0 disables it', () => {
    const { clock, heartbeat } = setup(0, 500);
    heartbeat.start();
    expect(clock.pending).toBe(0);
  });

  it('encodes the sequence as a 4-byte ping payload and decodes the echo', () => {
    expect([...encodePingSequence(258)]).toEqual([0, 0, 1, 2]);
    expect(decodePingSequence(encodePingSequence(0xfffffffe))).toBe(0xfffffffe);
    expect(decodePingSequence(new Uint8Array([1, 2]))).toBeUndefined();
  });
});
