import { createSession, type Resolvable, type Session, type SessionOptions, type Transport } from '@keel/session';
import { checkConnectOptions } from './browser-options.js';
import { browserLiveness, pageEnvironment, type LivenessEnvironment } from './browser-liveness.js';
import { fallbackTransport, type FallbackTransportOptions } from './fallback-transport.js';
import { nativeTransport } from './native-transport.js';
import { onlineGate } from './online-gate.js';

export interface BrowserConnectOptions extends Omit<SessionOptions, 'url' | 'transport' | 'headers'> {
  /**
   * Not available in browsers: neither the WebSocket API nor SockJS can set handshake headers
   * (send credentials in the URL, a cookie, or the first message). Typed `never` so that passing
   * headers is a compile error; from plain JavaScript, the session refuses them (SessionError
   * ERR_INVALID_OPTION: the transport has no `customHeaders` capability).
   */
  readonly headers?: never;
  /**
   * The SockJS fallback (see FallbackTransportOptions: failure rule, re-probe interval, open
   * timeout, SockJS path), or false for native WebSocket only. Default: on, with its defaults.
   */
  readonly fallback?: FallbackTransportOptions | false;
  /**
   * React to `online`/`offline`, `visibilitychange` and `pageshow`: probe the link at once, and hold
   * attempts while offline. Default true; pass false to opt out, or an environment (tests, iframes).
   */
  readonly liveness?: boolean | LivenessEnvironment;
  /** Replaces the WebSocket/SockJS transports entirely (liveness still applies). */
  readonly transport?: Transport;
}

/**
 * Opens a Keel session in a browser: native WebSocket, SockJS when WebSocket is missing or blocked,
 * and page liveness events wired to the session. Returns at once; the session connects in the
 * background (listen to 'open', or send right away: messages queue until then).
 */
export function connect(url: Resolvable<string>, options: BrowserConnectOptions = {}): Session {
  const { fallback, liveness, transport, ...sessionOptions } = options;
  checkConnectOptions(fallback, liveness);
  // The fallback must know it: SockJS cannot negotiate subprotocols (FallbackEvent 'subprotocols-refused').
  const { subprotocolFallback } = sessionOptions;
  const chosen = transport ?? (fallback === false ? nativeTransport() : fallbackTransport({ subprotocolFallback, ...fallback }));
  const gate = onlineGate(chosen);
  const session = createSession({ ...sessionOptions, url, transport: gate });
  if (liveness !== false) {
    const target = { probe: () => session.probe(), pause: () => gate.pause(), resume: () => gate.resume() };
    const stop = browserLiveness(target, typeof liveness === 'object' ? liveness : pageEnvironment());
    session.once('close', stop);
  }
  return session;
}
