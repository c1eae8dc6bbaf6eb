import { describe, expect, it } from 'vitest';
import { tuning } from '../../src/protocol/config.js';
import { nodePrimitives } from '../../src/node/node-primitives.js';

/** nodePrimitives.allocate: the slab allocator behind the engine's medium buffers (node-primitives.ts). */

const { allocationSlabSize, allocationSlabMin, allocationSlabMax } = tuning;

function overlaps(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

describe('slab allocator (nodePrimitives.allocate)', () => {
  it('gives each size exactly the bytes asked for, as a Buffer', () => {
    for (const size of [0, 1, allocationSlabMin - 1, allocationSlabMin, allocationSlabMax, allocationSlabMax + 1]) {
      const buffer = nodePrimitives.allocate(size);
      expect(Buffer.isBuffer(buffer)).toBe(true);
      expect(buffer.length).toBe(size);
    }
  });

  it('carves consecutive medium buffers from one slab, 8-byte aligned and back to back', () => {
    // A fresh slab may start with the first one: allocate until two share a slab (at most twice).
    let first = nodePrimitives.allocate(allocationSlabMin + 1);
    let second = nodePrimitives.allocate(allocationSlabMin + 3);
    if (first.buffer !== second.buffer) {
      first = second;
      second = nodePrimitives.allocate(allocationSlabMin + 3);
    }
    expect(second.buffer).toBe(first.buffer);
    expect(first.buffer.byteLength).toBe(allocationSlabSize);
    expect(second.byteOffset % 8).toBe(0);
    expect(second.byteOffset).toBe(first.byteOffset + Math.ceil(first.byteLength / 8) * 8);
  });

  it('never hands out overlapping views, and starts a new slab when one is full', () => {
    const count = Math.ceil((2 * allocationSlabSize) / allocationSlabMax) + 1;
    const views = Array.from({ length: count }, () => nodePrimitives.allocate(allocationSlabMax));
    for (let i = 0; i < views.length; i += 1) {
      const view = views[i] as Uint8Array;
      expect(view.byteOffset + view.byteLength).toBeLessThanOrEqual(allocationSlabSize);
      for (let j = i + 1; j < views.length; j += 1) expect(overlaps(view, views[j] as Uint8Array)).toBe(false);
    }
    expect(new Set(views.map((view) => view.buffer)).size).toBeGreaterThanOrEqual(2);
    // Writes to one view leave its neighbours alone.
    for (const [index, view] of views.entries()) view.fill(index);
    for (const [index, view] of views.entries()) expect(view.every((byte) => byte === index)).toBe(true);
  });

  it('allocates small buffers outside the slab (Node pool) and large ones alone', () => {
    const small = nodePrimitives.allocate(allocationSlabMin - 1);
    expect(small.buffer.byteLength).not.toBe(allocationSlabSize);
    const large = nodePrimitives.allocate(allocationSlabMax + 1);
    expect(large.byteOffset).toBe(0);
    expect(large.buffer.byteLength).toBe(allocationSlabMax + 1);
  });
});
