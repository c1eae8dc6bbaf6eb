/**
 * Builds the raw bytes a scripted server writes (RFC 6455 §5.2), including frames no correct
 * server would send: reserved bits and opcodes, masked server frames, non-minimal or lying
 * length fields. Nothing here validates: the bytes are exactly what the spec asks for.
 */

import { Opcode } from '../../src/protocol/opcodes.js';

// The RFC's constants; the §5.7 byte examples in scripted-server.test.ts pin their values.
export { Opcode };

export interface FrameSpec {
  readonly opcode: number;
  readonly payload?: Uint8Array | string;
  /** Default true. */
  readonly fin?: boolean;
  readonly rsv1?: boolean;
  readonly rsv2?: boolean;
  readonly rsv3?: boolean;
  /** A 4-byte key masks the payload (a server must not, §5.1); true uses 0x37fa213d (the RFC's §5.7 example key). */
  readonly mask?: Uint8Array | boolean;
  /** Forces the length form: 7-bit, 16-bit (126) or 64-bit (127) field; default the minimal one. */
  readonly lengthForm?: 7 | 16 | 64;
  /** Writes this length in the header instead of the payload's (the payload is still appended as given). */
  readonly declaredLength?: bigint;
}

const rfcExampleKey = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);

export function toBytes(payload: Uint8Array | string | undefined): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

function minimalForm(length: bigint): 7 | 16 | 64 {
  if (length <= 125n) return 7;
  if (length <= 0xffffn) return 16;
  return 64;
}

/** The frame header (§5.2) for `spec`, without the payload. */
export function frameHeader(spec: FrameSpec, payloadLength: number): Buffer {
  const length = spec.declaredLength ?? BigInt(payloadLength);
  const form = spec.lengthForm ?? minimalForm(length);
  const maskKey = spec.mask === true ? rfcExampleKey : spec.mask === false || spec.mask === undefined ? undefined : spec.mask;
  const extended = form === 7 ? 0 : form === 16 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + (maskKey ? 4 : 0));
  header[0] =
    ((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 ? 0x40 : 0) | (spec.rsv2 ? 0x20 : 0) | (spec.rsv3 ? 0x10 : 0) | (spec.opcode & 0x0f);
  const lengthByte = form === 7 ? Number(length) : form === 16 ? 126 : 127;
  header[1] = (maskKey ? 0x80 : 0) | lengthByte;
  if (form === 16) header.writeUInt16BE(Number(length), 2);
  if (form === 64) header.writeBigUInt64BE(length, 2);
  if (maskKey) header.set(maskKey, 2 + extended);
  return header;
}

/** One frame: header then payload (masked with the key when `spec.mask` is set). */
export function frame(spec: FrameSpec): Buffer {
  const payload = Buffer.from(toBytes(spec.payload));
  const header = frameHeader(spec, payload.length);
  if (spec.mask !== undefined && spec.mask !== false) {
    const key = header.subarray(header.length - 4);
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (key[i & 3] ?? 0);
  }
  return Buffer.concat([header, payload]);
}

type Extra = Omit<FrameSpec, 'opcode' | 'payload'>;

export const textFrame = (payload: Uint8Array | string, extra: Extra = {}): Buffer => frame({ ...extra, opcode: Opcode.text, payload });
export const binaryFrame = (payload: Uint8Array | string, extra: Extra = {}): Buffer => frame({ ...extra, opcode: Opcode.binary, payload });
export const continuationFrame = (payload: Uint8Array | string, extra: Extra = {}): Buffer =>
  frame({ ...extra, opcode: Opcode.continuation, payload });
export const pingFrame = (payload: Uint8Array | string = '', extra: Extra = {}): Buffer =>
  frame({ ...extra, opcode: Opcode.ping, payload });
export const pongFrame = (payload: Uint8Array | string = '', extra: Extra = {}): Buffer =>
  frame({ ...extra, opcode: Opcode.pong, payload });

/** A Close payload (§5.5.1): 2-byte code then a reason (UTF-8 string or raw bytes). */
export function closePayload(code: number, reason: Uint8Array | string = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code, 0);
  return Buffer.concat([head, toBytes(reason)]);
}

export const closeFrame = (code?: number, reason: Uint8Array | string = '', extra: Extra = {}): Buffer =>
  frame({ ...extra, opcode: Opcode.close, payload: code === undefined ? Buffer.alloc(0) : closePayload(code, reason) });

/**
 * A message cut into `count` frames whose sizes are as equal as possible (the first frame
 * carries `opcode`, the rest are continuations, only the last has FIN).
 */
export function fragmented(opcode: number, payload: Uint8Array | string, count: number): Buffer[] {
  const bytes = toBytes(payload);
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((bytes.length * i) / count);
    const end = Math.floor((bytes.length * (i + 1)) / count);
    frames.push(frame({ opcode: i === 0 ? opcode : Opcode.continuation, payload: bytes.subarray(start, end), fin: i === count - 1 }));
  }
  return frames;
}

/** Cuts `bytes` at the given offsets, for separate TCP writes. */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Buffer[] {
  const buffer = toBytes(bytes);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets].sort((a, b) => a - b)) {
    pieces.push(buffer.subarray(start, offset));
    start = offset;
  }
  pieces.push(buffer.subarray(start));
  return pieces;
}
