import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameParser, type FrameHeader, type FrameSink } from '../../src/protocol/frame-parser.js';
import { chunkAt, concat, hex, oneByteAtATime, pattern, serverFrame, split, toHex } from './engine-fixtures.js';

type Record = { start: FrameHeader } | { payload: string } | { end: true };

/** Records what the parser reports; payload pieces are merged per frame so any chunking compares equal. */
class RecordingSink implements FrameSink {
  readonly records: Record[] = [];
  /** Stop (return false) at the n-th call of the named method. */
  constructor(private readonly stopAt?: { method: 'start' | 'payload' | 'end'; call: number }) {}
  private calls = { start: 0, payload: 0, end: 0 };
  private pieces: Uint8Array[] = [];

  frameStart(header: FrameHeader): boolean {
    this.records.push({ start: header });
    return this.proceed('start');
  }

  framePayload(piece: Uint8Array): boolean {
    this.pieces.push(piece.slice());
    return this.proceed('payload');
  }

  frameEnd(): boolean {
    this.flushPayload();
    this.records.push({ end: true });
    return this.proceed('end');
  }

  /** Payload seen so far of a frame not yet ended (a parser stopped mid-frame). */
  flushPayload(): void {
    if (this.pieces.length > 0) this.records.push({ payload: show(concat(...this.pieces)) });
    this.pieces = [];
  }

  private proceed(method: 'start' | 'payload' | 'end'): boolean {
    this.calls[method] += 1;
    return !(this.stopAt?.method === method && this.stopAt.call === this.calls[method]);
  }
}

/** Small payloads as hex, large ones as length and SHA-1 (fast to compare, still exact). */
function show(bytes: Uint8Array): string {
  return bytes.length <= 512 ? toHex(bytes) : `${bytes.length} bytes, sha1 ${createHash('sha1').update(bytes).digest('hex')}`;
}

function parse(chunks: readonly Uint8Array[], stopAt?: { method: 'start' | 'payload' | 'end'; call: number }): Record[] {
  const sink = new RecordingSink(stopAt);
  const parser = new FrameParser(sink);
  for (const chunk of chunks) parser.push(chunk);
  sink.flushPayload();
  return sink.records;
}

/** Parses whole, split at every boundary and byte by byte; all must agree. */
function parseEverySplit(bytes: Uint8Array, stopAt?: { method: 'start' | 'payload' | 'end'; call: number }): Record[] {
  const whole = parse([bytes], stopAt);
  for (let cut = 1; cut < bytes.length; cut += 1) expect(parse(split(bytes, cut), stopAt), `split at ${cut}`).toEqual(whole);
  expect(parse(oneByteAtATime(bytes), stopAt), 'one byte at a time').toEqual(whole);
  return whole;
}

function header(fields: Partial<FrameHeader> & { opcode: number; length: number }): FrameHeader {
  return { fin: true, rsv1: false, rsv2: false, rsv3: false, masked: false, lengthTopBitSet: false, ...fields };
}

describe('FrameParser (RFC 6455 §5.2)', () => {
  it('parses the §5.7 single-frame unmasked text "Hello"', () => {
    expect(parseEverySplit(hex('81 05 48 65 6c 6c 6f'))).toEqual([
      { start: header({ opcode: 1, length: 5 }) },
      { payload: '48 65 6c 6c 6f' },
      { end: true },
    ]);
  });

  it('parses the §5.7 masked "Hello" header (unmasking is not its job: a client fails it at the header)', () => {
    expect(parseEverySplit(hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'))).toEqual([
      { start: header({ opcode: 1, length: 5, masked: true }) },
      { payload: '7f 9f 4d 51 58' },
      { end: true },
    ]);
  });

  it('parses the §5.7 fragmented "Hel" + "lo" and the unmasked Ping', () => {
    expect(parseEverySplit(hex('01 03 48 65 6c  80 02 6c 6f  89 05 48 65 6c 6c 6f'))).toEqual([
      { start: header({ opcode: 1, length: 3, fin: false }) },
      { payload: '48 65 6c' },
      { end: true },
      { start: header({ opcode: 0, length: 2 }) },
      { payload: '6c 6f' },
      { end: true },
      { start: header({ opcode: 9, length: 5 }) },
      { payload: '48 65 6c 6c 6f' },
      { end: true },
    ]);
  });

  it('parses the 16-bit length form: 256 bytes (82 7E 01 00)', () => {
    const payload = pattern(256);
    const bytes = concat(hex('82 7e 01 00'), payload);
    expect(parse([bytes])).toEqual([{ start: header({ opcode: 2, length: 256 }) }, { payload: show(payload) }, { end: true }]);
    // Every split of the header and the first payload bytes (the rest of the split points only cut the payload).
    for (let cut = 1; cut < 12; cut += 1) expect(parse(split(bytes, cut)), `split at ${cut}`).toEqual(parse([bytes]));
  });

  it('parses the 64-bit length form: 64 KiB (82 7F 00 00 00 00 00 01 00 00)', () => {
    const payload = pattern(65_536);
    const bytes = concat(hex('82 7f 00 00 00 00 00 01 00 00'), payload);
    const expected = [{ start: header({ opcode: 2, length: 65_536 }) }, { payload: show(payload) }, { end: true }];
    expect(parse([bytes])).toEqual(expected);
    for (let cut = 1; cut < 16; cut += 1) expect(parse(split(bytes, cut)), `split at ${cut}`).toEqual(expected);
    expect(parse([bytes.slice(0, 40_000), bytes.slice(40_000)])).toEqual(expected);
  });

  it('reads the length-form boundaries 125, 126, 65535, 65536', () => {
    for (const length of [0, 125, 126, 65_535, 65_536]) {
      const bytes = serverFrame({ opcode: 2, payload: pattern(length) });
      const records = parse([bytes]);
      expect(records[0], `${length}`).toEqual({ start: header({ opcode: 2, length }) });
      expect(records.at(-1)).toEqual({ end: true });
    }
  });

  it('reports a 64-bit length with the top bit set, and keeps its value', () => {
    const records = parse([hex('82 ff 80 00 00 00 00 00 00 01 01 02 03 04')], { method: 'start', call: 1 });
    expect(records).toEqual([{ start: header({ opcode: 2, length: 2 ** 63 + 1, masked: true, lengthTopBitSet: true }) }]);
  });

  it('reports 2^53 + 1 and larger lengths without the top bit as huge numbers', () => {
    const records = parse([hex('82 7f 7f ff ff ff ff ff ff ff')], { method: 'start', call: 1 });
    expect(records).toEqual([{ start: header({ opcode: 2, length: 0x7fffffff * 2 ** 32 + 0xffffffff }) }]);
    expect((records[0] as { start: FrameHeader }).start.length).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
  });

  it('reports each flag bit and opcode', () => {
    expect(parseEverySplit(hex('f3 00  4b 00  2c 00  1d 00'))).toEqual([
      { start: header({ opcode: 3, length: 0, rsv1: true, rsv2: true, rsv3: true }) },
      { end: true },
      { start: header({ opcode: 0xb, length: 0, fin: false, rsv1: true }) },
      { end: true },
      { start: header({ opcode: 0xc, length: 0, fin: false, rsv2: true }) },
      { end: true },
      { start: header({ opcode: 0xd, length: 0, fin: false, rsv3: true }) },
      { end: true },
    ]);
  });

  it('stops for good when the sink returns false, at a header, a payload piece or a frame end', () => {
    const bytes = hex('81 02 68 69  82 01 ff  89 00');
    expect(parseEverySplit(bytes, { method: 'start', call: 2 })).toEqual([
      { start: header({ opcode: 1, length: 2 }) },
      { payload: '68 69' },
      { end: true },
      { start: header({ opcode: 2, length: 1 }) },
    ]);
    expect(parseEverySplit(bytes, { method: 'end', call: 1 })).toEqual([
      { start: header({ opcode: 1, length: 2 }) },
      { payload: '68 69' },
      { end: true },
    ]);
    // Stopped at the first payload piece: nothing after it, whatever the chunking.
    const stoppedInPayload = parse([bytes], { method: 'payload', call: 1 });
    expect(stoppedInPayload).toEqual([{ start: header({ opcode: 1, length: 2 }) }, { payload: '68 69' }]);
  });

  it('ignores input after stop()', () => {
    const sink = new RecordingSink();
    const parser = new FrameParser(sink);
    parser.push(hex('81 02 68'));
    parser.stop();
    expect(parser.isStopped).toBe(true);
    parser.push(hex('69 81 00'));
    sink.flushPayload();
    expect(sink.records).toEqual([{ start: header({ opcode: 1, length: 2 }) }, { payload: '68' }]);
  });

  it('hands payload pieces on as views of the chunk, without copying', () => {
    const chunk = hex('82 03 01 02 03');
    const seen: Uint8Array[] = [];
    const parser = new FrameParser({ frameStart: () => true, framePayload: (piece) => (seen.push(piece), true), frameEnd: () => true });
    parser.push(chunk);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.buffer).toBe(chunk.buffer);
    expect(seen[0]?.byteOffset).toBe(2);
  });

  it('gives the same frames under random chunking (property)', () => {
    const frame = fc.record({
      opcode: fc.constantFrom(0, 1, 2, 8, 9, 10),
      fin: fc.boolean(),
      payload: fc.oneof(
        { weight: 8, arbitrary: fc.uint8Array({ maxLength: 130 }) },
        { weight: 1, arbitrary: fc.integer({ min: 126, max: 70_000 }).map((length) => pattern(length, length)) },
      ),
    });
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (frames, cuts) => {
        const bytes = concat(...frames.map((item) => serverFrame(item)));
        const chunks = chunkAt(bytes, cuts);
        const expected: Record[] = [];
        for (const item of frames) {
          expected.push({ start: header({ opcode: item.opcode, fin: item.fin, length: item.payload.length }) });
          if (item.payload.length > 0) expected.push({ payload: show(item.payload) });
          expected.push({ end: true });
        }
        expect(parse(chunks)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
