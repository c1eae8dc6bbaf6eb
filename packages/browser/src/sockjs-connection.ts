import {
  isReportableCloseCode,
  systemClock,
  type Clock,
  type TransportCloseInfo,
  type TransportConnection,
  type TransportEventHandlers,
  type TransportMessage,
  type TransportOpenRequest,
} from '@keel/session';
import { abnormalClose, closeBrowserSocket } from './browser-close.js';
import type { BrowserTransportError } from './browser-error.js';
import { withInBandSubprotocol } from './in-band-subprotocol.js';
import type { SockJSClientOptions, SockJSConstructorLike, SockJSLike } from './sockjs-like.js';
import { withNativeReprobe, type NativeReprobe } from './sockjs-reprobe.js';
import { sockjsUrl } from './sockjs-url.js';

/**
 * One connection over sockjs-client. This file ships in the lazy SockJS chunk with sockjs-client
 * itself (DESIGN.md: the SockJS transport is a lazy chunk), so pages on a working WebSocket never
 * download it; sockjs-transport.ts, in the entry, loads the chunk and calls this.
 */

/** Where and how to connect (the SockJS transport's options, SockJSTransportOptions, extend these). */
export interface SockJSConnectionOptions {
  /**
   * Path of the SockJS endpoint on the WebSocket URL's host (an absolute path, e.g. '/sockjs').
   * Default: the WebSocket URL's own path, so one server mounts both on the same path. See sockjsUrl().
   */
  readonly path?: string;
  /** Passed to the SockJS constructor. Default: sockjs-client's defaults (every transport allowed). */
  readonly sockjs?: SockJSClientOptions;
  /**
   * Milliseconds the server's in-band subprotocol answer may take (session option
   * `subprotocolFallback: 'in-band'`, see in-band-subprotocol.ts); after that the attempt fails with
   * ERR_SUBPROTOCOL_MISMATCH. Default 10,000.
   */
  readonly inBandTimeoutMs?: number;
  /** Time source of inBandTimeoutMs. Default: the system clock. */
  readonly clock?: Clock;
}

/**
 * What the entry hands to the chunk. The error class comes from the entry so that errors raised
 * here are `instanceof` the BrowserTransportError an application imports (the chunk is built on
 * its own and would otherwise hold a second copy of the class).
 */
export interface SockJSConnectionContext {
  readonly SockJS: SockJSConstructorLike;
  readonly TransportError: typeof BrowserTransportError;
  readonly options: SockJSConnectionOptions;
  /** Given by the fallback transport: probe native WebSocket while this connection is open. */
  readonly reprobe?: NativeReprobe;
}

/** Default of SockJSTransportOptions.inBandTimeoutMs. */
export const defaultInBandTimeoutMs = 10_000;

/**
 * Opens a SockJS connection at once: with the in-band subprotocol exchange when the request offers
 * protocols (the session passes them only under `subprotocolFallback: 'in-band'`), and background
 * probes of native WebSocket when the context has `reprobe`. Binary sends throw
 * ERR_BINARY_UNSUPPORTED (the session checks the transport's `binary` capability first and refuses
 * them with its own typed error).
 */
export function openSockJSConnection(
  context: SockJSConnectionContext,
  request: TransportOpenRequest,
  handlers: TransportEventHandlers,
): TransportConnection {
  const { reprobe, TransportError, options } = context;
  const plain = (wrapped: TransportEventHandlers): TransportConnection => openPlain(context, request, wrapped);
  const inBand = { TransportError, clock: options.clock ?? systemClock, timeoutMs: options.inBandTimeoutMs ?? defaultInBandTimeoutMs };
  const negotiated =
    request.protocols.length === 0
      ? plain
      : (wrapped: TransportEventHandlers): TransportConnection => withInBandSubprotocol(inBand, request.protocols, plain, wrapped);
  return reprobe === undefined ? negotiated(handlers) : withNativeReprobe(reprobe, negotiated, handlers);
}

function openPlain(context: SockJSConnectionContext, request: TransportOpenRequest, handlers: TransportEventHandlers): TransportConnection {
  const { SockJS, TransportError, options } = context;
  let socket: SockJSLike | undefined;
  let opened = false;
  let reported = false;

  const report = (info: Omit<TransportCloseInfo, 'beforeOpen'>): void => {
    if (reported) return;
    reported = true;
    if (socket !== undefined) socket.onopen = socket.onmessage = socket.onclose = null;
    handlers.onClose({ ...info, beforeOpen: !opened });
  };
  // Deferred so that the caller receives the connection object before its onClose runs.
  const reportLater = (error?: BrowserTransportError): void => {
    queueMicrotask(() => report(abnormalClose(error)));
  };

  try {
    socket = new SockJS(sockjsUrl(request.url, options.path), undefined, options.sockjs ?? {});
  } catch (cause) {
    reportLater(new TransportError('ERR_INVALID_URL', request.url, { cause }));
  }
  if (socket !== undefined) {
    socket.onopen = () => {
      opened = true;
      // No negotiation in SockJS's handshake: protocol '' (the in-band exchange, if asked for, follows).
      handlers.onOpen({ protocol: '', extensions: '' });
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') handlers.onMessage(event.data);
    };
    socket.onclose = (event) => report(closeInfo(TransportError, event, opened));
  }

  return {
    send(data: TransportMessage): void {
      if (typeof data !== 'string') throw new TransportError('ERR_BINARY_UNSUPPORTED', 'SockJS: text only');
      if (socket === undefined || !opened || reported) throw new TransportError('ERR_INVALID_STATE', 'not open');
      socket.send(data);
    },
    close(code?: number, reason?: string): void {
      closeBrowserSocket(socket, code, reason);
    },
    terminate(): void {
      const sock = socket;
      if (sock !== undefined) {
        sock.onopen = sock.onmessage = sock.onclose = null;
        sock.close();
      }
      // No error: the session terminated it and knows why.
      reportLater();
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
function closeInfo(
  TransportError: typeof BrowserTransportError,
  event: { readonly code: number; readonly reason: string; readonly wasClean: boolean },
  opened: boolean,
): Omit<TransportCloseInfo, 'beforeOpen'> {
  if (opened && isReportableCloseCode(event.code)) return { code: event.code, reason: event.reason, wasClean: event.wasClean };
  const error = new TransportError('ERR_CONNECTION_LOST', `SockJS closed: ${event.code} ${event.reason}`);
  return { ...abnormalClose(error), reason: event.reason };
}
