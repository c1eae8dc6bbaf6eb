import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { MAX_CLOSE_REASON_BYTES, formatClosePayload, parseClosePayload, validateCloseArguments } from '../../src/protocol/close-payload.js';
import { ProtocolError, UsageError } from '../../src/protocol/errors.js';
import { concat, hex, thrown, utf8 } from './engine-fixtures.js';

// Which codes may be received or sent and how a reason is cut are @keel/session's close-codes.ts,
// tested in packages/session/test/close-codes.test.ts; the engine's use of them is tested here.

describe('parseClosePayload (RFC 6455 §5.5.1)', () => {
  it.each([undefined, isUtf8])('parses code and reason (isUtf8: %s)', (fast) => {
    expect(parseClosePayload(new Uint8Array(0), fast)).toEqual({ code: 1005, reason: '' });
    expect(parseClosePayload(hex('03 e8'), fast)).toEqual({ code: 1000, reason: '' });
    expect(parseClosePayload(concat(hex('0f a0'), utf8('bye \u00e9\u{1f600}')), fast)).toEqual({
      code: 4000,
      reason: 'bye \u00e9\u{1f600}',
    });
  });

  it('fails a 1-byte payload with 1002', () => {
    const error = thrown(() => parseClosePayload(hex('03')));
    expect(error).toBeInstanceOf(ProtocolError);
    expect([error.code, error.closeCode]).toEqual(['ERR_INVALID_CLOSE_PAYLOAD', 1002]);
  });

  it('fails an invalid code with 1002', () => {
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 2999, 5000]) {
      const error = thrown(() => parseClosePayload(Uint8Array.of(code >>> 8, code & 0xff)));
      expect([error.code, error.closeCode], `${code}`).toEqual(['ERR_INVALID_CLOSE_CODE', 1002]);
    }
  });

  it.each([undefined, isUtf8])('fails a reason that is not UTF-8 with 1007 (isUtf8: %s)', (fast) => {
    for (const reason of [hex('ff'), hex('ce ba ed a0 80'), hex('e2 82'), concat(utf8('x'.repeat(80)), hex('c0 af'))]) {
      const error = thrown(() => parseClosePayload(concat(hex('03 e8'), reason), fast));
      expect([error.code, error.closeCode]).toEqual(['ERR_INVALID_CLOSE_REASON', 1007]);
    }
  });
});

describe('formatClosePayload', () => {
  it('writes the code big-endian, then the reason in UTF-8', () => {
    expect(formatClosePayload(undefined)).toEqual(new Uint8Array(0));
    expect(formatClosePayload(1000)).toEqual(hex('03 e8'));
    expect(formatClosePayload(4321, 'é')).toEqual(hex('10 e1 c3 a9'));
  });
});

describe('validateCloseArguments', () => {
  it('accepts no code, 1000 and 3000-4999 with reasons up to 123 bytes', () => {
    expect(() => validateCloseArguments(undefined, undefined)).not.toThrow();
    expect(() => validateCloseArguments(undefined, '')).not.toThrow();
    expect(() => validateCloseArguments(1000, 'x'.repeat(MAX_CLOSE_REASON_BYTES))).not.toThrow();
    expect(() => validateCloseArguments(3000, '\u00e9'.repeat(61))).not.toThrow();
  });

  it('rejects bad codes, a reason without a code and reasons over 123 UTF-8 bytes', () => {
    const cases: Array<[number | undefined, string | undefined]> = [
      [999, undefined],
      [1001, undefined],
      [1005, undefined],
      [1006, undefined],
      [2999, undefined],
      [5000, undefined],
      [3000.5, undefined],
      [undefined, 'why'],
      [1000, 'x'.repeat(124)],
      [1000, '\u00e9'.repeat(62)],
    ];
    for (const [code, reason] of cases) {
      const error = thrown(() => validateCloseArguments(code, reason));
      expect(error, `${code} ${reason}`).toBeInstanceOf(UsageError);
      expect(error.code).toBe('ERR_INVALID_CLOSE_CODE_ARG');
    }
  });
});
