import { describe, expect, it } from 'vitest';
import { errorTaxonomy, isErrorCode, type ErrorCode } from '../src/error-taxonomy.js';
import { KeelError } from '../src/keel-error.js';
import { SessionError } from '../src/session-error.js';

const rows = Object.entries(errorTaxonomy) as Array<[ErrorCode, (typeof errorTaxonomy)[ErrorCode]]>;

describe('the error taxonomy', () => {
  it.each(rows)('%s maps to a close code a failure may report (RFC 6455 §7.4.1)', (_code, facts) => {
    // 1002 protocol error, 1006 abnormal (nothing sent), 1007 bad data, 1009 too big, 1011 internal.
    expect([1002, 1006, 1007, 1009, 1011]).toContain(facts.closeCode);
    expect(['protocol', 'io', 'session', 'browser']).toContain(facts.layer);
  });

  it('fails the connection with 1002, 1007 or 1009 only for what the server sent (the protocol layer)', () => {
    for (const [code, facts] of rows) {
      if (facts.closeCode === 1002 || facts.closeCode === 1007 || facts.closeCode === 1009) expect(facts.layer, code).toBe('protocol');
    }
  });

  it('knows its own codes and no others', () => {
    expect(isErrorCode('ERR_INVALID_URL')).toBe(true);
    expect(isErrorCode('ECONNREFUSED')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('__proto__')).toBe(false);
  });
});

describe('KeelError, the base of every Keel error', () => {
  it.each(rows)('takes the close code of %s from the taxonomy unless one is given', (code, facts) => {
    const error = new KeelError(code, 'x');
    expect([error.code, error.closeCode, error.name, error.message]).toEqual([code, facts.closeCode, 'KeelError', 'x']);
    expect(new KeelError(code, 'x', 1006).closeCode).toBe(1006);
  });

  it('keeps the cause', () => {
    const cause = new Error('inner');
    expect(new KeelError('ERR_INTERNAL', 'outer', undefined, { cause }).cause).toBe(cause);
  });

  it('is the base of SessionError', () => {
    const error = new SessionError('ERR_MAX_ATTEMPTS', 'gave up');
    expect(error).toBeInstanceOf(KeelError);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.closeCode]).toEqual(['SessionError', 'ERR_MAX_ATTEMPTS', 1006]);
  });
});
