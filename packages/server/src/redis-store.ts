import type { TransportMessage } from '@keel/session';
import type { Redis } from 'ioredis';
import { defaultStoreLimits, type ResumeStore, type StoredSession, type StoreLimits } from './resume-store.js';

export interface RedisStoreOptions extends StoreLimits {
  /** Prefix of every key. Default 'keel:resume:'. */
  readonly prefix?: string;
  /** Called when a write fails (writes are not awaited). Default: nothing. */
  readonly onError?: (error: unknown) => void;
}

const TEXT = 0x74; // 't'
const BINARY = 0x62; // 'b'

/** A message as a list element: one type byte, then the UTF-8 text or the bytes. */
function encode(message: TransportMessage): Buffer {
  const body =
    typeof message === 'string' ? Buffer.from(message, 'utf8') : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  return Buffer.concat([Buffer.of(typeof message === 'string' ? TEXT : BINARY), body]);
}

function decode(element: Buffer): TransportMessage {
  const body = element.subarray(1);
  return element[0] === TEXT ? body.toString('utf8') : new Uint8Array(body);
}

/**
 * Resume state in Redis, so that a client that reconnects to another server process resumes there.
 * Per session: a hash `<prefix><id>` (sent, received, expiresAt) and a list `<prefix><id>:out` of the
 * unacknowledged server messages. Both expire keepMs after the window closed (or after the last
 * acknowledgement, while a connection holds the session). One client connection applies the writes
 * in order; the store does not own it (`close()` leaves it open).
 */
export class RedisStore implements ResumeStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #limits: Required<StoreLimits>;
  readonly #onError: (error: unknown) => void;

  constructor(redis: Redis, options: RedisStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'keel:resume:';
    this.#limits = {
      maxMessages: options.maxMessages ?? defaultStoreLimits.maxMessages,
      keepMs: options.keepMs ?? defaultStoreLimits.keepMs,
    };
    this.#onError = options.onError ?? (() => {});
  }

  #keys(id: string): [hash: string, list: string] {
    return [this.#prefix + id, `${this.#prefix}${id}:out`];
  }

  #write(run: (hash: string, list: string) => Promise<unknown>, id: string): void {
    const [hash, list] = this.#keys(id);
    run(hash, list).catch(this.#onError);
  }

  create(id: string): void {
    this.#write(
      (hash, list) =>
        this.#redis.multi().del(list).hset(hash, { sent: 0, received: 0, expiresAt: 0 }).pexpire(hash, this.#limits.keepMs).exec(),
      id,
    );
  }

  async load(id: string): Promise<StoredSession | undefined> {
    const [hash, list] = this.#keys(id);
    const results = await this.#redis.multi().hgetall(hash).lrangeBuffer(list, 0, -1).exec();
    const [[hashError, fields], [listError, elements]] = results as [[Error | null, Record<string, string>], [Error | null, Buffer[]]];
    if (hashError !== null) throw hashError;
    if (listError !== null) throw listError;
    if (fields.sent === undefined) return undefined;
    return {
      sent: Number(fields.sent),
      received: Number(fields.received),
      expiresAt: Number(fields.expiresAt),
      messages: elements.map(decode),
    };
  }

  append(id: string, seq: number, message: TransportMessage): void {
    this.#write(
      (hash, list) =>
        this.#redis.multi().rpush(list, encode(message)).ltrim(list, -this.#limits.maxMessages, -1).hset(hash, 'sent', seq).exec(),
      id,
    );
  }

  received(id: string, count: number): void {
    this.#write((hash) => this.#redis.hset(hash, 'received', count), id);
  }

  acknowledged(id: string, received: number, sent: number): void {
    // The list ends with message `sent`: keep its last sent − received elements.
    const keep = sent - received;
    this.#write(
      (hash, list) =>
        (keep > 0 ? this.#redis.multi().ltrim(list, -keep, -1) : this.#redis.multi().del(list))
          .pexpire(hash, this.#limits.keepMs)
          .pexpire(list, this.#limits.keepMs)
          .exec(),
      id,
    );
  }

  attach(id: string): void {
    this.#write(
      (hash, list) =>
        this.#redis.multi().hset(hash, 'expiresAt', 0).pexpire(hash, this.#limits.keepMs).pexpire(list, this.#limits.keepMs).exec(),
      id,
    );
  }

  detach(id: string, expiresAt: number): void {
    const ttl = Math.max(1, expiresAt - Date.now()) + this.#limits.keepMs;
    this.#write((hash, list) => this.#redis.multi().hset(hash, 'expiresAt', expiresAt).pexpire(hash, ttl).pexpire(list, ttl).exec(), id);
  }

  discard(id: string): void {
    this.#write((hash, list) => this.#redis.del(hash, list), id);
  }

  async close(): Promise<void> {
    // The connection is the caller's.
  }
}
