/**
 * `keel` on Node (export condition `node`): connect() over Keel's own RFC 6455 client (the Node
 * Transport of @keel/core), the WHATWG-shaped WebSocket for Node, and the session layer.
 * (`browser` is listed before `node` in the export map, so a bundler or a runtime that asks for
 * the browser build gets it even where the `node` condition is also set.)
 */
export * from '@keel/core';
export { createSession, Session, SessionError, resumable } from '@keel/session';
export type { ErrorCode } from '@keel/session';
export type {
  SessionOptions,
  ReconnectOptions,
  Resolvable,
  SessionState,
  SessionEvents,
  SendResult,
  SessionData,
  OpenInfo,
  Delivery,
  NotResumedInfo,
  ResumeOptions,
  Resumable,
  ReconnectingInfo,
  SessionCloseInfo,
  IteratorBufferOptions,
  BufferedInfo,
  BackpressureInfo,
  DropInfo,
  SessionErrorCode,
  Classifier,
  Decision,
  HeartbeatOptions,
  HeartbeatMode,
  SendQueueOptions,
  OverflowPolicy,
  SubprotocolFallback,
  Transport,
  TransportCapabilities,
  TransportCloseInfo,
  TransportError,
  TransportMessage,
  Clock,
  TimerHandle,
} from '@keel/session';
