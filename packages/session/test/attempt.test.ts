import { describe, expect, it } from 'vitest';
import { Attempt } from '../src/attempt.js';
import { defaultHeartbeatOptions, Heartbeat } from '../src/heartbeat.js';
import { FakeClock } from './helpers/fake-clock.js';
import { FakeTransport } from './helpers/fake-transport.js';

describe('Attempt', () => {
  it('stayed open only once it opened, for at least the given time', () => {
    const attempt = new Attempt();
    // Never opened: not even a minUptime of 0 counts it as a connection that stayed up.
    expect(attempt.stayedOpen(1000, 0)).toBe(false);
    attempt.open(1000, true);
    expect(attempt.stayedOpen(1999, 1000)).toBe(false);
    expect(attempt.stayedOpen(2000, 1000)).toBe(true);
  });

  it('expects a keel:hello as the first message unless a resume handshake read it', () => {
    const plain = new Attempt();
    plain.open(0, true);
    const resumed = new Attempt();
    resumed.open(0, false);
    expect([plain.awaitingHello, resumed.awaitingHello]).toEqual([true, false]);
  });

  it('ends: its heartbeat stops (no timer left) and its connection is let go', () => {
    const clock = new FakeClock();
    const attempt = new Attempt();
    attempt.connection = new FakeTransport().open(
      { url: 'ws://x/', protocols: [], headers: {} },
      { onOpen() {}, onMessage() {}, onClose() {} },
    );
    attempt.heartbeat = new Heartbeat(clock, defaultHeartbeatOptions, { sendPing() {}, onDead() {}, onRtt() {} });
    attempt.heartbeat.start();
    expect(clock.pending).toBe(1);
    attempt.end();
    expect([attempt.ended, attempt.connection, attempt.heartbeat, clock.pending]).toEqual([true, undefined, undefined, 0]);
  });
});
