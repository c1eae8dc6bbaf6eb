import {
  systemClock,
  type Clock,
  type Transport,
  type TransportCapabilities,
  type TransportConnection,
  type TransportEventHandlers,
  type TransportOpenRequest,
} from '@keel/session';
import { BrowserTransportError } from './browser-error.js';
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

export const defaultOpenTimeoutMs = 10_000;

/** Native WebSocket first, SockJS when the page lacks it or a proxy blocks it (rule: FallbackPolicy). */
export function fallbackTransport(options: FallbackTransportOptions = {}): FallbackTransport {
  const clock = options.clock ?? systemClock;
  const native = nativeTransport({ ...options.native, clock, openTimeoutMs: options.openTimeoutMs ?? defaultOpenTimeoutMs });
  const sockjs = sockjsTransport(options.sockjs);
  const nativeAvailable = (): boolean => (options.native?.WebSocket ?? globalWebSocket()) !== undefined;
  // What `name` said before any attempt: a change is reported relative to it.
  const initial: TransportName = nativeAvailable() ? 'websocket' : 'sockjs';

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
  let lastUsed: TransportName | undefined;

  /**
   * The transport of the live connection, or the one the next attempt will use. The session reads
   * `capabilities` just before open() (to decide on subprotocols) and at send() (binary or not),
   * so both must describe the connection they are about to deal with.
   */
  const peek = (): TransportName => {
    if (live !== undefined && lastUsed !== undefined) return lastUsed;
    if (lastPolicy !== undefined) return lastPolicy.choose(nativeAvailable(), clock.now());
    return nativeAvailable() ? 'websocket' : 'sockjs';
  };

  return {
    get name(): TransportName {
      return peek();
    },
    get capabilities(): TransportCapabilities {
      return peek() === 'websocket' ? nativeCapabilities : sockjsCapabilities;
    },
    open(request, handlers) {
      const policy = options.policy ?? pagePolicy(hostOf(request.url), options);
      lastPolicy = policy;
      const choice = policy.choose(nativeAvailable(), clock.now());
      if (choice !== (lastUsed ?? initial)) options.onTransportChange?.(choice);
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
      return openNative(request, tracked, () => policy.nativeFailed(clock.now()));
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
