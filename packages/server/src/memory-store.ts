import type { TransportMessage } from '@keel/session';
import { defaultStoreLimits, type ResumeStore, type StoredSession, type StoreLimits } from './resume-store.js';

interface Entry {
  sent: number;
  received: number;
  expiresAt: number;
  /** Retained messages from index `head` on (acknowledged ones are skipped, and compacted away now and then). */
  messages: TransportMessage[];
  head: number;
}

/** The default store: one process's memory. Forgotten sessions are swept when new ones are created. */
export class MemoryStore implements ResumeStore {
  readonly #entries = new Map<string, Entry>();
  readonly #limits: Required<StoreLimits>;
  readonly #now: () => number;
  #sweptAt = 0;

  constructor(limits: StoreLimits = {}, now: () => number = Date.now) {
    this.#limits = { ...defaultStoreLimits, ...limits };
    this.#now = now;
  }

  /** Sessions held (the sweep's effect is observable). */
  get size(): number {
    return this.#entries.size;
  }

  create(id: string): void {
    this.#sweep();
    this.#entries.set(id, { sent: 0, received: 0, expiresAt: 0, messages: [], head: 0 });
  }

  async load(id: string): Promise<StoredSession | undefined> {
    const entry = this.#entries.get(id);
    return entry === undefined
      ? undefined
      : { sent: entry.sent, received: entry.received, expiresAt: entry.expiresAt, messages: entry.messages.slice(entry.head) };
  }

  append(id: string, seq: number, message: TransportMessage): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    entry.sent = seq;
    entry.messages.push(message);
    if (entry.messages.length - entry.head > this.#limits.maxMessages)
      this.#forget(entry, entry.messages.length - this.#limits.maxMessages);
  }

  received(id: string, count: number): void {
    const entry = this.#entries.get(id);
    if (entry !== undefined) entry.received = count;
  }

  acknowledged(id: string, received: number, sent: number): void {
    const entry = this.#entries.get(id);
    // Keep the messages after `received`: the last sent − received of them.
    if (entry !== undefined) this.#forget(entry, entry.messages.length - Math.max(0, sent - received));
  }

  /** Drops the messages before index `head`; the array is compacted once they are half of it. */
  #forget(entry: Entry, head: number): void {
    entry.head = Math.max(entry.head, head);
    if (entry.head > 64 && entry.head * 2 > entry.messages.length) {
      entry.messages = entry.messages.slice(entry.head);
      entry.head = 0;
    }
  }

  attach(id: string): void {
    const entry = this.#entries.get(id);
    if (entry !== undefined) entry.expiresAt = 0;
  }

  detach(id: string, expiresAt: number): void {
    const entry = this.#entries.get(id);
    if (entry !== undefined) entry.expiresAt = expiresAt;
  }

  discard(id: string): void {
    this.#entries.delete(id);
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }

  /** Drops sessions whose window closed more than keepMs ago (a full pass at most once a minute). */
  #sweep(): void {
    const now = this.#now();
    if (now - this.#sweptAt < 60_000) return;
    this.#sweptAt = now;
    const limit = now - this.#limits.keepMs;
    for (const [id, entry] of this.#entries) if (entry.expiresAt !== 0 && entry.expiresAt < limit) this.#entries.delete(id);
  }
}
