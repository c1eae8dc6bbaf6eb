import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COMPRESSION_THRESHOLD,
  resolveCompressionThreshold,
  shouldCompress,
} from '../../src/node/deflate/compression-threshold.js';

describe('compression threshold', () => {
  it('defaults to 1 KiB', () => {
    expect(DEFAULT_COMPRESSION_THRESHOLD).toBe(1024);
    expect(resolveCompressionThreshold(undefined)).toBe(1024);
  });

  it.each([
    [0, 1024, true, false],
    [1023, 1024, true, false],
    [1024, 1024, true, true],
    [1_000_000, 1024, true, true],
    [1_000_000, 1024, false, false],
    [0, 0, true, true],
    [1_000_000, Number.POSITIVE_INFINITY, true, false],
  ])('a %d-byte message with threshold %d and compress %s → %s', (size, threshold, compress, expected) => {
    expect(shouldCompress(size, threshold, compress)).toBe(expected);
  });

  it('uses the default threshold and compress=true when not given', () => {
    expect(shouldCompress(1023)).toBe(false);
    expect(shouldCompress(1024)).toBe(true);
  });

  it.each([-1, Number.NaN])('rejects a threshold of %s', (threshold) => {
    expect(() => resolveCompressionThreshold(threshold)).toThrow(/threshold must be a number of bytes/);
  });
});
