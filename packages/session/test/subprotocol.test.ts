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
