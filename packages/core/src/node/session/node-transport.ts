import { STATUS_CODES } from 'node:http';
import type { Transport, TransportCloseInfo, TransportConnection, TransportEventHandlers, TransportOpenRequest } from '@keel/session';
import { HandshakeError } from '../../protocol/errors.js';
import { WebSocket } from '../websocket.js';
import type { WebSocketOptions } from '../websocket-options.js';

/**
 * Options of every WebSocket the Node transport opens (TLS, proxy, limits, compression, timeouts).
 * Headers come from the session (they may change per attempt); aborting is the session's signal.
 */
export type NodeTransportOptions = Omit<WebSocketOptions, 'headers' | 'signal'>;

/**
 * The session's Transport over Keel's own RFC 6455 client: binary, protocol Ping/Pong, subprotocol
 * negotiation in the handshake and custom headers are all available on Node.
 */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  return {
    name: 'node',
    capabilities: { binary: true, protocolPing: true, subprotocolNegotiation: true, customHeaders: true },
    open: (request, handlers) => openNodeConnection(request, handlers, options),
  };
}

function openNodeConnection(
  request: TransportOpenRequest,
  handlers: TransportEventHandlers,
  options: NodeTransportOptions,
): TransportConnection {
  // Throws synchronously on a bad URL, subprotocol or header (KeelError with a stable code).
  const ws = new WebSocket(request.url, request.protocols, { ...options, headers: request.headers });
  ws.binaryType = 'nodebuffer';
  let opened = false;
  ws.onopen = () => {
    opened = true;
    handlers.onOpen({ protocol: ws.protocol, extensions: ws.extensions });
  };
  ws.onmessage = (event) => {
    const data = event.data;
    handlers.onMessage(typeof data === 'string' ? data : (data as Buffer));
  };
  ws.onping = (event) => handlers.onPing?.(event.data);
  ws.onpong = (event) => handlers.onPong?.(event.data);
  // The close event carries the same KeelError as the error event before it: report once, at close.
  ws.onclose = (event) => {
    ws.onopen = ws.onmessage = ws.onping = ws.onpong = ws.onclose = null;
    const error = event.error ?? undefined;
    const info: TransportCloseInfo = {
      code: event.code,
      reason: event.reason,
      wasClean: event.wasClean,
      beforeOpen: !opened,
      ...(error instanceof HandshakeError && error.status !== undefined
        ? { status: error.status, statusText: STATUS_CODES[error.status] ?? '' }
        : {}),
      ...(error === undefined ? {} : { error }),
    };
    handlers.onClose(info);
  };
  // Guards for the closing window: after a server's Close (RFC 6455 §7.1.3) the connection may
  // refuse ping() and close() while TCP stays open; the session also catches at its boundary.
  const open = (): boolean => ws.readyState === WebSocket.OPEN;
  return {
    send: (data) => ws.send(data),
    ping: (data) => {
      if (open()) ws.ping(data);
    },
    close: (code, reason) => {
      // A paused socket could not read the server's answering Close: read again to finish cleanly.
      ws.resume();
      if (open() || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason);
    },
    terminate: () => ws.terminate(),
    pauseReading: () => ws.pause(),
    resumeReading: () => ws.resume(),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
}
