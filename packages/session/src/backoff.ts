/**
 * Reconnect delays: exponential growth, capped, with "full jitter" (the delay is drawn uniformly
 * from [0, cap)), which spreads a crowd of clients that lost the same server over the whole window
 * instead of letting them return in synchronized waves. Pure: the random source is injected.
 */
export interface BackoffOptions {
  /** Upper bound of the first retry's delay, in ms. */
  readonly initialDelay: number;
  /** No delay ever exceeds this, in ms. */
  readonly maxDelay: number;
  /** Growth of the upper bound per attempt (2 doubles it). */
  readonly factor: number;
}

/**
 * The delay before reconnect attempt `attempt` (1 for the first retry), in ms, in [0, maxDelay].
 * `random` returns a number in [0, 1) like Math.random.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  // factor ** exponent overflows to Infinity for large attempts; Math.min keeps the cap, and
  // `|| 0` turns 0 × Infinity (initialDelay 0) into 0 rather than NaN.
  const ceiling = Math.min(options.maxDelay, options.initialDelay * options.factor ** exponent) || 0;
  // ceiling ≤ maxDelay and r ≤ 1, so the delay needs no second cap.
  return Math.floor(ceiling * Math.min(Math.max(random(), 0), 1));
}
