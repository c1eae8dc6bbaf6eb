/**
 * Every failure a browser transport reports, and every call it refuses, is a BrowserTransportError
 * with a stable machine-readable `code`. It travels to the session as `TransportCloseInfo.error`,
 * where the session's classifier reads the code (ERR_INVALID_URL and ERR_BINARY_UNSUPPORTED are
 * permanent; the others are retried).
 */
export type BrowserTransportErrorCode =
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
  | 'ERR_INVALID_STATE';

export class BrowserTransportError extends Error {
  /** Stable machine-readable identifier; never changes between releases. */
  readonly code: BrowserTransportErrorCode;

  constructor(code: BrowserTransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrowserTransportError';
    this.code = code;
  }
}
