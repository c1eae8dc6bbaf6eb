import { describe, expect, it } from 'vitest';
import { nodePrimitives } from '../src/node/node-primitives.js';

describe('nodePrimitives', () => {
  it('randomFill never hands out the same pooled bytes twice, across pool refills', () => {
    // 1,000 keys of 16 bytes span two refills of the 8 KiB pool: a reused region shows up as a repeat.
    const seen = new Set<string>();
    for (let index = 0; index < 1000; index += 1) {
      const key = new Uint8Array(16);
      nodePrimitives.randomFill(key);
      seen.add(Buffer.from(key).toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });

  it('randomFill fills requests larger than the pooled size, and only the target', () => {
    const backing = new Uint8Array(4096 + 2);
    const target = backing.subarray(1, 4097);
    nodePrimitives.randomFill(target);
    expect(backing[0]).toBe(0);
    expect(backing[4097]).toBe(0);
    expect(target.filter((byte) => byte !== 0).length).toBeGreaterThan(4000);
  });

  it('sha1 gives the Sec-WebSocket-Accept of the RFC 6455 §1.3 example', () => {
    const digest = nodePrimitives.sha1(Buffer.from('dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11', 'latin1'));
    expect(Buffer.from(digest).toString('base64')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});
