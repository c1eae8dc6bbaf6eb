import type {
  Transport,
  TransportCapabilities,
  TransportCloseInfo,
  TransportConnection,
  TransportEventHandlers,
  TransportMessage,
  TransportOpenRequest,
} from '@keel/session';
import { browserCloseArgs } from './browser-close.js';
import { BrowserTransportError } from './browser-error.js';
import type { SockJSClientOptions, SockJSConstructorLike, SockJSLike } from './sockjs-like.js';
import { loadSockJS } from './sockjs-loader.js';
import { sockjsUrl } from './sockjs-url.js';

export interface SockJSTransportOptions {
  /**
   * Path of the SockJS endpoint on the WebSocket URL's host (an absolute path, e.g. '/sockjs').
   * Default: the WebSocket URL's own path, so one server mounts both on the same path. See sockjsUrl().
   */
  readonly path?: string;
  /** Passed to the SockJS constructor. Default: sockjs-client's defaults (every transport allowed). */
  readonly sockjs?: SockJSClientOptions;
  /** Supplies the SockJS constructor. Default: the lazy `sockjs-client` chunk (loaded once). */
  readonly load?: () => Promise<SockJSConstructorLike>;
}

/**
 * SockJS frames carry text only (its protocol wraps every message in a JSON string), cannot
 * negotiate subprotocols (no Sec-WebSocket-Protocol on HTTP polling), cannot ping, cannot set headers.
 */
export const sockjsCapabilities: TransportCapabilities = Object.freeze({
  binary: false,
  protocolPing: false,
  subprotocolNegotiation: false,
  customHeaders: false,
});

/** Abnormal closure (RFC 6455 §7.1.5). */
const abnormal = 1006;

/**
 * A Transport over sockjs-client. Binary sends throw BrowserTransportError ERR_BINARY_UNSUPPORTED
 * (the session checks `capabilities.binary` first and refuses them with its own typed error).
 */
export function sockjsTransport(options: SockJSTransportOptions = {}): Transport {
  let loading: Promise<SockJSConstructorLike> | undefined;
  const load = (): Promise<SockJSConstructorLike> => {
    // One fetch of the chunk per transport; a failed load is retried at the next attempt.
    loading ??= (options.load ?? loadSockJS)().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    name: 'sockjs',
    capabilities: sockjsCapabilities,
    open: (request, handlers) => openSockJS(load, options, request, handlers),
  };
}

function openSockJS(
  load: () => Promise<SockJSConstructorLike>,
  options: SockJSTransportOptions,
  request: TransportOpenRequest,
  handlers: TransportEventHandlers,
): TransportConnection {
  let socket: SockJSLike | undefined;
  let opened = false;
  let reported = false;
  // close() or terminate() before the chunk arrived: remember, and never create the socket.
  let cancelled = false;

  const report = (info: Omit<TransportCloseInfo, 'beforeOpen'>): void => {
    if (reported) return;
    reported = true;
    if (socket !== undefined) socket.onopen = socket.onmessage = socket.onclose = null;
    handlers.onClose({ ...info, beforeOpen: !opened });
  };
  const fail = (error?: BrowserTransportError): void => report({ code: abnormal, reason: '', wasClean: false, error });

  load().then(
    (SockJS) => {
      if (cancelled || reported) return;
      let url: string;
      try {
        url = sockjsUrl(request.url, options.path);
        socket = new SockJS(url, undefined, options.sockjs ?? {});
      } catch (cause) {
        fail(new BrowserTransportError('ERR_INVALID_URL', request.url, { cause }));
        return;
      }
      const sock = socket;
      sock.onopen = () => {
        opened = true;
        // No negotiation: the session sees protocol '' and applies its subprotocol policy.
        handlers.onOpen({ protocol: '', extensions: '' });
      };
      sock.onmessage = (event) => {
        if (typeof event.data === 'string') handlers.onMessage(event.data);
      };
      sock.onclose = (event) => report(closeInfo(event, opened));
    },
    (cause: unknown) => {
      fail(new BrowserTransportError('ERR_SOCKJS_LOAD', 'SockJS load failed', { cause }));
    },
  );

  return {
    send(data: TransportMessage): void {
      if (typeof data !== 'string') throw new BrowserTransportError('ERR_BINARY_UNSUPPORTED', 'SockJS: text only');
      if (socket === undefined || !opened || reported) throw new BrowserTransportError('ERR_INVALID_STATE', 'not open');
      socket.send(data);
    },
    close(code?: number, reason?: string): void {
      if (socket === undefined) {
        // Still loading the chunk: nothing was sent to the server, the attempt simply ends.
        cancelled = true;
        queueMicrotask(() => fail());
        return;
      }
      const args = browserCloseArgs(code, reason);
      socket.close(args.code, args.reason);
    },
    terminate(): void {
      cancelled = true;
      const sock = socket;
      if (sock !== undefined) {
        sock.onopen = sock.onmessage = sock.onclose = null;
        sock.close();
      }
      queueMicrotask(() => fail());
    },
    // sockjs-client exposes no buffer size; its transports hand each message to XHR or a WebSocket at once.
    bufferedAmount: 0,
  };
}

/**
 * sockjs-client reports its own failures with codes outside RFC 6455's range (2000 "All
 * transports failed", 1002 "Cannot connect to server" before any open): before an open, or for a
 * code RFC 6455 §7.4 does not define for the wire, report 1006 with the SockJS code in the error.
 */
function closeInfo(event: { readonly code: number; readonly reason: string; readonly wasClean: boolean }, opened: boolean): Omit<TransportCloseInfo, 'beforeOpen'> {
  const onWire = event.code === 1000 || (event.code >= 1001 && event.code <= 1014) || (event.code >= 3000 && event.code <= 4999);
  if (opened && onWire) return { code: event.code, reason: event.reason, wasClean: event.wasClean };
  const error = new BrowserTransportError('ERR_CONNECTION_LOST', `SockJS closed: ${event.code} ${event.reason}`);
  return { code: abnormal, reason: event.reason, wasClean: false, error };
}
