import type { SessionError } from './session-error.js';
import type { TransportMessage } from './transport.js';

/**
 * One `for await (const m of session)` loop: buffers the messages that arrive between two reads
 * and ends when the session closes — done when it closed OK (the app's close(), its abort signal,
 * a server's normal 1000), rejected with the session's error otherwise, as python-websockets
 * draws the line between ConnectionClosedOK and ConnectionClosedError. Created by the session,
 * which pushes and ends it; the session watches `bytes`/`length` to apply backpressure.
 */
export class MessageIterator implements AsyncIterableIterator<TransportMessage> {
  readonly #buffer: TransportMessage[] = [];
  readonly #waiting: Array<{ resolve: (result: IteratorResult<TransportMessage>) => void; reject: (error: unknown) => void }> = [];
  readonly #detach: (iterator: MessageIterator) => void;
  /** Called after a read took a message out of the buffer (the session may resume reading). */
  readonly #onRead: () => void;
  #bytes = 0;
  #done = false;
  /** Why the session ended, when it ended with an error: the read after the buffer rejects with it (once). */
  #error: SessionError | undefined;

  constructor(detach: (iterator: MessageIterator) => void, onRead: () => void = () => {}) {
    this.#detach = detach;
    this.#onRead = onRead;
  }

  /** Messages waiting to be read. */
  get length(): number {
    return this.#buffer.length;
  }

  /** Size of the messages waiting to be read (see heldSize). */
  get bytes(): number {
    return this.#bytes;
  }

  push(message: TransportMessage): void {
    if (this.#done) return;
    const waiting = this.#waiting.shift();
    if (waiting !== undefined) return waiting.resolve({ value: message, done: false });
    this.#buffer.push(message);
    this.#bytes += heldSize(message);
  }

  /** The session closed: buffered messages are still read, then the loop ends (or throws `error`). */
  end(error?: SessionError): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = error;
    for (const waiting of this.#waiting.splice(0)) this.#settle(waiting.resolve, waiting.reject);
  }

  next(): Promise<IteratorResult<TransportMessage>> {
    if (this.#buffer.length > 0) {
      const message = this.#buffer.shift() as TransportMessage;
      this.#bytes -= heldSize(message);
      this.#onRead();
      return Promise.resolve({ value: message, done: false });
    }
    return new Promise((resolve, reject) => {
      if (this.#done) this.#settle(resolve, reject);
      else this.#waiting.push({ resolve, reject });
    });
  }

  /** `break` out of the loop: stop buffering. */
  return(): Promise<IteratorResult<TransportMessage>> {
    this.#buffer.length = 0;
    this.#bytes = 0;
    // Leaving the loop is the app's own choice: nothing left to report.
    this.#error = undefined;
    this.end();
    this.#detach(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<TransportMessage> {
    return this;
  }

  /** A read after the end: done, or the error once (later reads are done, as after a throw). */
  #settle(resolve: (result: IteratorResult<TransportMessage>) => void, reject: (error: unknown) => void): void {
    const error = this.#error;
    if (error === undefined) return resolve({ value: undefined, done: true });
    this.#error = undefined;
    reject(error);
  }
}

/**
 * What a buffered message holds, cheaply: bytes for binary, UTF-16 code units for text (a string
 * keeps one or two bytes per code unit in memory; encoding it to count UTF-8 would cost a copy of
 * every message on the receive path).
 */
export function heldSize(message: TransportMessage): number {
  return typeof message === 'string' ? message.length : message.byteLength;
}
