import { describe, expect, it } from 'vitest';
import {
  errorTaxonomy,
  isErrorCode,
  isPermanentErrorCode,
  permanentErrors,
  retryableErrors,
  type ErrorCode,
} from '../src/error-taxonomy.js';
import { KeelError } from '../src/keel-error.js';
import { SessionError, type SessionErrorCode } from '../src/session-error.js';

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

  it('is its permanent and retryable sections, which split it by `retryable`', () => {
    expect(Object.keys(errorTaxonomy).sort()).toEqual([...Object.keys(permanentErrors), ...Object.keys(retryableErrors)].sort());
    for (const [code, facts] of rows) expect(isPermanentErrorCode(code), code).toBe(!facts.retryable);
  });

  it('knows its own codes and no others', () => {
    expect(isErrorCode('ERR_INVALID_URL')).toBe(true);
    expect(isErrorCode('ECONNREFUSED')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('__proto__')).toBe(false);
    expect(isPermanentErrorCode('ERR_CONNECTION_LOST')).toBe(false);
    expect(isPermanentErrorCode('hasOwnProperty')).toBe(false);
  });
});

describe('KeelError, the base of every Keel error', () => {
  it('carries the code, the message and the close code it is given (1006, abnormal closure, by default)', () => {
    const error = new KeelError('ERR_INFLATE', 'x', 1007);
    expect([error.code, error.closeCode, error.name, error.message]).toEqual(['ERR_INFLATE', 1007, 'KeelError', 'x']);
    expect(new KeelError('ERR_CONNECT', 'x').closeCode).toBe(1006);
  });

  it('has the close code the taxonomy gives every session code when it is a SessionError', () => {
    for (const [code, facts] of rows)
      if (facts.layer === 'session') expect(new SessionError(code as SessionErrorCode, 'x').closeCode, code).toBe(facts.closeCode);
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
