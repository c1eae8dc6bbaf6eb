import { systemClock, type Clock, type TimerHandle } from '@keel/session';

/**
 * The system clock, counting pending timers (a leak check: the system clock's timers are unref'd,
 * so process.getActiveResourcesInfo() does not list them) and recording how late timers fire, so
 * a test can bound a detection time by its configured value plus the event loop's own lateness.
 */
export class RecordingClock implements Clock {
  readonly #pending = new Set<TimerHandle>();
  maxLateness = 0;

  now(): number {
    return systemClock.now();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const due = systemClock.now() + delayMs;
    const handle: TimerHandle = systemClock.setTimeout(() => {
      this.#pending.delete(handle);
      this.maxLateness = Math.max(this.maxLateness, systemClock.now() - due);
      callback();
    }, delayMs);
    this.#pending.add(handle);
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#pending.delete(handle);
    systemClock.clearTimeout(handle);
  }

  get pending(): number {
    return this.#pending.size;
  }
}
