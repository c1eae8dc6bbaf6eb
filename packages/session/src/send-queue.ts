import { SessionError } from './session-error.js';
import type { TransportMessage } from './transport.js';

/** What happens when a message does not fit in the queue. */
export type OverflowPolicy = 'reject' | 'drop-oldest' | 'drop-newest';

export interface SendQueueOptions {
  /** Most messages held while not open. Default 1,000. 0 disables queueing. */
  readonly maxMessages: number;
  /** Most bytes held (UTF-8 length of text, byteLength of binary). Default 1 MiB (1,048,576). */
  readonly maxBytes: number;
  /** Default 'reject': send() throws ERR_QUEUE_FULL and nothing already queued is lost. */
  readonly overflow: OverflowPolicy;
}

export const defaultQueueOptions: SendQueueOptions = Object.freeze({
  maxMessages: 1000,
  maxBytes: 1024 * 1024,
  overflow: 'reject',
});

/**
 * The runtime's encoder: every runtime Keel supports has one (browsers, Node ≥ 12), but it is not
 * in the ES library types the transport-agnostic session compiles against, hence this shape.
 */
interface TextEncoderLike {
  encode(text: string): Uint8Array;
  encodeInto(text: string, into: Uint8Array): { readonly written: number };
}

/** Strings up to this many UTF-16 units are measured into a reused buffer (3 bytes per unit at most). */
const SCRATCH_UNITS = 4096;
let encoder: TextEncoderLike | undefined;
let scratch: Uint8Array | undefined;

/**
 * UTF-8 length of a string; a lone surrogate counts as U+FFFD (3 bytes), as it is sent. With
 * resumable sessions every sent message is measured (it stays queued until acknowledged): small
 * strings are encoded into one reused buffer, so measuring allocates nothing (an allocating encode
 * per message cost more than the send itself).
 */
export function utf8Length(text: string): number {
  encoder ??= new (globalThis as unknown as { TextEncoder: new () => TextEncoderLike }).TextEncoder();
  if (text.length > SCRATCH_UNITS) return encoder.encode(text).byteLength;
  scratch ??= new Uint8Array(3 * SCRATCH_UNITS);
  return encoder.encodeInto(text, scratch).written;
}

export function messageSize(message: TransportMessage): number {
  return typeof message === 'string' ? utf8Length(message) : message.byteLength;
}

/** The outcome of enqueue: whether the new message was queued, and what the overflow policy dropped. */
export interface EnqueueResult {
  readonly queued: boolean;
  readonly dropped: readonly TransportMessage[];
}

/**
 * FIFO of messages waiting for the next open connection, bounded by count and by bytes.
 * Pure data structure: the session decides when to flush and reports drops.
 */
export class SendQueue {
  readonly #options: SendQueueOptions;
  #items: TransportMessage[] = [];
  /** The size of each item (measured once, when queued). */
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;

  constructor(options: SendQueueOptions) {
    this.#options = options;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Adds a message at the tail. Under 'reject' a message that does not fit throws ERR_QUEUE_FULL;
   * under 'drop-oldest' the oldest messages make room (a message larger than the whole queue is
   * dropped itself); under 'drop-newest' the new message is dropped.
   */
  enqueue(message: TransportMessage): EnqueueResult {
    const size = messageSize(message);
    const { maxMessages, maxBytes, overflow } = this.#options;
    const fits = (): boolean => this.length + 1 <= maxMessages && this.#bytes + size <= maxBytes;
    const dropped: TransportMessage[] = [];
    if (!fits()) {
      if (overflow === 'reject')
        throw new SessionError('ERR_QUEUE_FULL', `send queue full (queue.maxMessages ${maxMessages}, maxBytes ${maxBytes})`);
      // A message that would not fit even in an empty queue is dropped itself.
      if (overflow === 'drop-newest' || !(maxMessages >= 1 && size <= maxBytes)) return { queued: false, dropped: [message] };
      // It fits alone, so evicting ends at the latest when the queue is empty.
      while (!fits()) dropped.push(this.shift() as TransportMessage);
    }
    this.#items.push(message);
    this.#sizes.push(size);
    this.#bytes += size;
    return { queued: true, dropped };
  }

  /** Removes and returns the oldest message. */
  shift(): TransportMessage | undefined {
    if (this.length === 0) return undefined;
    const message = this.#items[this.#head] as TransportMessage;
    this.#bytes -= this.#sizes[this.#head] as number;
    this.#head++;
    // Compact now and then so a long-lived queue does not keep consumed slots alive.
    if (this.#head > 64 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
    return message;
  }

  /** The message `index` places after the head, without removing it (resumption replays from the queue). */
  peek(index: number): TransportMessage | undefined {
    return index < this.length ? this.#items[this.#head + index] : undefined;
  }

  /** Removes the message `index` places after the head (one a resumable session cannot send). */
  removeAt(index: number): void {
    const [size] = this.#sizes.splice(this.#head + index, 1);
    this.#items.splice(this.#head + index, 1);
    this.#bytes -= size ?? 0;
  }

  /** Puts a message back at the head (a flush that could not hand it over). */
  unshift(message: TransportMessage): void {
    // At most once per flush: an insertion is fine.
    const size = messageSize(message);
    this.#items.splice(this.#head, 0, message);
    this.#sizes.splice(this.#head, 0, size);
    this.#bytes += size;
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): TransportMessage[] {
    const rest = this.#items.slice(this.#head);
    this.#items = [];
    this.#sizes = [];
    this.#head = 0;
    this.#bytes = 0;
    return rest;
  }
}
