import type { TransportMessage } from './transport.js';

/**
 * One `for await (const m of session)` loop: buffers the messages that arrive between two reads
 * and ends (done) when the session closes. Created by the session, which pushes and ends it.
 * The buffer is not bounded: a loop that stops reading should `break` (which detaches it).
 */
export class MessageIterator implements AsyncIterableIterator<TransportMessage> {
  readonly #buffer: TransportMessage[] = [];
  readonly #waiting: Array<(result: IteratorResult<TransportMessage>) => void> = [];
  readonly #detach: (iterator: MessageIterator) => void;
  #done = false;

  constructor(detach: (iterator: MessageIterator) => void) {
    this.#detach = detach;
  }

  push(message: TransportMessage): void {
    if (this.#done) return;
    const resolve = this.#waiting.shift();
    if (resolve !== undefined) resolve({ value: message, done: false });
    else this.#buffer.push(message);
  }

  /** The session closed: buffered messages are still read, then the loop ends. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    for (const resolve of this.#waiting.splice(0)) resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<TransportMessage>> {
    const message = this.#buffer.shift();
    if (message !== undefined) return Promise.resolve({ value: message, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** `break` out of the loop: stop buffering. */
  return(): Promise<IteratorResult<TransportMessage>> {
    this.#buffer.length = 0;
    this.end();
    this.#detach(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<TransportMessage> {
    return this;
  }
}
