import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageAssembler } from '../../src/protocol/message-assembler.js';
import { concat, pattern } from './engine-fixtures.js';

const allocate = (size: number): Uint8Array => new Uint8Array(size);

describe('MessageAssembler', () => {
  it('returns the only piece itself, without a copy', () => {
    const assembler = new MessageAssembler(allocate);
    const piece = pattern(10);
    assembler.add(piece);
    expect(assembler.size).toBe(10);
    expect(assembler.finish()).toBe(piece);
    expect(assembler.size).toBe(0);
  });

  it('joins many pieces once, ignoring empty ones', () => {
    const assembler = new MessageAssembler(allocate);
    const pieces = [pattern(3, 1), new Uint8Array(0), pattern(5, 2), pattern(1, 3)];
    for (const piece of pieces) assembler.add(piece);
    expect(assembler.size).toBe(9);
    expect(assembler.finish()).toEqual(concat(...pieces));
  });

  it('gives an empty message for no pieces or only empty pieces', () => {
    const assembler = new MessageAssembler(allocate);
    expect(assembler.finish()).toEqual(new Uint8Array(0));
    assembler.add(new Uint8Array(0));
    expect(assembler.finish()).toEqual(new Uint8Array(0));
  });

  it('starts afresh after finish() and after reset()', () => {
    const assembler = new MessageAssembler(allocate);
    assembler.add(pattern(4));
    assembler.add(pattern(4, 9));
    assembler.reset();
    expect(assembler.size).toBe(0);
    assembler.add(pattern(2, 5));
    expect(assembler.finish()).toEqual(pattern(2, 5));
    assembler.add(pattern(6, 6));
    expect(assembler.finish()).toEqual(pattern(6, 6));
  });

  it('assembles 65,536 pieces of 64 bytes (4 MiB) into one buffer', () => {
    const assembler = new MessageAssembler(allocate);
    const whole = pattern(4 * 1024 * 1024);
    for (let offset = 0; offset < whole.length; offset += 64) assembler.add(whole.subarray(offset, offset + 64));
    expect(assembler.size).toBe(whole.length);
    const out = assembler.finish();
    expect(Buffer.compare(out, whole)).toBe(0);
  });

  it('the joined message equals the concatenation, for any split', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }), (pieces) => {
        const assembler = new MessageAssembler(allocate);
        for (const piece of pieces) assembler.add(piece);
        const expected = concat(...pieces);
        expect(assembler.size).toBe(expected.length);
        expect(assembler.finish()).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps memory bounded for tiny pieces: no view retained, capacity at most twice the payload (issue 12)', () => {
    const assembler = new MessageAssembler(allocate);
    const chunk = pattern(300_000, 4);
    let bounded = true;
    for (let offset = 0; offset < chunk.length; offset += 3) {
      // One payload byte per 3-byte chunk, as 1-byte fragments arrive on the wire.
      assembler.add(chunk.subarray(offset, offset + 1));
      if (assembler.retainedViews > (offset === 0 ? 1 : 0) || assembler.capacity > Math.max(2 * assembler.size, 4096)) bounded = false;
    }
    expect(bounded).toBe(true);
    expect(assembler.size).toBe(100_000);
    expect(assembler.capacity).toBeLessThanOrEqual(200_000);
    const out = assembler.finish();
    expect(Array.from(out.subarray(0, 4))).toEqual([chunk[0], chunk[3], chunk[6], chunk[9]]);
  });

  it('holds a single piece as a view, and copies it once a second piece comes', () => {
    const assembler = new MessageAssembler(allocate);
    assembler.add(pattern(10));
    expect([assembler.retainedViews, assembler.capacity]).toEqual([1, 0]);
    assembler.add(pattern(10, 1));
    expect([assembler.retainedViews, assembler.capacity]).toEqual([0, 4096]);
  });

  it('keeps a large piece that fills most of its chunk as a view, copies one that is a small part of a big chunk', () => {
    const assembler = new MessageAssembler(allocate);
    const pieces = [pattern(64 * 1024, 1), pattern(64 * 1024, 2), pattern(256 * 1024, 3).subarray(0, 32 * 1024), pattern(5000, 4)];
    for (const piece of pieces) assembler.add(piece);
    // The first two and the last are views (each at least 1 KiB and a quarter of its buffer); the third is copied.
    expect([assembler.retainedViews, assembler.capacity]).toEqual([3, 32 * 1024]);
    expect(Buffer.compare(assembler.finish(), concat(...pieces))).toBe(0);
  });

  it('the joined message equals the concatenation for any mix of viewed and copied pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(6000), fc.nat(20000), fc.nat(255)), { maxLength: 30 }), (specs) => {
        const assembler = new MessageAssembler(allocate);
        // A piece of `length` bytes at the start of a chunk of at least `length` bytes.
        const pieces = specs.map(([length, extra, seed]) => pattern(length + extra, seed).subarray(0, length));
        for (const piece of pieces) assembler.add(piece);
        const expected = concat(...pieces);
        expect(assembler.size).toBe(expected.length);
        expect(assembler.capacity).toBeLessThanOrEqual(4 * expected.length + 4096);
        expect(Buffer.compare(assembler.finish(), expected)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
