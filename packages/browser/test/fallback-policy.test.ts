import { describe, expect, it } from 'vitest';
import { FallbackPolicy, pagePolicy } from '../src/fallback-policy.js';

describe('FallbackPolicy', () => {
  it('starts on native WebSocket', () => {
    expect(new FallbackPolicy().choose(true, 0)).toBe('websocket');
  });

  it('uses SockJS at once when the page has no WebSocket', () => {
    const policy = new FallbackPolicy();
    expect(policy.choose(false, 0)).toBe('sockjs');
    expect(policy.current).toBe('sockjs');
  });

  it('falls back after 2 failed opens with no native open yet (the default rule)', () => {
    const policy = new FallbackPolicy();
    policy.nativeFailed(0);
    expect(policy.choose(true, 0)).toBe('websocket');
    policy.nativeFailed(0);
    expect(policy.choose(true, 0)).toBe('sockjs');
  });

  it('honours a configured number of failures', () => {
    const policy = new FallbackPolicy({ failuresBeforeFallback: 3 });
    policy.nativeFailed(0);
    policy.nativeFailed(0);
    expect(policy.choose(true, 0)).toBe('websocket');
    policy.nativeFailed(0);
    expect(policy.choose(true, 0)).toBe('sockjs');
  });

  it('never falls back once native has opened on the page: later failures are outages', () => {
    const policy = new FallbackPolicy();
    policy.nativeOpened();
    for (let i = 0; i < 10; i++) policy.nativeFailed(0);
    expect(policy.choose(true, 0)).toBe('websocket');
  });

  it('an open in between resets the count', () => {
    const policy = new FallbackPolicy({ failuresBeforeFallback: 2 });
    policy.nativeFailed(0);
    policy.nativeOpened();
    policy.nativeFailed(0);
    expect(policy.choose(true, 0)).toBe('websocket');
  });

  it('probes native again once the re-probe interval has passed, and stays on SockJS after a failed probe', () => {
    const policy = new FallbackPolicy({ reprobeIntervalMs: 1000 });
    policy.nativeFailed(0);
    policy.nativeFailed(0);
    expect(policy.nextProbeAt).toBe(1000);
    expect(policy.choose(true, 999)).toBe('sockjs');
    expect(policy.choose(true, 1000)).toBe('websocket');
    policy.nativeFailed(1000);
    expect(policy.choose(true, 1500)).toBe('sockjs');
    expect(policy.nextProbeAt).toBe(2000);
    expect(policy.choose(true, 2000)).toBe('websocket');
    policy.nativeOpened();
    expect(policy.current).toBe('websocket');
    expect(policy.choose(true, 2001)).toBe('websocket');
  });

  it('never probes when the page has no WebSocket', () => {
    const policy = new FallbackPolicy({ reprobeIntervalMs: 1 });
    expect(policy.choose(false, 0)).toBe('sockjs');
    expect(policy.choose(false, 1_000_000)).toBe('sockjs');
  });

  it('pagePolicy keeps one policy per host for the page', () => {
    const a = pagePolicy('policy-test.example:1');
    expect(pagePolicy('policy-test.example:1')).toBe(a);
    expect(pagePolicy('policy-test.example:2')).not.toBe(a);
  });
});
