/**
 * @keel/browser: Keel in browsers — the native WebSocket transport, the SockJS transport (a lazy
 * chunk), the fallback between them, and page liveness, put together by connect().
 */
export { connect } from './connect.js';
export type { BrowserConnectOptions } from './connect.js';
// Transports, to compose with createSession() for apps that need their own mix.
export { nativeTransport } from './native-transport.js';
export type { NativeTransportOptions } from './native-transport.js';
export { sockjsTransport } from './sockjs-transport.js';
export type { SockJSTransport, SockJSTransportOptions } from './sockjs-transport.js';
export type { SockJSClientOptions, SockJSConstructorLike, SockJSLike } from './sockjs-like.js';
export type { SockJSConnectionOptions } from './sockjs-connection.js';
export { fallbackTransport } from './fallback-transport.js';
export type { FallbackEvent, FallbackTransport, FallbackTransportOptions } from './fallback-transport.js';
export type { FetchLike, SockJSEvidence } from './sockjs-evidence.js';
export type { FallbackPolicyOptions, TransportName } from './fallback-policy.js';
export type { LivenessEnvironment } from './browser-liveness.js';
export { BrowserTransportError } from './browser-error.js';
export type { BrowserTransportErrorCode } from './browser-error.js';
export type { WebSocketLike, WebSocketConstructorLike } from './web-socket-like.js';
// keel's lazy SockJS file (packages/keel/src/sockjs-global.ts) is built from these. Not a stable API.
export { openSockJSConnection } from './sockjs-connection.js';
export { checkSockJSEndpoint } from './sockjs-evidence.js';
export type { SockJSModule } from './sockjs-loader.js';
// The session layer, so that an app needs only this package.
export { createSession, Session, SessionError, resumable } from '@keel/session';
// The base of every Keel error (BrowserTransportError and SessionError), and the one code table.
export { KeelError } from '@keel/session';
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
} from '@keel/session';
