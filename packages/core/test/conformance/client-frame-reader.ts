/**
 * Parses what the client under test sends after the handshake, as a server must (RFC 6455
 * §5.2): any chunking, every length form. Records the mask of each frame and unmasks the
 * payload, so tests can check the client masked every frame (§5.3) and read the contents.
 */

export interface RecordedFrame {
  readonly fin: boolean;
  readonly rsv1: boolean;
  readonly rsv2: boolean;
  readonly rsv3: boolean;
  readonly opcode: number;
  readonly masked: boolean;
  /** The 4-byte masking key, or null when the frame was not masked. */
  readonly maskKey: Buffer | null;
  /** The payload, unmasked. */
  readonly payload: Buffer;
}

/** The close code of a recorded Close frame (§5.5.1), 1005 when it had no payload. */
export function closeCodeOf(frame: RecordedFrame): number {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
}

export function closeReasonOf(frame: RecordedFrame): string {
  return frame.payload.subarray(2).toString('utf8');
}

export class ClientFrameReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  /** Feeds bytes; returns the frames completed by them, in order. */
  push(chunk: Buffer): RecordedFrame[] {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    const frames: RecordedFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === null) return frames;
      frames.push(frame);
    }
  }

  private next(): RecordedFrame | null {
    if (this.pendingLength < 2) return null;
    const head = this.peek(Math.min(this.pendingLength, 14));
    const b0 = head[0] ?? 0;
    const b1 = head[1] ?? 0;
    const masked = (b1 & 0x80) !== 0;
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (head.length < 4) return null;
      length = head.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (head.length < 10) return null;
      length = Number(head.readBigUInt64BE(2));
      offset = 10;
    }
    const maskOffset = offset;
    if (masked) offset += 4;
    if (this.pendingLength < offset + length) return null;
    const bytes = this.take(offset + length);
    const maskKey = masked ? Buffer.from(bytes.subarray(maskOffset, maskOffset + 4)) : null;
    const payload = Buffer.from(bytes.subarray(offset));
    if (maskKey) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (maskKey[i & 3] ?? 0);
    return {
      fin: (b0 & 0x80) !== 0,
      rsv1: (b0 & 0x40) !== 0,
      rsv2: (b0 & 0x20) !== 0,
      rsv3: (b0 & 0x10) !== 0,
      opcode: b0 & 0x0f,
      masked,
      maskKey,
      payload,
    };
  }

  private peek(length: number): Buffer {
    const first = this.pending[0];
    if (first !== undefined && first.length >= length) return first.subarray(0, length);
    const parts: Buffer[] = [];
    let have = 0;
    for (const part of this.pending) {
      if (have >= length) break;
      parts.push(part);
      have += part.length;
    }
    return Buffer.concat(parts).subarray(0, length);
  }

  private take(length: number): Buffer {
    const all = this.pending.length === 1 ? (this.pending[0] ?? Buffer.alloc(0)) : Buffer.concat(this.pending);
    const taken = all.subarray(0, length);
    const rest = all.subarray(length);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
    return taken;
  }
}
