import { describe, expect, it } from 'vitest';
import { decodeLatin1, encodeLatin1 } from '../../src/protocol/ascii.js';

describe('encodeLatin1 / decodeLatin1 (HTTP header text, RFC 9110 §5.5)', () => {
  it('maps each UTF-16 unit to one byte', () => {
    expect(Array.from(encodeLatin1('GET / HTTP/1.1\r\n'))).toEqual([
      0x47, 0x45, 0x54, 0x20, 0x2f, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31, 0x0d, 0x0a,
    ]);
    expect(Array.from(encodeLatin1('\u00e9\u00ff'))).toEqual([0xe9, 0xff]);
    expect(encodeLatin1('')).toEqual(new Uint8Array(0));
  });

  it('decodes every byte value back to the same code unit', () => {
    const all = Uint8Array.from({ length: 256 }, (_, index) => index);
    const text = decodeLatin1(all);
    expect(text.length).toBe(256);
    for (let index = 0; index < 256; index += 1) expect(text.charCodeAt(index)).toBe(index);
    expect(encodeLatin1(text)).toEqual(all);
  });

  it('decodes a range of the buffer', () => {
    expect(decodeLatin1(encodeLatin1('xxHELLOyy'), 2, 7)).toBe('HELLO');
  });

  it('decodes inputs far larger than one slice without overflowing the stack', () => {
    const size = 300_000;
    const bytes = Uint8Array.from({ length: size }, (_, index) => 0x41 + (index % 26));
    const text = decodeLatin1(bytes);
    expect(text.length).toBe(size);
    expect(text.slice(4090, 4100)).toBe(Buffer.from(bytes.subarray(4090, 4100)).toString('latin1'));
    expect(text).toBe(Buffer.from(bytes).toString('latin1'));
  });
});
