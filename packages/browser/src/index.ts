/**
 * @keel/browser: Keel in browsers — the native WebSocket transport, the SockJS transport (a lazy
 * chunk), the fallback between them, and page liveness, put together by connect().
 */
export { connect } from './connect.js';
export type { BrowserConnectOptions } from './connect.js';
export { nativeTransport, nativeCapabilities } from './native-transport.js';
export type { NativeTransportOptions } from './native-transport.js';
export { sockjsTransport, sockjsCapabilities } from './sockjs-transport.js';
export type { SockJSTransportOptions } from './sockjs-transport.js';
export type { SockJSClientOptions, SockJSConstructorLike, SockJSLike } from './sockjs-like.js';
export { sockjsUrl } from './sockjs-url.js';
export { openSockJSConnection } from './sockjs-connection.js';
export type { SockJSConnectionContext, SockJSConnectionOptions } from './sockjs-connection.js';
export type { SockJSModule } from './sockjs-loader.js';
export { fallbackTransport, defaultOpenTimeoutMs } from './fallback-transport.js';
export { switchCloseCode } from './sockjs-reprobe.js';
export type { NativeReprobe } from './sockjs-reprobe.js';
export type { FallbackEvent, FallbackTransport, FallbackTransportOptions } from './fallback-transport.js';
export { checkSockJSEndpoint } from './sockjs-evidence.js';
export type { FetchLike, SockJSEvidence } from './sockjs-evidence.js';
export { FallbackPolicy, pagePolicy, defaultFailuresBeforeFallback, defaultReprobeIntervalMs } from './fallback-policy.js';
export type { FallbackPolicyOptions, TransportName } from './fallback-policy.js';
export { browserLiveness, pageEnvironment } from './browser-liveness.js';
export type { LivenessTarget, LivenessEnvironment } from './browser-liveness.js';
export { onlineGate } from './online-gate.js';
export type { OnlineGate } from './online-gate.js';
export { BrowserTransportError } from './browser-error.js';
export type { BrowserTransportErrorCode } from './browser-error.js';
export type { WebSocketLike, WebSocketConstructorLike } from './web-socket-like.js';
export { createSession, Session, SessionError } from '@keel/session';
export type * from '@keel/session';
