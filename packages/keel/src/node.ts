/**
 * `keel` on Node (export condition `node`): Keel's own RFC 6455 client (the WHATWG-shaped
 * WebSocket over raw sockets) and the session layer.
 *
 * connect() on Node (the Node Transport under packages/core/src/node/session/) is re-exported
 * here once @keel/core exports it.
 */
export * from '@keel/core';
export { createSession, Session, SessionError } from '@keel/session';
export type {
  SessionOptions,
  SessionState,
  SessionEvents,
  SendResult,
  SessionData,
  OpenInfo,
  ReconnectingInfo,
  SessionCloseInfo,
  Transport,
  TransportCapabilities,
  Clock,
} from '@keel/session';
