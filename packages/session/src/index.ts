/**
 * @keel/session: the transport-agnostic layer that keeps a logical WebSocket connection alive —
 * reconnect with backoff, heartbeat, subprotocol policy and a bounded send queue.
 *
 * The public API is what this file exports and etc/session.api.md records. The helpers behind it
 * (the send queue, heartbeat, backoff, classifier internals, option resolution) are not exported:
 * they may change in any release.
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
export type { SessionOptions, ReconnectOptions, IteratorBufferOptions, Resolvable } from './options.js';
export { SessionError } from './session-error.js';
/** How a value is shown in an ERR_INVALID_OPTION message (the browser package's option checks use it too). */
export { describeValue } from './describe-value.js';
export type { SessionErrorCode } from './session-error.js';
// One error taxonomy and one set of close-code rules for every package (leaf modules).
export { KeelError } from './keel-error.js';
export { errorTaxonomy, isErrorCode, isPermanentErrorCode, permanentErrors, retryableErrors } from './error-taxonomy.js';
export type { ErrorCode, ErrorFacts, ErrorLayer } from './error-taxonomy.js';
export {
  isValidApplicationCloseCode,
  isValidCloseReason,
  isValidReceivedCloseCode,
  isReportableCloseCode,
  MAX_CLOSE_REASON_BYTES,
  truncateCloseReason,
} from './close-codes.js';
export type { Classifier, Decision } from './classifier.js';
export type { HeartbeatOptions, HeartbeatMode } from './heartbeat.js';
export type { SendQueueOptions, OverflowPolicy } from './send-queue.js';
export type { SubprotocolFallback } from './subprotocol.js';
export { resumable } from './resume.js';
export type { ResumeOptions, NotResumedInfo, Resumable } from './resume.js';
// The resume protocol's messages (docs/resume-protocol.md), for servers that speak it (@keel/server).
export { CONTROL_PREFIX, PING, PONG, parseControl, encodeControl, escapeApplication } from './resume-messages.js';
export type { ResumeRequest, ResumeAnswer, Ack, ControlMessage, NotResumedReason } from './resume-messages.js';
// For transports written outside this package (@keel/core, @keel/browser, an app's own).
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
  TransportError,
  AbortSignalLike,
} from './transport.js';
