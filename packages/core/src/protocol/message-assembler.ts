/**
 * Gathers the payload pieces of one message (all its frames, all their reads) and joins them
 * once at the end: the cost is the bytes themselves, one copy, whatever the fragment count
 * (RFC 6455 §5.4 lets a message have any number of fragments, including empty ones).
 * The first piece is held on its own: most messages have one, and then no list is touched.
 */
export class MessageAssembler {
  private first: Uint8Array | null = null;
  private more: Uint8Array[] | null = null;
  private total = 0;

  get size(): number {
    return this.total;
  }

  add(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.first === null) this.first = piece;
    else if (this.more === null) this.more = [piece];
    else this.more.push(piece);
    this.total += piece.length;
  }

  /** The whole message: the only piece itself when there was one (no copy), else one join. */
  finish(allocate: (size: number) => Uint8Array): Uint8Array {
    const first = this.first;
    const more = this.more;
    const total = this.total;
    this.first = null;
    this.more = null;
    this.total = 0;
    if (first === null) return new Uint8Array(0);
    if (more === null) return first;
    const out = allocate(total);
    out.set(first, 0);
    let offset = first.length;
    for (const piece of more) {
      out.set(piece, offset);
      offset += piece.length;
    }
    return out;
  }

  reset(): void {
    this.first = null;
    this.more = null;
    this.total = 0;
  }
}
