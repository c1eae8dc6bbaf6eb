import type { Decision } from './classifier.js';
import type { SessionError } from './session-error.js';
import type { NotResumedInfo } from './resume.js';
import type { OverflowPolicy } from './send-queue.js';
import type { TransportCloseInfo, TransportMessage } from './transport.js';

export type SessionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed';

/** What send() did with a message. 'dropped' only happens under overflow 'drop-newest' (or a message larger than the whole queue under 'drop-oldest'). */
export type SendResult = 'sent' | 'queued' | 'dropped';

/** What a caller may send: text, or bytes (copied when queued). */
export type SessionData = string | ArrayBuffer | ArrayBufferView;

/**
 * Which delivery guarantee holds on a connection (README, "Delivery semantics"):
 * 'exactly-once' when the server resumes (docs/resume-protocol.md): nothing lost or duplicated
 * across reconnects, both ways; 'at-most-once-in-flight' otherwise: never duplicated nor
 * reordered, queued messages delivered once, but what was in flight when a connection died may be lost.
 */
export type Delivery = 'exactly-once' | 'at-most-once-in-flight';

export interface OpenInfo {
  /** The selected subprotocol ('' when none). */
  readonly protocol: string;
  readonly extensions: string;
  /** The transport's name ('node', 'websocket', 'sockjs'). */
  readonly transport: string;
  /** How many failed attempts preceded this connection since the last stable one. */
  readonly attempt: number;
  /** The server resumed the session of an earlier connection: nothing was lost either way. */
  readonly resumed: boolean;
  /** The guarantee on this connection (see Delivery). */
  readonly delivery: Delivery;
}

/** Telemetry of one disconnect that will be followed by another attempt. */
export interface ReconnectingInfo {
  /** 1 for the first retry after a stable connection (or after the first attempt failed). */
  readonly attempt: number;
  /** The chosen delay before that attempt, in ms. */
  readonly delay: number;
  /** How the previous connection or attempt ended (error: a KeelError, or a SessionError such as ERR_HEARTBEAT_TIMEOUT). */
  readonly reason: TransportCloseInfo;
  /** The classifier's decision ('retry', or 'refresh': credentials are refreshed first). */
  readonly decision: Exclude<Decision, 'stop'>;
}

/** The end of the session (emitted once; the state is then 'closed'). */
export interface SessionCloseInfo {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /**
   * Why the session ended when it was not the caller's close() nor the server's normal 1000:
   * ERR_RECONNECT_STOPPED (classifier said stop), ERR_MAX_ATTEMPTS, ERR_CREDENTIALS, ERR_ABORTED.
   * Its message names the cause in words ("gave up after HTTP 404 Not Found from ws://…"); `cause`
   * holds the transport's error when there was one. Every `for await` loop throws it (except
   * ERR_ABORTED: the app's own signal ends the loops as close() does).
   */
  readonly error: SessionError | undefined;
  /** Messages still queued and never handed to a connection, oldest first. */
  readonly unsent: readonly TransportMessage[];
}

export interface DropInfo {
  readonly message: TransportMessage;
  /** The queue's overflow policy. */
  readonly policy: OverflowPolicy;
  /**
   * 'overflow': the policy made room. 'binary-unsupported': a queued binary message met a
   * text-only connection (SockJS after a fallback) when flushed; it is dropped, not retried.
   */
  readonly reason: 'overflow' | 'binary-unsupported';
}

/** What the `for await` loops hold, unread (the fullest loop). Text counts UTF-16 code units. */
export interface BufferedInfo {
  readonly messages: number;
  readonly bytes: number;
}

/** The loops crossed a high-water mark (`high`), or came back to the low-water marks. */
export interface BackpressureInfo extends BufferedInfo {
  readonly high: boolean;
  /**
   * Reading from the network is paused (Node). false where the transport cannot pause
   * (browsers): messages keep arriving and are buffered — none is dropped — until the loop reads.
   */
  readonly readingPaused: boolean;
}

/** Typed events (eventemitter3): session.on('message', (data) => ...). */
export interface SessionEvents {
  state: [state: SessionState, previous: SessionState];
  open: [info: OpenInfo];
  message: [data: TransportMessage];
  close: [info: SessionCloseInfo];
  reconnecting: [info: ReconnectingInfo];
  /** A failure worth knowing about that did not (yet) end the session (ERR_HEARTBEAT_TIMEOUT…). */
  error: [error: SessionError];
  /** The server pinged us (application-level ping, or a protocol Ping when the transport reports it). */
  ping: [];
  /** A heartbeat round trip completed, in ms. */
  rtt: [rtt: number];
  /**
   * The server could not resume the session (resume option): what was not recovered either way.
   * Emitted before the `open` of the connection that found out.
   */
  notResumed: [info: NotResumedInfo];
  /** A queued message was dropped (overflow policy, or binary on a text-only connection). */
  drop: [info: DropInfo];
  /** The message iterators' buffers crossed a high-water mark, or fell back to the low-water marks. */
  backpressure: [info: BackpressureInfo];
}
