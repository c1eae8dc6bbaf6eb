import { constants, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';
import { frame, Opcode } from './frames.js';

/**
 * The scripted server's side of permessage-deflate (RFC 7692 §7.2), built on node:zlib and
 * independent of Keel's codec: it compresses what the server sends and inflates what the
 * client sends, with the agreed context takeover and window.
 */

const tail = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** zlib refuses a raw deflate window of 8; like every zlib-based server it compresses with 9, whose distances (≤ 250) fit in 256. */
const zlibBits = (bits: number): number => Math.max(bits, 9);

function run(stream: DeflateRaw | InflateRaw, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer): void => void chunks.push(chunk);
    const onError = (error: Error): void => {
      stream.off('data', onData);
      reject(error);
    };
    stream.on('data', onData);
    stream.once('error', onError);
    stream.write(data);
    stream.flush(constants.Z_SYNC_FLUSH, () => {
      stream.off('data', onData);
      stream.off('error', onError);
      resolve(Buffer.concat(chunks));
    });
  });
}

export class ServerDeflater {
  private stream: DeflateRaw | null = null;

  constructor(
    /** server_max_window_bits agreed (8-15). */
    private readonly windowBits = 15,
    /** server_no_context_takeover agreed: a fresh context per message. */
    private readonly noContextTakeover = false,
  ) {}

  /** One message's compressed payload, with the sync-flush tail removed (§7.2.1); `keepTail` leaves it. */
  async compress(data: Uint8Array | string, keepTail = false): Promise<Buffer> {
    if (this.stream === null || this.noContextTakeover) {
      this.stream?.close();
      this.stream = createDeflateRaw({ windowBits: zlibBits(this.windowBits) });
    }
    const out = await run(this.stream, Buffer.from(data));
    return keepTail || !out.subarray(-4).equals(tail) ? out : out.subarray(0, -4);
  }

  close(): void {
    this.stream?.close();
  }
}

export class ServerInflater {
  private stream: InflateRaw | null = null;

  constructor(
    /** client_max_window_bits agreed: a client that compresses with a larger window makes this fail. */
    private readonly windowBits = 15,
    /** client_no_context_takeover agreed: a client that keeps its context makes this fail. */
    private readonly noContextTakeover = false,
  ) {}

  /** Inflates one message's payload (all its frames joined), appending the tail (§7.2.2). */
  async inflate(data: Uint8Array): Promise<Buffer> {
    if (this.stream === null || this.noContextTakeover) {
      this.stream?.close();
      this.stream = createInflateRaw({ windowBits: zlibBits(this.windowBits) });
    }
    return run(this.stream, Buffer.concat([data, tail]));
  }

  close(): void {
    this.stream?.close();
  }
}

/** A compressed message as frames: RSV1 on the first frame only (§6), continuations after it. */
export function compressedFrames(opcode: number, payload: Buffer, count = 1): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    frame({
      opcode: i === 0 ? opcode : Opcode.continuation,
      rsv1: i === 0,
      fin: i === count - 1,
      payload: payload.subarray(Math.floor((payload.length * i) / count), Math.floor((payload.length * (i + 1)) / count)),
    }),
  );
}
