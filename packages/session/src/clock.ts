/**
 * Time as the session sees it. Injected so that tests drive time by hand (no real waiting) and
 * so that deadlines are measured with `now()` (wall-clock) rather than by trusting that a timer
 * fired on time: background tabs throttle timers, wall-clock time keeps moving.
 */
export interface Clock {
  /** Wall-clock milliseconds (Date.now() in production). */
  now(): number;
  /** Calls `callback` once after at least `delayMs` milliseconds; returns a handle for clearTimeout. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque timer handle: a number in browsers, a Timeout object on Node. */
export type TimerHandle = unknown;

interface GlobalTimers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: Date.now and the global timers (unref'd on Node so a session never holds a process open by its timers alone). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = (globalThis as unknown as GlobalTimers).setTimeout(callback, delayMs);
    // Node's Timeout has unref(); a browser's numeric handle has nothing to call.
    (handle as { unref?: () => void } | null)?.unref?.();
    return handle;
  },
  clearTimeout(handle) {
    (globalThis as unknown as GlobalTimers).clearTimeout(handle);
  },
};
