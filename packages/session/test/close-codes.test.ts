import { describe, expect, it } from 'vitest';
import {
  isReportableCloseCode,
  isValidApplicationCloseCode,
  isValidCloseReason,
  isValidReceivedCloseCode,
  MAX_CLOSE_REASON_BYTES,
  truncateCloseReason,
} from '../src/close-codes.js';

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

describe('close codes (RFC 6455 §7.4)', () => {
  it('accepts the codes a peer may send and nothing else', () => {
    const valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999];
    const invalid = [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
    for (const code of valid) expect(isValidReceivedCloseCode(code), `${code}`).toBe(true);
    for (const code of invalid) expect(isValidReceivedCloseCode(code), `${code}`).toBe(false);
  });

  it('lets an application (and a page in a browser) send 1000 and 3000-4999 only', () => {
    for (const code of [1000, 3000, 3999, 4000, 4999]) expect(isValidApplicationCloseCode(code), `${code}`).toBe(true);
    for (const code of [999, 1001, 1005, 1006, 1008, 1011, 2999, 5000, 3000.5, Number.NaN]) {
      expect(isValidApplicationCloseCode(code), `${code}`).toBe(false);
    }
  });

  it('reports what may be received plus 1005 and 1006, which are never sent (RFC 6455 §7.1.5)', () => {
    for (const code of [1000, 1005, 1006, 1014, 3000, 4999]) expect(isReportableCloseCode(code), `${code}`).toBe(true);
    for (const code of [999, 1004, 1015, 2000, 2999, 5000]) expect(isReportableCloseCode(code), `${code}`).toBe(false);
  });
});

describe('close reasons (RFC 6455 §5.5: at most 123 UTF-8 bytes)', () => {
  // One-, two-, three- and four-byte characters, and a lone surrogate (sent as U+FFFD, 3 bytes).
  const characters = ['x', '\u00e9', '\u20ac', '\u{1f600}', '\ud800'];

  it.each(characters)('cuts %j repeated past the limit on a code point boundary, as close to 123 bytes as fits', (char) => {
    const width = utf8Bytes(char);
    const long = char.repeat(200);
    const cut = truncateCloseReason(long);
    expect(cut).toBe(char.repeat(Math.floor(MAX_CLOSE_REASON_BYTES / width)));
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(utf8Bytes(cut)).toBeGreaterThan(MAX_CLOSE_REASON_BYTES - width);
    expect(isValidCloseReason(cut)).toBe(true);
    expect(isValidCloseReason(long)).toBe(false);
  });

  it('keeps a reason of exactly 123 bytes and cuts one of 124 after its last whole character', () => {
    const exact = 'x'.repeat(120) + '\u20ac';
    expect(utf8Bytes(exact)).toBe(123);
    expect(truncateCloseReason(exact)).toBe(exact);
    expect(isValidCloseReason(exact)).toBe(true);
    const over = 'x'.repeat(121) + '\u20ac';
    expect(truncateCloseReason(over)).toBe('x'.repeat(121));
    expect(isValidCloseReason(over)).toBe(false);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateCloseReason('x'.repeat(121) + '\u{1f600}');
    expect(cut).toBe('x'.repeat(121));
    expect(truncateCloseReason('')).toBe('');
  });
});
