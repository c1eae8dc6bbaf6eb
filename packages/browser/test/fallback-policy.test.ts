import { describe, expect, it } from 'vitest';
import { FallbackPolicy, pagePolicy } from '../src/fallback-policy.js';

describe('FallbackPolicy', () => {
  it('starts on native WebSocket', () => {
    expect(new FallbackPolicy().choose(true, 0)).toBe('websocket');
  });

  it('uses SockJS at once when the page has no WebSocket', () => {
    const policy = new FallbackPolicy();
    expect(policy.choose(false, 0)).toBe('sockjs');
    // And stays on it: a failed native open is now a failed probe, which postpones the next one.
    expect(policy.nativeFailed(0)).toBe(false);
    expect(policy.nextProbeAt).toBe(300_000);
  });

  it('asks for evidence after 2 failed opens with no native open yet, and falls back only on it (the default rule)', () => {
    const policy = new FallbackPolicy();
    expect(policy.nativeFailed(0)).toBe(false);
    expect(policy.choose(true, 0)).toBe('websocket');
    expect(policy.nativeFailed(0)).toBe(true);
    // The failures alone switch nothing: a server that is down fails the same way.
    expect(policy.choose(true, 0)).toBe('websocket');
    policy.evidence(true, 0);
    expect(policy.choose(true, 0)).toBe('sockjs');
  });

  it('without evidence stays on native and counts the failures afresh', () => {
    const policy = new FallbackPolicy();
    policy.nativeFailed(0);
    expect(policy.nativeFailed(0)).toBe(true);
    // A failure while the look is under way counts toward the next look only.
    expect(policy.nativeFailed(0)).toBe(false);
    policy.evidence(false, 0);
    expect(policy.choose(true, 0)).toBe('websocket');
    expect(policy.nativeFailed(0)).toBe(true);
  });

  it('honours a configured number of failures', () => {
    const policy = new FallbackPolicy({ failuresBeforeFallback: 3 });
    expect([policy.nativeFailed(0), policy.nativeFailed(0), policy.nativeFailed(0)]).toEqual([false, false, true]);
  });

  it('never falls back once native has opened on the page: later failures are outages', () => {
    const policy = new FallbackPolicy();
    policy.nativeOpened();
    for (let i = 0; i < 10; i++) expect(policy.nativeFailed(0)).toBe(false);
    expect(policy.choose(true, 0)).toBe('websocket');
  });

  it('evidence that arrives after a native open switches nothing', () => {
    const policy = new FallbackPolicy();
    policy.nativeFailed(0);
    policy.nativeFailed(0);
    policy.nativeOpened();
    policy.evidence(true, 0);
    expect(policy.choose(true, 0)).toBe('websocket');
  });

  it('an open in between resets the count', () => {
    const policy = new FallbackPolicy({ failuresBeforeFallback: 2 });
    policy.nativeFailed(0);
    policy.nativeOpened();
    expect(policy.nativeFailed(0)).toBe(false);
    expect(policy.choose(true, 0)).toBe('websocket');
  });

  it('probes native again once the re-probe interval has passed, and stays on SockJS after a failed probe', () => {
    const policy = new FallbackPolicy({ reprobeIntervalMs: 1000 });
    policy.nativeFailed(0);
    policy.nativeFailed(0);
    policy.evidence(true, 0);
    expect(policy.nextProbeAt).toBe(1000);
    expect(policy.choose(true, 999)).toBe('sockjs');
    expect(policy.choose(true, 1000)).toBe('websocket');
    policy.nativeFailed(1000);
    expect(policy.choose(true, 1500)).toBe('sockjs');
    expect(policy.nextProbeAt).toBe(2000);
    expect(policy.choose(true, 2000)).toBe('websocket');
    policy.nativeOpened();
    // Back on native: a failure now is an outage, not a failed probe that would return to SockJS.
    expect(policy.nativeFailed(2001)).toBe(false);
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
