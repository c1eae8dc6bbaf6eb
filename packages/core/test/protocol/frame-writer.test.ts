import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/protocol/frame-writer.js';
import { ascii, concat, countingFill, decodeClientFrames, hex, pattern, rfcFill, toHex } from './engine-fixtures.js';

/** A writer whose every mask key is the RFC 6455 §5.7 key 37 fa 21 3d. */
function rfcWriter(): FrameWriter {
  return new FrameWriter({ randomFill: rfcFill(new Uint8Array(0)) });
}

function maskedWithRfcKey(payload: Uint8Array): Uint8Array {
  const key = [0x37, 0xfa, 0x21, 0x3d];
  return payload.map((byte, index) => byte ^ key[index & 3]!);
}

describe('FrameWriter (RFC 6455 §5.2, §5.3)', () => {
  it('writes the §5.7 masked "Hello"', () => {
    const writer = rfcWriter();
    writer.writeFrame(true, 0x1, ascii('Hello'));
    expect(toHex(concat(...writer.take()))).toBe('81 85 37 fa 21 3d 7f 9f 4d 51 58');
  });

  it('writes a fragmented "Hel" + "lo" and a masked Ping and Pong', () => {
    const writer = rfcWriter();
    writer.writeFrame(false, 0x1, ascii('Hel'));
    writer.writeFrame(true, 0x0, ascii('lo'));
    writer.writeFrame(true, 0x9, ascii('Hello'));
    writer.writeFrame(true, 0xa, ascii('Hello'));
    expect(toHex(concat(...writer.take()))).toBe(
      toHex(hex('01 83 37 fa 21 3d 7f 9f 4d  80 82 37 fa 21 3d 5b 95  89 85 37 fa 21 3d 7f 9f 4d 51 58  8a 85 37 fa 21 3d 7f 9f 4d 51 58')),
    );
  });

  it('writes an empty frame as header and key only', () => {
    const writer = rfcWriter();
    writer.writeFrame(true, 0x8, new Uint8Array(0));
    expect(toHex(concat(...writer.take()))).toBe('88 80 37 fa 21 3d');
  });

  it('sets RSV1 when asked (RFC 7692 §6)', () => {
    const writer = rfcWriter();
    writer.writeFrame(true, 0x1, ascii('Hello'), false, true);
    expect(toHex(concat(...writer.take()))).toBe('c1 85 37 fa 21 3d 7f 9f 4d 51 58');
  });

  it('writes the 16-bit length form for 126 to 65535 bytes (256: 82 FE 01 00)', () => {
    const writer = rfcWriter();
    const payload = pattern(256);
    writer.writeFrame(true, 0x2, payload);
    expect(concat(...writer.take())).toEqual(concat(hex('82 fe 01 00 37 fa 21 3d'), maskedWithRfcKey(payload)));
    for (const [length, head] of [
      [125, '82 fd'],
      [126, '82 fe 00 7e'],
      [65_535, '82 fe ff ff'],
    ] as const) {
      writer.writeFrame(true, 0x2, pattern(length));
      expect(toHex(concat(...writer.take()).subarray(0, head.length / 3 + 1)), `${length}`).toBe(head);
    }
  });

  it('writes the 64-bit length form for 64 KiB, header and payload as separate buffers', () => {
    const writer = rfcWriter();
    const payload = pattern(65_536);
    writer.writeFrame(true, 0x2, payload);
    expect(writer.bufferedAmount).toBe(14 + 65_536);
    const out = writer.take();
    expect(out).toHaveLength(2);
    expect(toHex(out[0] as Uint8Array)).toBe('82 ff 00 00 00 00 00 01 00 00 37 fa 21 3d');
    expect(Buffer.compare(out[1] as Uint8Array, maskedWithRfcKey(payload))).toBe(0);
    expect(payload).toEqual(pattern(65_536));
    expect(writer.bufferedAmount).toBe(0);
  });

  it('masks an owned payload in place and leaves a borrowed one untouched', () => {
    const writer = rfcWriter();
    const borrowed = pattern(10_000, 1);
    writer.writeFrame(true, 0x2, borrowed);
    const borrowedOut = writer.take();
    expect(borrowed).toEqual(pattern(10_000, 1));
    expect(borrowedOut[1]).not.toBe(borrowed);

    const owned = pattern(10_000, 1);
    writer.writeFrame(true, 0x2, owned, true);
    const ownedOut = writer.take();
    expect(ownedOut[1]).toBe(owned);
    expect(Buffer.compare(owned, maskedWithRfcKey(pattern(10_000, 1)))).toBe(0);
    expect(concat(...ownedOut)).toEqual(concat(...borrowedOut));
  });

  it('coalesces small frames written before a take() into one buffer', () => {
    const writer = rfcWriter();
    for (let index = 0; index < 100; index += 1) writer.writeFrame(true, 0x1, ascii(`message ${index}`));
    expect(writer.bufferedAmount).toBe(100 * 6 + 10 * 9 + 90 * 10);
    const out = writer.take();
    expect(out.length).toBeLessThanOrEqual(2);
    expect(decodeClientFrames(concat(...out)).map((frame) => new TextDecoder().decode(frame.payload))).toEqual(
      Array.from({ length: 100 }, (_, index) => `message ${index}`),
    );
  });

  it('never rewrites bytes it already handed out', () => {
    const writer = rfcWriter();
    writer.writeFrame(true, 0x1, ascii('first'));
    const first = writer.take();
    const snapshot = first.map((buffer) => buffer.slice());
    for (let index = 0; index < 2_000; index += 1) writer.writeFrame(true, 0x2, pattern(index % 300, index));
    writer.take();
    expect(first).toEqual(snapshot);
  });

  it('queues raw bytes after the frames already written', () => {
    const writer = rfcWriter();
    writer.writeRaw(ascii('GET / HTTP/1.1\r\n\r\n'));
    writer.writeFrame(true, 0x1, ascii('Hello'));
    writer.writeRaw(hex('00'));
    expect(writer.bufferedAmount).toBe(18 + 11 + 1);
    expect(toHex(concat(...writer.take()))).toBe(
      toHex(concat(ascii('GET / HTTP/1.1\r\n\r\n'), hex('81 85 37 fa 21 3d 7f 9f 4d 51 58 00'))),
    );
    expect(writer.take()).toEqual([]);
  });

  it('uses a fresh key for every frame, drawing random bytes once per 256 frames (§5.3, §10.3)', () => {
    let calls = 0;
    const counting = countingFill();
    const writer = new FrameWriter({
      randomFill: (target) => {
        calls += 1;
        counting(target);
      },
    });
    for (let index = 0; index < 257; index += 1) writer.writeFrame(true, 0x2, new Uint8Array(0));
    const frames = decodeClientFrames(concat(...writer.take()));
    expect(frames.slice(0, 3).map((frame) => frame.key)).toEqual(['00 01 02 03', '04 05 06 07', '08 09 0a 0b']);
    expect(frames[255]?.key).toBe('fc fd fe ff');
    expect(frames[256]?.key).toBe('00 01 02 03');
    expect(calls).toBe(2);
  });

  it('writes frames that read back to what was sent, for random sizes, flags and buffer offsets (property)', () => {
    const frame = fc.record({
      fin: fc.boolean(),
      opcode: fc.constantFrom(0, 1, 2, 8, 9, 10),
      rsv1: fc.boolean(),
      owned: fc.boolean(),
      payload: fc.oneof(
        { weight: 6, arbitrary: fc.uint8Array({ maxLength: 300 }) },
        { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 70_000 }).map((length) => pattern(length, length)) },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(frame, { maxLength: 8 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        fc.integer({ min: 0, max: 7 }),
        (frames, takes, shift) => {
          // Buffers at any byteOffset, as Node's pooled Buffer.allocUnsafe hands out.
          const writer = new FrameWriter({ randomFill: countingFill(), allocate: (size) => new Uint8Array(size + shift).subarray(shift) });
          const written: Uint8Array[] = [];
          frames.forEach((item, index) => {
            writer.writeFrame(item.fin, item.opcode, item.owned ? item.payload.slice() : item.payload, item.owned, item.rsv1);
            if (takes[index] === true) written.push(...writer.take());
          });
          written.push(...writer.take());
          const decoded = decodeClientFrames(concat(...written));
          expect(decoded.map((item) => [item.fin, item.rsv1, item.opcode, item.payload.length])).toEqual(
            frames.map((item) => [item.fin, item.rsv1, item.opcode, item.payload.length]),
          );
          decoded.forEach((item, index) => expect(Buffer.compare(item.payload, frames[index]!.payload)).toBe(0));
        },
      ),
      { numRuns: 150 },
    );
  });
});
