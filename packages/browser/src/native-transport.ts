import {
  systemClock,
  type Clock,
  type Transport,
  type TransportCapabilities,
  type TransportCloseInfo,
  type TransportConnection,
  type TransportEventHandlers,
  type TransportMessage,
  type TransportOpenRequest,
} from '@keel/session';
import { abnormalClose, abnormalClosure, closeBrowserSocket } from './browser-close.js';
import { BrowserTransportError } from './browser-error.js';
import { globalWebSocket, type WebSocketConstructorLike, type WebSocketLike } from './web-socket-like.js';

export interface NativeTransportOptions {
  /** The WebSocket constructor to use. Default: the page's `WebSocket`, looked up at every attempt. */
  readonly WebSocket?: WebSocketConstructorLike;
  /**
   * Milliseconds a connection may take to open; after that it is abandoned and ends with
   * ERR_OPEN_TIMEOUT (a proxy that blocks WebSocket may hold the upgrade forever). Default: none,
   * the browser's own limit. connect() passes the fallback's `openTimeoutMs` (10,000).
   */
  readonly openTimeoutMs?: number;
  /** Time source of openTimeoutMs. Default: the system clock. */
  readonly clock?: Clock;
}

/**
 * Browsers cannot send Ping frames (the session falls back to an application-level ping) nor set
 * request headers; they do negotiate subprotocols and carry binary messages.
 */
export const nativeCapabilities: TransportCapabilities = Object.freeze({
  binary: true,
  protocolPing: false,
  subprotocolNegotiation: true,
  customHeaders: false,
});

/**
 * A Transport over the browser's native `WebSocket`, binary messages as Uint8Array. A connection
 * that ends before it opens reports an `error` exactly when the caller did not end it (close() or
 * terminate()): that is what the fallback counts as a failed open.
 */
export function nativeTransport(options: NativeTransportOptions = {}): Transport {
  return {
    name: 'websocket',
    capabilities: nativeCapabilities,
    open: (request, handlers) => openNative(options, request, handlers),
  };
}

function openNative(options: NativeTransportOptions, request: TransportOpenRequest, handlers: TransportEventHandlers): TransportConnection {
  const Ctor = options.WebSocket ?? globalWebSocket();
  const clock = options.clock ?? systemClock;
  let socket: WebSocketLike | undefined;
  let opened = false;
  let failure: BrowserTransportError | undefined;
  let reported = false;
  // The caller is closing it: the browser's error event that follows is not a failure.
  let ending = false;

  // onClose is reported exactly once per connection, whatever ends it first.
  const report = (info: Omit<TransportCloseInfo, 'beforeOpen'>): void => {
    if (reported) return;
    reported = true;
    stopOpenTimer();
    detach();
    handlers.onClose({ ...info, beforeOpen: !opened });
  };
  const reportLater = (error?: BrowserTransportError): void => {
    // Deferred so that the caller receives the connection object before its onClose runs.
    queueMicrotask(() => report(abnormalClose(error)));
  };
  const detach = (): void => {
    if (socket === undefined) return;
    socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
  };
  // A page cannot abort a TCP connection: close it and stop listening; the session moves on now.
  const abandon = (error?: BrowserTransportError): void => {
    detach();
    try {
      socket?.close();
    } catch {
      // Already closing: nothing more a page can do.
    }
    reportLater(error);
  };
  const openTimer =
    options.openTimeoutMs === undefined
      ? undefined
      : clock.setTimeout(() => abandon(new BrowserTransportError('ERR_OPEN_TIMEOUT', 'open timeout')), options.openTimeoutMs);
  const stopOpenTimer = (): void => {
    if (openTimer !== undefined) clock.clearTimeout(openTimer);
  };

  if (Ctor === undefined) {
    reportLater(new BrowserTransportError('ERR_WEBSOCKET_UNAVAILABLE', 'no WebSocket'));
  } else {
    try {
      socket = new Ctor(request.url, request.protocols.length > 0 ? [...request.protocols] : undefined);
    } catch (cause) {
      // The constructor throws SyntaxError for a bad URL or a bad protocol list: retrying cannot help.
      reportLater(new BrowserTransportError('ERR_INVALID_URL', request.url, { cause }));
    }
  }

  if (socket !== undefined) {
    const ws = socket;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      opened = true;
      stopOpenTimer();
      handlers.onOpen({ protocol: ws.protocol, extensions: ws.extensions });
    };
    ws.onmessage = (event) => {
      const data: unknown = event.data;
      if (typeof data === 'string') handlers.onMessage(data);
      else if (data instanceof ArrayBuffer) handlers.onMessage(new Uint8Array(data));
      // binaryType is 'arraybuffer', so no Blob can arrive.
    };
    ws.onerror = () => {
      // Browsers withhold the cause (WHATWG: no detail, to avoid leaking network information).
      if (!ending) failure = new BrowserTransportError('ERR_CONNECTION_LOST', opened ? 'connection lost' : 'connect failed');
    };
    ws.onclose = (event) => {
      report({ code: event.code || abnormalClosure, reason: event.reason, wasClean: event.wasClean, error: failure });
    };
  }

  return {
    send(data: TransportMessage): void {
      if (socket === undefined || reported) throw new BrowserTransportError('ERR_INVALID_STATE', 'not open');
      socket.send(data);
    },
    close(code?: number, reason?: string): void {
      ending = true;
      stopOpenTimer();
      closeBrowserSocket(socket, code, reason);
    },
    terminate(): void {
      // No error: the session terminated it and knows why (heartbeat timeout, abort).
      abandon();
    },
    get bufferedAmount(): number {
      return socket?.bufferedAmount ?? 0;
    },
  };
}
