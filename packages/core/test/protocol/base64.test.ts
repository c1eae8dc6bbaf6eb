import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/protocol/base64.js';
import { ascii } from './engine-fixtures.js';

describe('encodeBase64 (RFC 4648 §4)', () => {
  it('matches the RFC 4648 §10 test vectors', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [input, expected] of vectors) expect(encodeBase64(ascii(input))).toBe(expected);
  });

  it('encodes the RFC 6455 §4.1 sample nonce', () => {
    expect(encodeBase64(ascii('the sample nonce'))).toBe('dGhlIHNhbXBsZSBub25jZQ==');
  });

  it('uses + and / for 62 and 63', () => {
    expect(encodeBase64(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('+/+/');
  });

  it('agrees with Buffer for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }),
      { numRuns: 300 },
    );
  });
});
