/** A frame header as read off the wire (RFC 6455 §5.2). */
export interface FrameHeader {
  readonly fin: boolean;
  readonly rsv1: boolean;
  readonly rsv2: boolean;
  readonly rsv3: boolean;
  readonly opcode: number;
  readonly masked: boolean;
  /** Payload length in bytes; may exceed 2^53 only as an inexact huge number (caught by limits). */
  readonly length: number;
  /** The 64-bit length form had its most significant bit set (forbidden by §5.2). */
  readonly lengthTopBitSet: boolean;
}

/**
 * Receives the parser's output. Each method returns false to stop parsing for good (the
 * connection failed or the Close was received: RFC 6455 §7.1.7 stops reading input).
 */
export interface FrameSink {
  frameStart(header: FrameHeader): boolean;
  /** A piece of the current frame's payload: a view into the received chunk, never copied. */
  framePayload(piece: Uint8Array): boolean;
  frameEnd(): boolean;
}

/**
 * The frame parser: an explicit state machine fed chunks of any size, which asks in every state
 * whether it holds the bytes it needs and never assumes a chunk holds a whole frame. Headers
 * that span chunks are gathered in a 14-byte buffer; payloads are handed on as views.
 * Masked frames are not unmasked here: a client fails them at the header (§5.1).
 */
export class FrameParser {
  private readonly sink: FrameSink;
  /** Header bytes gathered across chunks (allocated the first time a header spans chunks), and how many are present. */
  private header: Uint8Array | null = null;
  private headerFilled = 0;
  /** Payload bytes of the current frame still to come; -1 between frames. */
  private payloadRemaining = -1;
  private stopped = false;

  /**
   * `sink` receives the frames. Without one the parser is its own sink: a subclass implements
   * FrameSink (the engine's parser does, so that its handlers stay private without costing each
   * connection an object more).
   */
  constructor(sink?: FrameSink) {
    this.sink = sink ?? (this as unknown as FrameSink);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
  }

  push(chunk: Uint8Array): void {
    const length = chunk.length;
    let position = 0;
    while (position < length && !this.stopped) {
      if (this.payloadRemaining > 0) {
        const take = Math.min(this.payloadRemaining, length - position);
        this.payloadRemaining -= take;
        const piece = position === 0 && take === length ? chunk : chunk.subarray(position, position + take);
        position += take;
        if (!this.sink.framePayload(piece)) return this.stop();
        if (this.payloadRemaining === 0) this.endFrame();
        continue;
      }
      if (this.headerFilled === 0 && length - position >= 2) {
        const needed = headerLength(chunk[position + 1] as number);
        if (length - position >= needed) {
          this.startFrame(chunk, position);
          position += needed;
          continue;
        }
      }
      // Slow path: the header spans chunks; gather it byte by byte (at most 14 bytes).
      const header = (this.header ??= new Uint8Array(14));
      header[this.headerFilled] = chunk[position] as number;
      this.headerFilled += 1;
      position += 1;
      if (this.headerFilled >= 2 && this.headerFilled === headerLength(header[1] as number)) {
        this.headerFilled = 0;
        this.startFrame(header, 0);
      }
    }
  }

  private startFrame(bytes: Uint8Array, at: number): void {
    const first = bytes[at] as number;
    const second = bytes[at + 1] as number;
    let length = second & 0x7f;
    let topBit = false;
    if (length === 126) {
      length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    } else if (length === 127) {
      const high =
        (((bytes[at + 2] as number) << 24) |
          ((bytes[at + 3] as number) << 16) |
          ((bytes[at + 4] as number) << 8) |
          (bytes[at + 5] as number)) >>>
        0;
      const low =
        (((bytes[at + 6] as number) << 24) |
          ((bytes[at + 7] as number) << 16) |
          ((bytes[at + 8] as number) << 8) |
          (bytes[at + 9] as number)) >>>
        0;
      topBit = high >= 0x80000000;
      length = high * 0x100000000 + low;
    }
    const header: FrameHeader = {
      fin: (first & 0x80) !== 0,
      rsv1: (first & 0x40) !== 0,
      rsv2: (first & 0x20) !== 0,
      rsv3: (first & 0x10) !== 0,
      opcode: first & 0x0f,
      masked: (second & 0x80) !== 0,
      length,
      lengthTopBitSet: topBit,
    };
    if (!this.sink.frameStart(header)) return this.stop();
    if (length === 0) this.endFrame();
    else this.payloadRemaining = length;
  }

  private endFrame(): void {
    this.payloadRemaining = -1;
    if (!this.sink.frameEnd()) this.stop();
  }
}

/** Header size from its second byte: 2, plus 2 or 8 extended length bytes, plus 4 mask bytes. */
function headerLength(second: number): number {
  const code = second & 0x7f;
  return 2 + (code === 126 ? 2 : code === 127 ? 8 : 0) + ((second & 0x80) !== 0 ? 4 : 0);
}
