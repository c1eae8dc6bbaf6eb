/**
 * Shared fixtures for the engine's unit tests: a deterministic random source and a real SHA-1
 * (so the handshake request and every masked frame are byte-exact), hex helpers, a server
 * frame builder, an opened client, and the split-feeding harness every received-bytes fixture
 * goes through (whole, split at every byte boundary, one byte at a time).
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { ClientProtocol, type ClientProtocolOptions } from '../../src/protocol/client-protocol.js';
import type { KeelError } from '../../src/protocol/errors.js';
import type { ProtocolEvent } from '../../src/protocol/events.js';

/** "the sample nonce": the 16 bytes behind the RFC 6455 §1.3 / §4.1 example key. */
export const RFC_NONCE = new TextEncoder().encode('the sample nonce');
export const RFC_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const RFC_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';
/** The masking key of the RFC 6455 §5.7 examples. */
export const RFC_MASK_KEY = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);

export function sha1(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(data).digest());
}

/**
 * A deterministic randomFill: the first 16 bytes drawn are `nonce` (the Sec-WebSocket-Key),
 * every later byte cycles through `maskKey`, so every frame is masked with that key.
 */
export function rfcFill(nonce: Uint8Array = RFC_NONCE, maskKey: Uint8Array = RFC_MASK_KEY): (target: Uint8Array) => void {
  let drawn = 0;
  return (target) => {
    for (let index = 0; index < target.length; index += 1, drawn += 1) {
      target[index] = drawn < nonce.length ? (nonce[drawn] as number) : (maskKey[(drawn - nonce.length) % maskKey.length] as number);
    }
  };
}

/** A deterministic randomFill that yields 0, 1, 2, ... 255, 0, 1, ... across calls. */
export function countingFill(): (target: Uint8Array) => void {
  let drawn = 0;
  return (target) => {
    for (let index = 0; index < target.length; index += 1, drawn += 1) target[index] = drawn & 0xff;
  };
}

/** Bytes from a hex string; spaces and newlines are ignored ("81 05 48 65"). */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');
  if (digits.length % 2 !== 0 || /[^0-9a-f]/i.test(digits)) throw new Error(`bad hex fixture ${text}`);
  const out = new Uint8Array(digits.length / 2);
  for (let index = 0; index < out.length; index += 1) out[index] = Number.parseInt(digits.slice(index * 2, index * 2 + 2), 16);
  return out;
}

/** Bytes to spaced lower-case hex, for readable assertion diffs. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** payload[i] = (i * 7 + seed) & 0xff: a recognisable payload of any size. */
export function pattern(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let index = 0; index < length; index += 1) out[index] = (index * 7 + seed) & 0xff;
  return out;
}

export interface ServerFrame {
  readonly opcode: number;
  readonly payload?: Uint8Array;
  readonly fin?: boolean;
  readonly rsv1?: boolean;
  readonly rsv2?: boolean;
  readonly rsv3?: boolean;
  /** A masking key (servers must not mask: RFC 6455 §5.1). */
  readonly mask?: Uint8Array;
}

/** An unmasked server frame with the shortest length form (RFC 6455 §5.2). */
export function serverFrame(frame: ServerFrame): Uint8Array {
  const payload = frame.payload ?? new Uint8Array(0);
  const length = payload.length;
  const first =
    ((frame.fin ?? true) ? 0x80 : 0) |
    (frame.rsv1 === true ? 0x40 : 0) |
    (frame.rsv2 === true ? 0x20 : 0) |
    (frame.rsv3 === true ? 0x10 : 0) |
    frame.opcode;
  const maskBit = frame.mask === undefined ? 0 : 0x80;
  let head: Uint8Array;
  if (length < 126) head = Uint8Array.of(first, maskBit | length);
  else if (length < 65536) head = Uint8Array.of(first, maskBit | 126, length >>> 8, length & 0xff);
  else {
    head = new Uint8Array(10);
    head[0] = first;
    head[1] = maskBit | 127;
    new DataView(head.buffer).setBigUint64(2, BigInt(length));
  }
  if (frame.mask === undefined) return concat(head, payload);
  const masked = payload.map((byte, index) => byte ^ (frame.mask as Uint8Array)[index & 3]!);
  return concat(head, frame.mask, masked);
}

/**
 * A client frame as the engine must write it: masked with `key` (the RFC 6455 §5.7 key by
 * default, which rfcFill makes the engine use for every frame).
 */
export function clientFrame(
  opcode: number,
  payload: Uint8Array = new Uint8Array(0),
  options: { fin?: boolean; rsv1?: boolean; key?: Uint8Array } = {},
): Uint8Array {
  return serverFrame({ opcode, payload, fin: options.fin, rsv1: options.rsv1, mask: options.key ?? RFC_MASK_KEY });
}

export interface DecodedClientFrame {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  key: string;
  payload: Uint8Array;
}

/** Reads client frames back independently of the parser and the writer; every one must be masked (RFC 6455 §5.1). */
export function decodeClientFrames(bytes: Uint8Array): DecodedClientFrame[] {
  const frames: DecodedClientFrame[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.length) {
    const first = bytes[at] as number;
    const second = bytes[at + 1] as number;
    expect(second & 0x80).toBe(0x80);
    let length = second & 0x7f;
    at += 2;
    if (length === 126) {
      length = view.getUint16(at);
      at += 2;
    } else if (length === 127) {
      length = Number(view.getBigUint64(at));
      at += 8;
    }
    const key = bytes.subarray(at, at + 4);
    // Unmasked byte by byte (RFC 6455 §5.3), independently of applyMask.
    const payload = bytes.slice(at + 4, at + 4 + length).map((byte, index) => byte ^ key[index & 3]!);
    frames.push({ fin: (first & 0x80) !== 0, rsv1: (first & 0x40) !== 0, opcode: first & 0xf, key: toHex(key), payload });
    at += 4 + length;
  }
  expect(at).toBe(bytes.length);
  return frames;
}

/** The payload of a Close frame: the code big-endian, then the reason in UTF-8 (RFC 6455 §5.5.1). */
export function closePayload(code: number, reason = ''): Uint8Array {
  return concat(Uint8Array.of(code >>> 8, code & 0xff), utf8(reason));
}

/** The 101 answer to `key`, with optional extra header lines ("Name: value"). */
export function handshakeResponse(
  options: { key?: string; protocol?: string; extensions?: string; extra?: readonly string[] } = {},
): Uint8Array {
  const accept = options.key === undefined || options.key === RFC_KEY ? RFC_ACCEPT : acceptFor(options.key);
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`];
  if (options.protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${options.protocol}`);
  if (options.extensions !== undefined) lines.push(`Sec-WebSocket-Extensions: ${options.extensions}`);
  lines.push(...(options.extra ?? []));
  return ascii(`${lines.join('\r\n')}\r\n\r\n`);
}

/** Sec-WebSocket-Accept computed independently of the engine (RFC 6455 §4.2.2 item 5.4). */
export function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

export type ClientOptions = Partial<ClientProtocolOptions>;

/** A client for ws://server.example.com/chat with the RFC nonce and mask key. */
export function createClient(options: ClientOptions = {}): ClientProtocol {
  return new ClientProtocol({
    target: { resource: '/chat', hostHeader: 'server.example.com' },
    randomFill: rfcFill(),
    sha1,
    ...options,
  });
}

/** A client past its opening handshake, with the request and the open event drained. */
export function openClient(options: ClientOptions = {}, response: Uint8Array = handshakeResponse()): ClientProtocol {
  const client = createClient(options);
  client.dataToSend();
  client.receiveData(response);
  const events = client.eventsReceived();
  expect(events.map((event) => event.type)).toEqual(['open']);
  expect(client.state).toBe('open');
  return client;
}

/** One buffer holding everything the engine wants to write. */
export function output(client: ClientProtocol): Uint8Array {
  return concat(...client.dataToSend());
}

/** An event as plain data (payloads as hex, errors as their identity) for deep comparison. */
export type PlainEvent =
  | { type: 'open'; protocol: string; extensions: string; headers: ReadonlyArray<readonly [string, string]> }
  | { type: 'message'; binary: boolean; compressed: boolean; data: string }
  | { type: 'ping' | 'pong'; data: string }
  | { type: 'close'; code: number; reason: string; wasClean: boolean; error: PlainError | null };

export interface PlainError {
  name: string;
  code: string;
  closeCode: number;
}

export function plainError(error: KeelError | null): PlainError | null {
  return error === null ? null : { name: error.name, code: error.code, closeCode: error.closeCode };
}

export function plainEvents(events: readonly ProtocolEvent[]): PlainEvent[] {
  return events.map((event): PlainEvent => {
    switch (event.type) {
      case 'open':
        return { type: 'open', protocol: event.protocol, extensions: event.extensions, headers: event.headers };
      case 'message':
        return { type: 'message', binary: event.binary, compressed: event.compressed, data: toHex(event.data) };
      case 'ping':
      case 'pong':
        return { type: event.type, data: toHex(event.data) };
      case 'close':
        return { type: 'close', code: event.code, reason: event.reason, wasClean: event.wasClean, error: plainError(event.error) };
    }
  });
}

/** What one run of a fixture produced: events, bytes written after setup, and the end state. */
export interface Outcome {
  events: PlainEvent[];
  output: string;
  state: string;
  failure: PlainError | null;
}

/**
 * Takes events as the I/O layer does: until none are left. A protocol error after valid frames
 * of the same input fails the connection only at the call after their events (issue 16).
 */
export function allEvents(client: ClientProtocol): ProtocolEvent[] {
  const events: ProtocolEvent[] = [];
  for (let batch = client.eventsReceived(); batch.length > 0; batch = client.eventsReceived()) events.push(...batch);
  return events;
}

/** Feeds `chunks` (then EOF when asked) and collects the outcome. */
export function run(client: ClientProtocol, chunks: Iterable<Uint8Array>, eof = false): Outcome {
  const events: ProtocolEvent[] = [];
  const written: Uint8Array[] = [];
  for (const chunk of chunks) {
    client.receiveData(chunk);
    events.push(...allEvents(client));
    written.push(...client.dataToSend());
  }
  if (eof) {
    client.receiveEof();
    events.push(...client.eventsReceived());
    written.push(...client.dataToSend());
  }
  return { events: plainEvents(events), output: toHex(concat(...written)), state: client.state, failure: plainError(client.failure) };
}

/** `bytes` as two chunks cut at `splitAt` (copies, so no chunk aliases another). */
export function split(bytes: Uint8Array, splitAt: number): Uint8Array[] {
  return [bytes.slice(0, splitAt), bytes.slice(splitAt)];
}

/** Feeds `bytes` cut in two at `splitAt`. */
export function feed(client: ClientProtocol, bytes: Uint8Array, splitAt: number): void {
  for (const chunk of split(bytes, splitAt)) client.receiveData(chunk);
}

/** `bytes` cut at the given points (taken modulo length + 1, so any random naturals do), as copies. */
export function chunkAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.slice(start, point));
    start = point;
  }
  return chunks;
}

export function oneByteAtATime(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (byte) => Uint8Array.of(byte));
}

/**
 * Runs a received-bytes fixture whole, split at every byte boundary and one byte at a time, on a
 * fresh client from `make` each time; every run must give the outcome of the whole run, which
 * is returned for the fixture's own assertions. `splitPoints` narrows the two-chunk splits for
 * large fixtures (whose payload bytes all take the same path).
 */
export function expectSameUnderSplits(make: () => ClientProtocol, bytes: Uint8Array, eof = false, splitPoints?: Iterable<number>): Outcome {
  const whole = run(make(), [bytes.slice()], eof);
  for (const splitAt of splitPoints ?? Array.from({ length: Math.max(0, bytes.length - 1) }, (_, index) => index + 1)) {
    expect(run(make(), split(bytes, splitAt), eof), `split at ${splitAt}`).toEqual(whole);
  }
  expect(run(make(), oneByteAtATime(bytes), eof), 'one byte at a time').toEqual(whole);
  return whole;
}

/** The error a call throws (fails the test when it does not throw). */
export function thrown(call: () => unknown): KeelError {
  try {
    call();
  } catch (error) {
    return error as KeelError;
  }
  throw new Error('expected the call to throw');
}
