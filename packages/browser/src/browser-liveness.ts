/**
 * What the page knows about the network before any socket does. Browsers fire `offline`/`online`
 * when the network interface goes or comes, `visibilitychange` when a tab comes back to the front
 * (its timers were throttled, its connection may have died silently meanwhile) and `pageshow` when
 * a page is restored from the back/forward cache (its sockets were closed while frozen).
 * Each of these is a reason to check the link now rather than at the next heartbeat.
 */

/** The hooks on the session that liveness drives. */
export interface LivenessTarget {
  /**
   * Check the link now: when open, an immediate heartbeat ping (a dead link is then found within one
   * heartbeat timeout); when waiting to reconnect, attempt now instead of waiting out the delay.
   */
  probe(): void;
  /** The network is gone: make no attempts (none would succeed, each would grow the backoff) until resume(). */
  pause(): void;
  /** The network is back: attempts may run again. */
  resume(): void;
}

/** The page objects liveness listens to; structural so that tests can pass their own. */
export interface LivenessEnvironment {
  readonly window: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  readonly document?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & { readonly visibilityState: string };
  readonly navigator?: { readonly onLine?: boolean };
}

/** The real page, or undefined outside a browser (workers have no document; Node has no window). */
export function pageEnvironment(): LivenessEnvironment | undefined {
  // A page's globals are such an environment: `window`, `document` and `navigator`.
  const page = globalThis as Partial<LivenessEnvironment>;
  return typeof page.window?.addEventListener === 'function' ? (page as LivenessEnvironment) : undefined;
}

/**
 * Wires the events of `env` (the page's: pageEnvironment(); none outside a browser) to `target`;
 * returns the function that removes every listener (call it when the session closes).
 * `navigator.onLine === false` at start pauses at once; `true` is only a hint (a LAN without
 * internet still counts as online), so online never skips a real check.
 */
export function browserLiveness(target: LivenessTarget, env: LivenessEnvironment | undefined): () => void {
  if (env === undefined) return () => {};
  const { window, document } = env;
  const onOnline = (): void => {
    target.resume();
    target.probe();
  };
  // Offline: hold new attempts, and check the current link at once (it may be dead already, or
  // survive a brief flap); a dead one is then found within one heartbeat timeout.
  const onOffline = (): void => {
    target.pause();
    target.probe();
  };
  const onVisible = (): void => {
    if (document?.visibilityState === 'visible') target.probe();
  };
  const onPageShow = (): void => target.probe();

  if (env.navigator?.onLine === false) target.pause();
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  window.addEventListener('pageshow', onPageShow);
  document?.addEventListener('visibilitychange', onVisible);
  return () => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('pageshow', onPageShow);
    document?.removeEventListener('visibilitychange', onVisible);
  };
}
