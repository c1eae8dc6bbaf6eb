/**
 * @keel/session: the transport-agnostic layer that keeps a logical WebSocket connection alive —
 * reconnect with backoff, heartbeat, subprotocol policy and a bounded send queue.
 */
export { Session, createSession } from './session.js';
export type {
  SessionState,
  SessionEvents,
  SendResult,
  SessionData,
  OpenInfo,
  ReconnectingInfo,
  SessionCloseInfo,
  DropInfo,
  BufferedInfo,
  BackpressureInfo,
  Delivery,
} from './session-events.js';
export { resolveOptions, defaultReconnectOptions } from './options.js';
export { ResumeClient, defaultResumeOptions } from './resume.js';
export type { ResumeOptions, NotResumedInfo, Accepted } from './resume.js';
export { CONTROL_PREFIX, PING, PONG, parseControl, encodeControl, escapeApplication } from './resume-messages.js';
export type { ResumeRequest, ResumeAnswer, Ack, ControlMessage, NotResumedReason } from './resume-messages.js';
export { parseHello } from './hello.js';
export type { Hello } from './hello.js';
export type { SessionOptions, ReconnectOptions, IteratorBufferOptions, Resolvable, ResolvedOptions } from './options.js';
export { SessionError, errorCode } from './session-error.js';
export type { SessionErrorCode } from './session-error.js';
export { backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { classify, classifyCloseCode, classifyStatus, defaultClassifier } from './classifier.js';
export type { Classifier, Decision } from './classifier.js';
export { Heartbeat, defaultHeartbeatOptions, encodePingSequence, decodePingSequence } from './heartbeat.js';
export type { HeartbeatOptions, HeartbeatMode, HeartbeatHooks } from './heartbeat.js';
export { SendQueue, defaultQueueOptions, messageSize, utf8Length } from './send-queue.js';
export type { SendQueueOptions, OverflowPolicy } from './send-queue.js';
export { validateProtocols, checkSelectedProtocol } from './subprotocol.js';
export type { SubprotocolFallback } from './subprotocol.js';
export { systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export type {
  Transport,
  TransportCapabilities,
  TransportConnection,
  TransportEventHandlers,
  TransportOpenRequest,
  TransportMessage,
  TransportCloseInfo,
  AbortSignalLike,
} from './transport.js';
