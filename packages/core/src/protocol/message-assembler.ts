import { tuning } from './config.js';

/** The first buffer small pieces are copied into, in bytes; each next one is at least twice the last. */
const MIN_COPY_BUFFER = tuning.assemblerFirstCopyBuffer;
/**
 * A piece is kept as a view (not copied) only when it is at least this long (a view costs about
 * a hundred bytes of heap)...
 */
const MIN_VIEW = tuning.assemblerMinView;
/** ...and covers at least 1/VIEW_SHARE of the buffer it views: views keep alive at most 4 times their bytes. */
const VIEW_SHARE = tuning.assemblerViewShare;

/**
 * Gathers the payload pieces of one message (all its frames, all their reads). The first piece
 * is held as it is (a view into the received chunk, no copy): most messages have one. From the
 * second piece on, a large piece that fills most of its chunk stays a view, and the others are
 * copied into a buffer that grows geometrically; the parts are joined once at the end (or not at
 * all when one buffer holds everything). So the memory a message holds is a small constant times
 * its payload whatever its fragment count (RFC 6455 §5.4 lets a message have any number of
 * fragments, including empty ones; a view per 1-byte fragment costs a hundred times the byte,
 * and a small view keeps its whole read buffer alive: issue 12). Memory is taken as bytes
 * arrive, never from a declared length.
 */
export class MessageAssembler {
  private readonly allocate: (size: number) => Uint8Array;
  private first: Uint8Array | null = null;
  /** Once a second piece arrived: the message's parts in order, views of large pieces and stretches of copy buffers. */
  private parts: Uint8Array[] | null = null;
  /** The buffer small pieces are copied into, how much of it is filled, and where its current stretch starts. */
  private copy: Uint8Array | null = null;
  private copyFilled = 0;
  private copyStart = 0;
  private total = 0;
  private reserved = 0;
  private views = 0;

  constructor(allocate: (size: number) => Uint8Array) {
    this.allocate = allocate;
  }

  get size(): number {
    return this.total;
  }

  /** Bytes of the copy buffers the message holds (0 while it is a single piece). */
  get capacity(): number {
    return this.reserved;
  }

  /** Views of received chunks the message holds (each keeps its chunk alive). */
  get retainedViews(): number {
    return this.first === null ? this.views : 1;
  }

  /** Adds a piece. Throws what `allocate` throws (e.g. a RangeError for a size the platform cannot hold). */
  add(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.total += piece.length;
    if (this.parts === null) {
      const first = this.first;
      if (first === null) {
        this.first = piece;
        return;
      }
      this.first = null;
      this.parts = [];
      this.keep(first);
    }
    this.keep(piece);
  }

  /** The whole message: the only part itself when there is one (no copy), else one join. */
  finish(): Uint8Array {
    const parts = this.parts;
    if (parts === null) {
      // The common case, one piece (or none): nothing else was set.
      const first = this.first;
      this.first = null;
      this.total = 0;
      return first ?? new Uint8Array(0);
    }
    const total = this.total;
    this.endStretch();
    this.reset();
    if (parts.length === 1) return parts[0] as Uint8Array;
    const out = this.allocate(total);
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  reset(): void {
    this.first = null;
    this.parts = null;
    this.copy = null;
    this.copyFilled = 0;
    this.copyStart = 0;
    this.total = 0;
    this.reserved = 0;
    this.views = 0;
  }

  private keep(piece: Uint8Array): void {
    const length = piece.length;
    if (length >= MIN_VIEW && length * VIEW_SHARE >= piece.buffer.byteLength) {
      this.endStretch();
      (this.parts as Uint8Array[]).push(piece);
      this.views += 1;
      return;
    }
    let copy = this.copy;
    if (copy === null || copy.length - this.copyFilled < length) {
      // A buffer holding the whole message so far is moved into the next, so one buffer keeps holding everything.
      const moving = copy !== null && this.copyStart === 0 && (this.parts as Uint8Array[]).length === 0;
      const kept = moving ? this.copyFilled : 0;
      const grown = this.allocate(Math.max(kept + length, 2 * (copy === null ? 0 : copy.length), MIN_COPY_BUFFER));
      this.reserved += grown.length;
      if (moving) {
        grown.set((copy as Uint8Array).subarray(0, kept), 0);
        this.reserved -= (copy as Uint8Array).length;
      } else {
        this.endStretch();
        this.copyFilled = 0;
      }
      this.copyStart = 0;
      this.copy = copy = grown;
    }
    copy.set(piece, this.copyFilled);
    this.copyFilled += length;
  }

  /** Ends the copy buffer's current stretch as a part (a view, or a new buffer, comes next). */
  private endStretch(): void {
    if (this.copyFilled === this.copyStart) return;
    (this.parts as Uint8Array[]).push((this.copy as Uint8Array).subarray(this.copyStart, this.copyFilled));
    this.copyStart = this.copyFilled;
  }
}
