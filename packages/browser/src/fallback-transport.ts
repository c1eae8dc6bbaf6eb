import {
  systemClock,
  type Clock,
  type SubprotocolFallback,
  type Transport,
  type TransportCapabilities,
  type TransportConnection,
  type TransportEventHandlers,
  type TransportOpenRequest,
} from '@keel/session';
import { checkFallbackNumbers } from './browser-options.js';
import { FallbackPolicy, pagePolicy, type FallbackPolicyOptions, type TransportName } from './fallback-policy.js';
import { nativeCapabilities, nativeTransport, type NativeTransportOptions } from './native-transport.js';
import { sockjsCapabilities, sockjsTransport, type SockJSTransportOptions } from './sockjs-transport.js';
import type { NativeReprobe } from './sockjs-reprobe.js';
import { pageUrl } from './sockjs-url.js';
import { globalWebSocket } from './web-socket-like.js';

export interface FallbackTransportOptions extends FallbackPolicyOptions {
  /**
   * Milliseconds a native attempt (or a background probe) may take to open; after that it is
   * abandoned and counts as a failed open, since a blocking proxy may hold the upgrade forever.
   * Default 10,000.
   */
  readonly openTimeoutMs?: number;
  readonly native?: NativeTransportOptions;
  readonly sockjs?: SockJSTransportOptions;
  /** Called when the transport used for attempts changes; `name` is the new one. */
  readonly onTransportChange?: (name: TransportName) => void;
  /** Called when SockJS is skipped because it cannot help, with why (FallbackEvent); native attempts go on. */
  readonly onFallback?: (event: FallbackEvent) => void;
  /**
   * The session's `subprotocolFallback` (connect() passes it). SockJS cannot negotiate subprotocols,
   * so an attempt that offers some under 'refuse' never uses SockJS while the page has a WebSocket
   * (the session would end on it): native attempts go on. Default 'refuse', as in the session.
   */
  readonly subprotocolFallback?: SubprotocolFallback;
  /** The fallback state. Default: the page-wide policy of the URL's host (see pagePolicy). */
  readonly policy?: FallbackPolicy;
  /** Default: the system clock. */
  readonly clock?: Clock;
}

/**
 * A Transport whose `name` and `capabilities` are those of the live connection's transport, or,
 * between connections, of the transport the next attempt will use.
 */
export interface FallbackTransport extends Transport {
  readonly name: TransportName;
}

/**
 * Why SockJS was skipped after native opens failed (`onFallback`); native attempts go on.
 * - 'no-sockjs-endpoint': the server answers HTTP but has no SockJS endpoint there (a plain
 *   WebSocket server behind a network that fails the upgrades).
 * - 'subprotocols-refused': the SockJS endpoint answered, but the session offers subprotocols under
 *   `subprotocolFallback: 'refuse'` (SockJS cannot negotiate them).
 * A server that answers neither is an outage: no event. A switch to SockJS is `onTransportChange`.
 */
export interface FallbackEvent {
  readonly skipped: true;
  readonly reason: 'no-sockjs-endpoint' | 'subprotocols-refused';
}

export const defaultOpenTimeoutMs = 10_000;

/** Native WebSocket first, SockJS when the page lacks it or a proxy blocks it (rule: FallbackPolicy). */
export function fallbackTransport(options: FallbackTransportOptions = {}): FallbackTransport {
  checkFallbackNumbers(options, '');
  const clock = options.clock ?? systemClock;
  const openTimeoutMs = options.openTimeoutMs ?? defaultOpenTimeoutMs;
  const native = nativeTransport({ ...options.native, clock, openTimeoutMs });
  const sockjs = sockjsTransport(options.sockjs);
  const nativeAvailable = (): boolean => (options.native?.WebSocket ?? globalWebSocket()) !== undefined;

  /**
   * A native connection, abandoned if it has not opened after openTimeoutMs; `onFailedOpen` runs
   * when it ends before opening with an error, i.e. for any reason but the caller's own
   * close()/terminate() (see nativeTransport).
   */
  const openNative = (request: TransportOpenRequest, handlers: TransportEventHandlers, onFailedOpen: () => void): TransportConnection =>
    native.open(request, {
      onOpen: (info) => handlers.onOpen(info),
      onMessage: (data) => handlers.onMessage(data),
      onClose: (info) => {
        if (info.beforeOpen && info.error !== undefined) onFailedOpen();
        handlers.onClose(info);
      },
    });

  /**
   * A failed native open: once the policy asks for it, look at the SockJS endpoint for evidence.
   * An endpoint that answers is evidence only where SockJS may be used (see subprotocolFallback).
   */
  const nativeFailed = (policy: FallbackPolicy, request: TransportOpenRequest, refuse: boolean): void => {
    if (!policy.nativeFailed(clock.now())) return;
    void sockjs.look(request.url, clock, openTimeoutMs).then((found) => {
      const usable = found === 'answered' && !refuse;
      policy.evidence(usable, clock.now());
      if (found !== 'unreachable' && !usable)
        options.onFallback?.({ skipped: true, reason: found === 'missing' ? 'no-sockjs-endpoint' : 'subprotocols-refused' });
    });
  };

  /** How the SockJS connection (in the lazy chunk) probes native WebSocket, for `policy`'s host. */
  const reprobeFor = (policy: FallbackPolicy, request: TransportOpenRequest): NativeReprobe => ({
    clock,
    nextProbeAt: () => (nativeAvailable() ? policy.nextProbeAt : undefined),
    open: (handlers, onFailedOpen) => openNative(request, handlers, onFailedOpen),
    opened: () => policy.nativeOpened(),
    failed: () => policy.nativeFailed(clock.now()),
  });

  // The policy of the latest attempt's host: between connections it tells what comes next.
  let lastPolicy: FallbackPolicy | undefined = options.policy;
  // The latest connection while it lives (from open() to its onClose).
  let live: object | undefined;
  // The transport of the latest attempt; before any, what `name` says (a change is reported relative to it).
  let lastUsed: TransportName = nativeAvailable() ? 'websocket' : 'sockjs';
  /**
   * The transport of the live connection, or the one the next attempt will use. The session reads
   * `capabilities` just before open() (to decide on subprotocols) and at send() (binary or not),
   * so both must describe the connection they are about to deal with.
   */
  const peek = (): TransportName =>
    live === undefined && lastPolicy !== undefined ? lastPolicy.choose(nativeAvailable(), clock.now()) : lastUsed;

  return {
    get name(): TransportName {
      return peek();
    },
    get capabilities(): TransportCapabilities {
      return peek() === 'websocket' ? nativeCapabilities : sockjsCapabilities;
    },
    open(request, handlers) {
      // Attempts that refuse SockJS keep a page policy of their own, which never falls back.
      const refuse = request.protocols.length > 0 && options.subprotocolFallback !== 'in-band';
      const policy = options.policy ?? pagePolicy(hostOf(request.url) + (refuse ? ' refuse' : ''), options);
      lastPolicy = policy;
      const choice = policy.choose(nativeAvailable(), clock.now());
      if (choice !== lastUsed) options.onTransportChange?.(choice);
      lastUsed = choice;
      const token = {};
      live = token;
      const tracked: TransportEventHandlers = {
        onOpen(info) {
          if (choice === 'websocket') policy.nativeOpened();
          handlers.onOpen(info);
        },
        onMessage: (data) => handlers.onMessage(data),
        onClose(info) {
          if (live === token) live = undefined;
          handlers.onClose(info);
        },
      };
      if (choice === 'sockjs') return sockjs.open(request, tracked, reprobeFor(policy, request));
      return openNative(request, tracked, () => nativeFailed(policy, request, refuse));
    },
  };
}

/** The page-wide policy key: the host a URL points at (the whole URL when it does not parse). */
function hostOf(url: string): string {
  try {
    return pageUrl(url).host;
  } catch {
    return url;
  }
}
