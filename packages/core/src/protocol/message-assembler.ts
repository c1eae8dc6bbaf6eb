/**
 * Gathers the payload pieces of one message (all its frames, all their reads) and joins them
 * once at the end: the cost is the bytes themselves, one copy, whatever the fragment count
 * (RFC 6455 §5.4 lets a message have any number of fragments, including empty ones).
 */
export class MessageAssembler {
  private readonly pieces: Uint8Array[] = [];
  private total = 0;

  get size(): number {
    return this.total;
  }

  add(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.total += piece.length;
  }

  /** The whole message: the only piece itself when there was one (no copy), else one join. */
  finish(allocate: (size: number) => Uint8Array): Uint8Array {
    const pieces = this.pieces;
    const total = this.total;
    this.total = 0;
    if (pieces.length === 1) {
      const only = pieces[0] as Uint8Array;
      pieces.length = 0;
      return only;
    }
    if (total === 0) return new Uint8Array(0);
    const out = allocate(total);
    let offset = 0;
    for (const piece of pieces) {
      out.set(piece, offset);
      offset += piece.length;
    }
    pieces.length = 0;
    return out;
  }

  reset(): void {
    this.pieces.length = 0;
    this.total = 0;
  }
}
