import { KeelError, type ErrorCode } from '@keel/session';

/**
 * Every failure a browser transport reports, and every call it refuses, is a BrowserTransportError
 * (a KeelError) with a stable machine-readable `code`. It travels to the session as
 * `TransportCloseInfo.error`, where the session's classifier looks the code up in the error
 * taxonomy (ERR_INVALID_URL, ERR_BINARY_UNSUPPORTED and ERR_SUBPROTOCOL_MISMATCH are permanent;
 * the others are retried).
 */
export type BrowserTransportErrorCode = Extract<
  ErrorCode,
  /** The WebSocket (or SockJS) constructor refused the URL (SyntaxError in browsers). */
  | 'ERR_INVALID_URL'
  /** There is no `WebSocket` global and none was injected. */
  | 'ERR_WEBSOCKET_UNAVAILABLE'
  /** The browser reported an `error` event: the connection failed or was lost (browsers give no detail). */
  | 'ERR_CONNECTION_LOST'
  /** A native attempt did not open within the fallback's `openTimeoutMs`. */
  | 'ERR_OPEN_TIMEOUT'
  /** The lazy SockJS chunk (or the CDN script) could not be loaded. */
  | 'ERR_SOCKJS_LOAD'
  /** A binary message was handed to SockJS, which carries text only. */
  | 'ERR_BINARY_UNSUPPORTED'
  /** The in-band subprotocol exchange over SockJS failed: no answer in time, or a first message that is not one. */
  | 'ERR_SUBPROTOCOL_MISMATCH'
  /** send() on a connection that is not open. */
  | 'ERR_INVALID_STATE'
>;

/**
 * The lazy SockJS file never constructs this class from its own copy: the entry hands it over
 * (sockjs-connection.ts), so `instanceof BrowserTransportError` and `instanceof KeelError` hold for
 * what that file reports too.
 */
export class BrowserTransportError extends KeelError {
  /** Stable machine-readable identifier; never changes between releases. */
  declare readonly code: BrowserTransportErrorCode;

  constructor(code: BrowserTransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, undefined, options);
    this.name = 'BrowserTransportError';
  }
}
