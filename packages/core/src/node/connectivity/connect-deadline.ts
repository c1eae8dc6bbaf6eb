import { ConnectStageError, type ConnectStage } from './connectivity-errors.js';

/** Something the deadline destroys when the attempt fails (a socket, a request). */
export interface Destroyable {
  destroy(): unknown;
  readonly destroyed?: boolean;
}

/** Options of {@link ConnectDeadline}. */
export interface ConnectDeadlineOptions {
  /**
   * Milliseconds the whole attempt may take, from construction to {@link ConnectDeadline.finish}:
   * DNS, TCP, TLS, the proxy and the WebSocket handshake together. Default `undefined`: no time
   * limit (the WebSocket option `handshakeTimeout`, default 30,000 ms, is what the Node layer
   * passes here).
   */
  timeout?: number | undefined;
  /** Cancels the attempt at whatever stage it is in. Default: none. */
  signal?: AbortSignal | undefined;
}

/**
 * One deadline and one cancellation for a whole connection attempt. The connect code enters each
 * stage, registers every socket it creates with {@link track} and awaits each step through
 * {@link race}. When the time runs out or the signal fires, every tracked socket is destroyed and
 * every pending and later `race` rejects with `ERR_CONNECT_TIMEOUT` or `ERR_ABORTED` naming the
 * stage. Call {@link finish} once the attempt is over (opened or failed) to clear the timer.
 */
export class ConnectDeadline {
  #stage: ConnectStage = 'lookup';
  #failure: ConnectStageError | undefined;
  #finished = false;
  readonly #tracked = new Set<Destroyable>();
  // The controller behind `signal` and the promise race() races against are made on first use:
  // a direct connection needs neither, and every connection pays for what it creates.
  #controller: AbortController | null = null;
  #failed: Promise<never> | null = null;
  #rejectFailed: (error: ConnectStageError) => void = () => undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => {
    this.abort(this.#signal?.reason);
  };

  constructor(options: ConnectDeadlineOptions = {}) {
    this.#signal = options.signal;
    const { timeout } = options;
    if (timeout !== undefined) {
      if (!Number.isFinite(timeout) || timeout < 0)
        throw new RangeError(`timeout must be a finite number of milliseconds ≥ 0, got ${timeout}`);
      this.#timer = setTimeout(() => {
        this.#fail(
          new ConnectStageError(
            'ERR_CONNECT_TIMEOUT',
            this.#stage,
            `Connection attempt timed out after ${timeout} ms during ${this.#stage}`,
          ),
        );
      }, timeout);
    }
    if (this.#signal !== undefined) {
      if (this.#signal.aborted) this.#onAbort();
      else this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** The stage the attempt is in. */
  get stage(): ConnectStage {
    return this.#stage;
  }

  /** The timeout or abort error once the deadline fired, else `undefined`. */
  get failure(): ConnectStageError | undefined {
    return this.#failure;
  }

  /**
   * Aborted when the deadline fires (reason: the {@link ConnectStageError}); pass it to APIs that
   * take a signal (`dns.promises.lookup` does not, `fetch`-like calls do).
   */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#failure !== undefined) this.#controller.abort(this.#failure);
    }
    return this.#controller.signal;
  }

  /**
   * Cancels the attempt as the `signal` option firing would: `ERR_ABORTED` naming the stage, with
   * `reason` as its cause. No effect once the deadline fired or the attempt finished.
   */
  abort(reason?: unknown): void {
    this.#fail(new ConnectStageError('ERR_ABORTED', this.#stage, `Connection attempt aborted during ${this.#stage}`, { cause: reason }));
  }

  /** Records that the attempt moved to `stage` (named in timeout and abort errors). */
  enter(stage: ConnectStage): void {
    if (this.#failure === undefined && !this.#finished) this.#stage = stage;
  }

  /** Throws the timeout/abort error if the deadline already fired. */
  throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  /**
   * Registers `resource` to be destroyed (with no error argument, so no 'error' event) if the
   * deadline fires. Destroys it at once when the deadline already fired. Returns `resource`.
   */
  track<T extends Destroyable>(resource: T): T {
    if (this.#failure !== undefined) {
      resource.destroy();
    } else if (!this.#finished) {
      this.#tracked.add(resource);
    }
    return resource;
  }

  /** Stops tracking `resource` (it was closed by its owner or handed to another). */
  untrack(resource: Destroyable): void {
    this.#tracked.delete(resource);
  }

  /**
   * Enters `stage` and settles like `step`, unless the deadline fires first: then rejects with
   * the timeout/abort error (tracked sockets are destroyed, so `step` settles soon too).
   */
  race<T>(stage: ConnectStage, step: Promise<T>): Promise<T> {
    this.enter(stage);
    if (this.#failure !== undefined) {
      step.catch(() => undefined);
      return Promise.reject(this.#failure);
    }
    // A step that fails after the deadline won is not the reported failure.
    step.catch(() => undefined);
    if (this.#failed === null) {
      this.#failed = new Promise<never>((_, reject) => {
        this.#rejectFailed = reject;
      });
      // The failure is delivered through race(); this keeps an unobserved one from being reported as unhandled.
      this.#failed.catch(() => undefined);
    }
    return Promise.race([step, this.#failed]);
  }

  /**
   * Ends the attempt: clears the timer and the abort listener and forgets the tracked sockets
   * without destroying them (the opened connection now belongs to the caller; on failure the
   * caller destroys its own socket). Idempotent.
   */
  finish(): void {
    this.#finished = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#tracked.clear();
  }

  #fail(error: ConnectStageError): void {
    if (this.#failure !== undefined || this.#finished) return;
    this.#failure = error;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const resource of this.#tracked) {
      // Destroyed without an error: an 'error' event nobody listens to would crash the process;
      // the failure reaches the caller through race().
      if (resource.destroyed !== true) resource.destroy();
    }
    this.#tracked.clear();
    this.#controller?.abort(error);
    this.#rejectFailed(error);
  }
}
