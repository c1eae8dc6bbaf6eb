/** The first buffer a message of several pieces gets, in bytes; it grows by doubling from there. */
const MIN_CAPACITY = 4 * 1024;

/**
 * Gathers the payload pieces of one message (all its frames, all their reads). The first piece
 * is held as it is (a view into the received chunk, no copy): most messages have one. From the
 * second piece on, every byte is copied into one buffer that grows geometrically, so the memory a
 * message holds is at most twice its payload whatever its fragment count (RFC 6455 §5.4 lets a
 * message have any number of fragments, including empty ones): a view per fragment would cost
 * far more than the fragment itself when fragments are tiny (issue 12). Memory is taken as bytes
 * arrive, never from a declared length.
 */
export class MessageAssembler {
  private readonly allocate: (size: number) => Uint8Array;
  private first: Uint8Array | null = null;
  private buffer: Uint8Array | null = null;
  private total = 0;

  constructor(allocate: (size: number) => Uint8Array) {
    this.allocate = allocate;
  }

  get size(): number {
    return this.total;
  }

  /** Bytes reserved for the message (the copy buffer), 0 while at most one piece is held. */
  get capacity(): number {
    return this.buffer === null ? 0 : this.buffer.length;
  }

  /** Received chunks the assembler keeps alive through views: 1 while it holds only the first piece, else 0. */
  get retainedViews(): number {
    return this.first === null ? 0 : 1;
  }

  /** Adds a piece. Throws what `allocate` throws (e.g. a RangeError for a size the platform cannot hold). */
  add(piece: Uint8Array): void {
    const length = piece.length;
    if (length === 0) return;
    const size = this.total;
    const total = size + length;
    let buffer = this.buffer;
    if (buffer === null && this.first === null) {
      this.first = piece;
      this.total = total;
      return;
    }
    if (buffer === null || buffer.length < total) {
      const grown = this.allocate(Math.max(total, 2 * (buffer === null ? 0 : buffer.length), MIN_CAPACITY));
      grown.set(buffer === null ? (this.first as Uint8Array) : buffer.subarray(0, size), 0);
      this.first = null;
      this.buffer = buffer = grown;
    }
    buffer.set(piece, size);
    this.total = total;
  }

  /** The whole message: the only piece itself when there was one (no copy), else a view of the copy buffer. */
  finish(): Uint8Array {
    const first = this.first;
    const buffer = this.buffer;
    const total = this.total;
    this.reset();
    if (buffer !== null) return buffer.subarray(0, total);
    return first ?? new Uint8Array(0);
  }

  reset(): void {
    this.first = null;
    this.buffer = null;
    this.total = 0;
  }
}
