// RFC 6455 helpers shared by the bench server and the raw-socket ceiling client.
// Kept deliberately small and allocation-light: the server must never be the bottleneck.
import { createHash, randomBytes } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'; // RFC 6455 §1.3

export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2 step 5.4). */
export function acceptFor(key) {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

/** Header length (without mask key) for a payload length. */
export function headerLength(len) {
  return len < 126 ? 2 : len < 65536 ? 4 : 10;
}

export function writeHeader(buf, off, b0, len, masked) {
  buf[off] = b0;
  const m = masked ? 0x80 : 0;
  if (len < 126) {
    buf[off + 1] = m | len;
    return off + 2;
  }
  if (len < 65536) {
    buf[off + 1] = m | 126;
    buf.writeUInt16BE(len, off + 2);
    return off + 4;
  }
  buf[off + 1] = m | 127;
  buf.writeUInt32BE(Math.floor(len / 2 ** 32), off + 2);
  buf.writeUInt32BE(len >>> 0, off + 6);
  return off + 10;
}

/** Size on the wire of one frame. */
export function frameLength(len, masked) {
  return headerLength(len) + (masked ? 4 : 0) + len;
}

/**
 * Writes one frame into `buf` at `off` and returns the end offset. `b0` is the first byte
 * (FIN | RSV | opcode). With a `mask` (4 bytes) the payload is written pre-masked.
 */
export function writeFrame(buf, off, b0, payload, mask) {
  let p = writeHeader(buf, off, b0, payload.length, mask !== undefined);
  if (mask === undefined) {
    payload.copy(buf, p);
    return p + payload.length;
  }
  mask.copy(buf, p);
  p += 4;
  for (let i = 0; i < payload.length; i++) buf[p + i] = payload[i] ^ mask[i & 3];
  return p + payload.length;
}

/** One frame as its own Buffer. */
export function frame(b0, payload, mask) {
  const out = Buffer.allocUnsafe(frameLength(payload.length, mask !== undefined));
  writeFrame(out, 0, b0, payload, mask);
  return out;
}

/**
 * Pre-builds `count` consecutive frames (cycling through `payloads`) in one Buffer.
 * Returns the buffer and the end offset of each frame, so a prefix of whole frames can be sent.
 */
export function buildBatch(b0, payloads, count, mask) {
  let total = 0;
  for (let i = 0; i < count; i++) total += frameLength(payloads[i % payloads.length].length, mask !== undefined);
  const buf = Buffer.allocUnsafe(total);
  const ends = new Array(count);
  let off = 0;
  for (let i = 0; i < count; i++) {
    off = writeFrame(buf, off, b0, payloads[i % payloads.length], mask);
    ends[i] = off;
  }
  return { buf, ends };
}

/**
 * Incremental frame parser: works at any chunking (a header may span reads; only those few
 * header bytes are ever copied). The handler gets start(b0, len), payload(buf, start, end, pos,
 * mask) for each payload slice when `wantPayload(b0)` is true, and end().
 */
export class FrameParser {
  constructor(handler) {
    this.h = handler;
    this.carry = null;
    this.remaining = 0;
    this.pos = 0;
    this.inPayload = false;
    this.capture = false;
    this.mask = null;
  }

  push(chunk) {
    if (this.carry !== null) {
      chunk = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const h = this.h;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.inPayload) {
        const take = Math.min(this.remaining, n - i);
        if (this.capture) h.payload(chunk, i, i + take, this.pos, this.mask);
        i += take;
        this.pos += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          this.inPayload = false;
          h.end();
        }
        continue;
      }
      if (n - i < 2) break;
      const b0 = chunk[i];
      const b1 = chunk[i + 1];
      let len = b1 & 0x7f;
      let hl = len === 126 ? 4 : len === 127 ? 10 : 2;
      const masked = (b1 & 0x80) !== 0;
      if (masked) hl += 4;
      if (n - i < hl) break;
      if (len === 126) len = chunk.readUInt16BE(i + 2);
      else if (len === 127) len = chunk.readUInt32BE(i + 2) * 2 ** 32 + chunk.readUInt32BE(i + 6);
      this.capture = h.wantPayload(b0);
      this.mask = masked && this.capture ? chunk.subarray(i + hl - 4, i + hl) : null;
      i += hl;
      this.remaining = len;
      this.pos = 0;
      h.start(b0, len);
      if (len === 0) h.end();
      else this.inPayload = true;
    }
    if (i < n) this.carry = Buffer.from(chunk.subarray(i));
  }
}

/** Copies (and unmasks) a payload slice into `out` at position `pos`. */
export function copyPayload(out, buf, start, end, pos, mask) {
  if (mask === null) {
    buf.copy(out, pos, start, end);
    return;
  }
  for (let j = start, p = pos; j < end; j++, p++) out[p] = buf[j] ^ mask[p & 3];
}

/** The raw ceiling's opening handshake request (RFC 6455 §4.1). */
export function handshakeRequest(port, path) {
  const key = randomBytes(16).toString('base64');
  const text =
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
  return { text, accept: acceptFor(key) };
}
