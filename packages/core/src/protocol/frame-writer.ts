import { tuning } from './config.js';
import { applyMask } from './masking.js';

/** Frames up to this many payload bytes are written into a shared slab and coalesced. */
const SMALL_FRAME_PAYLOAD = tuning.coalescedFramePayloadMax;
/**
 * Coalescing slab sizes: a small one for the first frames after a flush (an idle or chatty
 * connection keeps at most this much), a large one once a burst in one tick fills it.
 */
const SMALL_SLAB_SIZE = tuning.writerSlabSmall;
const LARGE_SLAB_SIZE = tuning.writerSlabLarge;

export interface FrameWriterOptions {
  readonly randomFill: (target: Uint8Array) => void;
  /** Allocates an uninitialised buffer (Node: Buffer.allocUnsafe); default `new Uint8Array`. */
  readonly allocate?: (size: number) => Uint8Array;
}

/**
 * Serialises client frames (RFC 6455 §5.2): every frame masked with a fresh key from a strong
 * random source (§5.3, §10.3). Small frames are written, header and masked payload together,
 * into a slab, so that many messages sent in one tick leave as one buffer and one system call;
 * a large payload is masked into its own buffer (or in place when the caller hands it over) and
 * leaves as a separate buffer after its header, without being copied again.
 */
export class FrameWriter {
  private readonly randomFill: (target: Uint8Array) => void;
  private readonly allocate: (size: number) => Uint8Array;
  private readonly output: Uint8Array[] = [];
  private slab: Uint8Array | null = null;
  /** Start of the slab region not yet handed out, and the write position. */
  private slabStart = 0;
  private slabPosition = 0;
  /** Random bytes for mask keys, drawn in batches (one random call per 256 frames), allocated on first send. */
  private keys: Uint8Array | null = null;
  private keyOffset = 0;
  private pendingBytes = 0;

  constructor(options: FrameWriterOptions) {
    this.randomFill = options.randomFill;
    this.allocate = options.allocate ?? ((size) => new Uint8Array(size));
  }

  /** Bytes framed and not yet taken by take(). */
  get bufferedAmount(): number {
    return this.pendingBytes + this.slabPosition - this.slabStart;
  }

  /**
   * Frames `payload`. `owned`: the caller gives up the buffer, so it may be masked in place.
   * `rsv1`: the permessage-deflate bit (RFC 7692 §6), only on a message's first frame.
   */
  writeFrame(fin: boolean, opcode: number, payload: Uint8Array, owned = false, rsv1 = false): void {
    const length = payload.length;
    const headerLength = length < 126 ? 6 : length < 65536 ? 8 : 14;
    const key = this.nextKey();
    if (length <= SMALL_FRAME_PAYLOAD) {
      const slab = this.room(headerLength + length);
      const at = this.slabPosition;
      this.writeHeader(slab, at, fin, opcode, rsv1, length, key);
      applyMask(payload, slab, at + headerLength, key);
      this.slabPosition = at + headerLength + length;
      return;
    }
    this.writeHeader(this.room(headerLength), this.slabPosition, fin, opcode, rsv1, length, key);
    this.slabPosition += headerLength;
    this.cutSlab();
    const masked = owned ? payload : this.allocate(length);
    applyMask(payload, masked, 0, key);
    this.output.push(masked);
    this.pendingBytes += length;
  }

  /** Queues bytes that are not a frame (the handshake request), after what is already queued. */
  writeRaw(bytes: Uint8Array): void {
    this.cutSlab();
    this.output.push(bytes);
    this.pendingBytes += bytes.length;
  }

  /** Everything framed since the last call, in order; the caller writes it out. */
  take(): Uint8Array[] {
    this.cutSlab();
    // A large slab lives only for the burst that needed it.
    if (this.slab !== null && this.slab.length > SMALL_SLAB_SIZE) this.slab = null;
    if (this.output.length === 0) return [];
    const out = this.output.splice(0, this.output.length);
    this.pendingBytes = 0;
    return out;
  }

  private writeHeader(target: Uint8Array, at: number, fin: boolean, opcode: number, rsv1: boolean, length: number, key: Uint8Array): void {
    target[at] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
    let offset = at + 2;
    if (length < 126) {
      target[at + 1] = 0x80 | length;
    } else if (length < 65536) {
      target[at + 1] = 0x80 | 126;
      target[at + 2] = length >>> 8;
      target[at + 3] = length & 0xff;
      offset = at + 4;
    } else {
      target[at + 1] = 0x80 | 127;
      const high = Math.floor(length / 0x100000000);
      const low = length >>> 0;
      target[at + 2] = 0;
      target[at + 3] = 0;
      target[at + 4] = (high >>> 8) & 0xff;
      target[at + 5] = high & 0xff;
      target[at + 6] = low >>> 24;
      target[at + 7] = (low >>> 16) & 0xff;
      target[at + 8] = (low >>> 8) & 0xff;
      target[at + 9] = low & 0xff;
      offset = at + 10;
    }
    target[offset] = key[0] as number;
    target[offset + 1] = key[1] as number;
    target[offset + 2] = key[2] as number;
    target[offset + 3] = key[3] as number;
  }

  private nextKey(): Uint8Array {
    let keys = this.keys;
    if (keys === null || this.keyOffset === keys.length) {
      // Small at first: most connections send little; a busy one moves to larger batches.
      keys = new Uint8Array(keys === null ? tuning.maskKeyFirstBatch : tuning.maskKeyBatch);
      this.randomFill(keys);
      this.keys = keys;
      this.keyOffset = 0;
    }
    const key = keys.subarray(this.keyOffset, this.keyOffset + 4);
    this.keyOffset += 4;
    return key;
  }

  /** Hands out the slab region written since the last cut (never rewritten afterwards). */
  private cutSlab(): void {
    if (this.slab === null || this.slabPosition === this.slabStart) return;
    const region = this.slab.subarray(this.slabStart, this.slabPosition);
    this.output.push(region);
    this.pendingBytes += region.length;
    this.slabStart = this.slabPosition;
  }

  /** The slab, with at least `size` bytes free at slabPosition. */
  private room(size: number): Uint8Array {
    const slab = this.slab;
    if (slab !== null && this.slabPosition + size <= slab.length) return slab;
    this.cutSlab();
    // The first slab after a flush is small; a burst that fills it moves to a large one.
    const fresh = this.allocate(slab === null && size <= SMALL_SLAB_SIZE ? SMALL_SLAB_SIZE : Math.max(LARGE_SLAB_SIZE, size));
    this.slab = fresh;
    this.slabStart = 0;
    this.slabPosition = 0;
    return fresh;
  }
}
