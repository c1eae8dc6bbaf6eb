/**
 * When to leave native WebSocket for SockJS, and when to try native again. Pure state plus a
 * `now` reading; the fallback transport turns it into timers.
 *
 * The rule (documented in the README):
 * - `WebSocket` missing from the page → SockJS at once, and never a probe.
 * - A native attempt that ends before it opens (the browser's error event, or no open within
 *   `openTimeoutMs`, counted by the transport) is a *failed open*. After
 *   `failuresBeforeFallback` consecutive failed opens with no native open yet on this page, the
 *   transport looks for evidence (sockjs-evidence.ts): SockJS is used only when the SockJS
 *   endpoint answers over HTTP while the upgrades fail, which is how a proxy that blocks
 *   WebSocket looks from a page. A server that is down (no HTTP answer either) is an outage, and
 *   a server without a SockJS endpoint cannot be helped by SockJS: in both cases the count starts
 *   again and native attempts go on. Once native has opened on the page, later failures are
 *   outages, not a proxy, and do not switch.
 * - The fallback is remembered for the page's lifetime (per host, shared by every session).
 *   Every `reprobeIntervalMs` native WebSocket is tried again: the next attempt after that time
 *   uses native, and a SockJS connection that stays open gets a background probe. A probe that
 *   opens switches back; one that fails waits another interval.
 */
export interface FallbackPolicyOptions {
  /** Consecutive failed native opens, with no native open yet, before the SockJS endpoint is looked at for evidence. Default 2. */
  readonly failuresBeforeFallback?: number;
  /** Milliseconds between probes of native WebSocket while on SockJS. Default 300,000 (5 minutes). */
  readonly reprobeIntervalMs?: number;
}

export type TransportName = 'websocket' | 'sockjs';

export const defaultFailuresBeforeFallback = 2;
export const defaultReprobeIntervalMs = 300_000;

export class FallbackPolicy {
  readonly #failuresBeforeFallback: number;
  readonly #reprobeIntervalMs: number;
  #mode: TransportName = 'websocket';
  #nativeEverOpened = false;
  #failures = 0;
  /** Wall-clock time (ms) from which native may be probed again while on SockJS. */
  #probeAt = 0;

  constructor(options: FallbackPolicyOptions = {}) {
    this.#failuresBeforeFallback = options.failuresBeforeFallback ?? defaultFailuresBeforeFallback;
    this.#reprobeIntervalMs = options.reprobeIntervalMs ?? defaultReprobeIntervalMs;
  }

  /** Wall-clock time (ms) at which a probe of native WebSocket is due (meaningful on SockJS). */
  get nextProbeAt(): number {
    return this.#probeAt;
  }

  /** The transport for the next attempt, given whether the page has a WebSocket at all. */
  choose(nativeAvailable: boolean, now: number): TransportName {
    if (!nativeAvailable) return (this.#mode = 'sockjs');
    if (this.#mode === 'sockjs' && now >= this.#probeAt) return 'websocket';
    return this.#mode;
  }

  /** A native connection opened (an ordinary attempt or a probe): native it is, for good. */
  nativeOpened(): void {
    this.#nativeEverOpened = true;
    this.#failures = 0;
    this.#mode = 'websocket';
  }

  /**
   * A native attempt or probe ended before opening. Returns true when the failures call for a look
   * at the SockJS endpoint: the caller looks, then reports what it found with evidence().
   */
  nativeFailed(now: number): boolean {
    if (this.#mode === 'sockjs') {
      // A failed probe: stay on SockJS for another interval.
      this.#probeAt = now + this.#reprobeIntervalMs;
      return false;
    }
    if (this.#nativeEverOpened || ++this.#failures < this.#failuresBeforeFallback) return false;
    // Counted afresh from here: failures while the look is under way count toward the next look.
    this.#failures = 0;
    return true;
  }

  /**
   * What the look found: `blocked` when the SockJS endpoint answered while upgrades failed: SockJS
   * from now on, unless native opened meanwhile. Without evidence native attempts simply go on.
   */
  evidence(blocked: boolean, now: number): void {
    if (!blocked || this.#nativeEverOpened) return;
    this.#mode = 'sockjs';
    this.#probeAt = now + this.#reprobeIntervalMs;
  }
}

let pagePolicies: Map<string, FallbackPolicy> | undefined;

/**
 * The page-wide policy for a host: a fallback learnt by one session holds for every session on the
 * page until a probe succeeds (module state lives as long as the page).
 */
export function pagePolicy(host: string, options?: FallbackPolicyOptions): FallbackPolicy {
  pagePolicies ??= new Map();
  let policy = pagePolicies.get(host);
  if (policy === undefined) pagePolicies.set(host, (policy = new FallbackPolicy(options)));
  return policy;
}
