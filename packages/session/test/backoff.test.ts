import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff.js';

const options = { initialDelay: 100, maxDelay: 5000, factor: 2 };

describe('backoffDelay', () => {
  it('grows the upper bound exponentially: random → 1 gives initialDelay · factor^(attempt-1)', () => {
    const top = (attempt: number) => backoffDelay(attempt, options, () => 0.999999999);
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([99, 199, 399, 799, 1599, 3199]);
  });

  it('caps every delay at maxDelay, even for huge attempt numbers', () => {
    expect(backoffDelay(7, options, () => 0.9999999)).toBe(4999);
    expect(backoffDelay(10_000, options, () => 0.9999999)).toBe(4999);
    expect(backoffDelay(10_000, options, () => 1)).toBe(5000);
  });

  it('an initialDelay of 0 stays 0 for any attempt (0 · Infinity is not NaN here)', () => {
    const zero = { initialDelay: 0, maxDelay: 5000, factor: 2 };
    expect(backoffDelay(1, zero, () => 0.5)).toBe(0);
    expect(backoffDelay(2000, zero, () => 0.5)).toBe(0);
  });

  it('applies full jitter: the delay is random · ceiling', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(200);
    expect(backoffDelay(3, options, () => 0.25)).toBe(100);
  });

  it('stays within [0, min(maxDelay, initial·factor^(n-1))] for any attempt and random value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(attempt, options, () => r);
        const ceiling = Math.min(options.maxDelay, options.initialDelay * 2 ** (attempt - 1));
        return Number.isInteger(delay) && delay >= 0 && delay <= ceiling;
      }),
    );
  });

  it('clamps a random source that strays outside [0, 1)', () => {
    expect(backoffDelay(1, options, () => -3)).toBe(0);
    expect(backoffDelay(1, options, () => 7)).toBe(100);
  });
});
