import { describe, expect, it } from 'vitest';
import { checkSelectedProtocol, validateProtocols } from '../src/subprotocol.js';

describe('validateProtocols', () => {
  it('accepts tokens in preference order (a string is one protocol)', () => {
    expect(validateProtocols(['v2.chat', 'v1.chat'])).toEqual(['v2.chat', 'v1.chat']);
    expect(validateProtocols('mqtt')).toEqual(['mqtt']);
    expect(validateProtocols(undefined)).toEqual([]);
  });

  it.each([[''], ['a b'], ['a,b'], ['é'], ['a/b'], ['(x)']])('rejects %j as not a token', (bad) => {
    expect(() => validateProtocols([bad])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SUBPROTOCOL' }));
  });

  it('says what was wrong and what a subprotocol may be', () => {
    const invalid = (message: string) => expect.objectContaining({ code: 'ERR_INVALID_SUBPROTOCOL', message });
    expect(() => validateProtocols(['a b'])).toThrow(invalid('subprotocol "a b" is not a token (RFC 6455 §4.1)'));
    expect(() => validateProtocols(['a', 'a'])).toThrow(invalid('subprotocol "a" is offered twice'));
    expect(() => validateProtocols(42)).toThrow(invalid('protocols must be a string or string[]; got 42'));
    expect(checkSelectedProtocol('c', ['a', 'b'])?.message).toBe('the server selected subprotocol "c", which was not offered');
  });

  it('rejects duplicates and non-strings', () => {
    expect(() => validateProtocols(['a', 'a'])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SUBPROTOCOL' }));
    expect(() => validateProtocols([1])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SUBPROTOCOL' }));
    expect(() => validateProtocols(42)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SUBPROTOCOL' }));
  });
});

describe('checkSelectedProtocol', () => {
  it('accepts an offered protocol or none, rejects anything else', () => {
    expect(checkSelectedProtocol('b', ['a', 'b'])).toBeUndefined();
    expect(checkSelectedProtocol('', ['a'])).toBeUndefined();
    expect(checkSelectedProtocol('c', ['a', 'b'])?.code).toBe('ERR_SUBPROTOCOL_MISMATCH');
    expect(checkSelectedProtocol('a', [])?.code).toBe('ERR_SUBPROTOCOL_MISMATCH');
  });
});
