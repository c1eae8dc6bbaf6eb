import { tuning } from '../../protocol/config.js';
import { UsageError } from '../../protocol/errors.js';

/**
 * Default number of zlib operations running at once, process-wide. Unbounded parallel zlib work
 * (every connection inflating at once) fragments the native heap badly in long-running
 * processes; ws settled on 10 for the same reason (its `concurrencyLimit`).
 */
export const DEFAULT_ZLIB_CONCURRENCY = 10;

/**
 * A first-in first-out gate in front of zlib work. Jobs start in the order they were submitted
 * and at most `concurrency` of them run at once; the others wait in a queue that costs one
 * closure each (no zlib memory is held while waiting).
 *
 * A job must always settle: a job that never settles holds its slot forever. The Inflater and
 * Deflater guarantee that, including when they are closed mid-operation.
 */
export class ZlibLimiter {
  /** Most jobs running at once. */
  readonly concurrency: number;
  #running = 0;
  #queue: Array<() => void> = [];
  #head = 0;

  /** @param concurrency most jobs running at once, an integer ≥ 1 (or Infinity). Default 10. */
  constructor(concurrency: number = DEFAULT_ZLIB_CONCURRENCY) {
    if (!(concurrency === Number.POSITIVE_INFINITY || (Number.isInteger(concurrency) && concurrency >= 1))) {
      throw new UsageError('ERR_INVALID_OPTION', `The zlib concurrency must be an integer ≥ 1 or Infinity, got ${String(concurrency)}`);
    }
    this.concurrency = concurrency;
  }

  /** Jobs running now. */
  get active(): number {
    return this.#running;
  }

  /** Jobs waiting for a slot. */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /** Runs `job` once a slot is free; settles as the job's promise settles. */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.#running += 1;
        let result: Promise<T>;
        try {
          result = job();
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(
          (value) => {
            this.#release();
            resolve(value);
          },
          (error: unknown) => {
            this.#release();
            reject(error);
          },
        );
      };
      if (this.#running < this.concurrency) start();
      else this.#queue.push(start);
    });
  }

  #release(): void {
    this.#running -= 1;
    if (this.#head >= this.#queue.length) return;
    const next = this.#queue[this.#head];
    this.#head += 1;
    // Compact once the consumed prefix dominates, so a long-lived queue does not grow forever.
    if (this.#head > tuning.zlibQueueCompactAfter && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    next?.();
  }
}

/** The process-wide limiter every Inflater and Deflater uses unless given another. */
export const sharedZlibLimiter = new ZlibLimiter();
