/**
 * The one table of every error code Keel reports, in every package: what layer reports it, the
 * RFC 6455 §7.4.1 close code a connection that it ends reports, and whether the session's default
 * classifier tries again after it.
 *
 * A leaf module: it imports nothing, so every layer can read it. It lives in @keel/session, the
 * lowest package that @keel/core and @keel/browser both import (the session may not import core or
 * browser); the engine (core/src/protocol) imports this module and close-codes.ts and nothing else
 * (docs/decisions.md, "One error taxonomy").
 */

/**
 * Who reports a code:
 * - `protocol`: the sans-I/O engine (RFC 6455 / RFC 7692 rules, handshake checks, caller input it validates);
 * - `io`: the Node layer (DNS, TCP, TLS, proxies, redirects, timers, zlib);
 * - `session`: the shared session layer (options, reconnect, heartbeat, subprotocol policy);
 * - `browser`: the browser transports (native WebSocket, SockJS).
 * A code more than one layer reports (ERR_INVALID_URL, ERR_ABORTED...) has the lowest layer that
 * reports it, and one meaning.
 */
export type ErrorLayer = 'protocol' | 'io' | 'session' | 'browser';

/** One row of the taxonomy. */
export interface ErrorFacts {
  /** Who reports the code (see ErrorLayer). */
  readonly layer: ErrorLayer;
  /**
   * The close code a connection that this failure ends reports (RFC 6455 §7.4.1): 1002 protocol
   * error, 1007 bad data, 1009 too big, 1011 internal error. 1006 (abnormal closure) for failures
   * that send no Close frame: the connection never opened, was lost, or the call was refused
   * before anything was sent.
   */
  readonly closeCode: number;
  /**
   * Whether the default classifier reconnects after a connection that ended with this error.
   * False where retrying cannot fix it: the caller's input or options are wrong, or the server
   * chose what the client did not offer (RFC 6455 §4.1, the client's checks 5 and 6).
   */
  readonly retryable: boolean;
}

/** Failures that send no Close frame (RFC 6455 §7.1.5: the close code is 1006, abnormal closure). */
const abnormal = 1006;

/**
 * Codes that retrying cannot fix: the caller's input or options are wrong, or the server chose what
 * the client did not offer (RFC 6455 §4.1, the client's checks 5 and 6). The default classifier
 * stops on them; it reads only this section, so a browser app does not carry the whole table.
 */
export const permanentErrors = {
  // Caller input, rejected before anything is sent
  ERR_INVALID_URL: { layer: 'protocol', closeCode: abnormal, retryable: false },
  ERR_INVALID_HEADER: { layer: 'protocol', closeCode: abnormal, retryable: false },
  ERR_INVALID_SUBPROTOCOL: { layer: 'protocol', closeCode: abnormal, retryable: false },
  ERR_INVALID_OPTION: { layer: 'protocol', closeCode: abnormal, retryable: false },
  // Opening handshake (RFC 6455 §4.1, §4.2.2); a refused status is classified by its status
  ERR_HANDSHAKE_SUBPROTOCOL: { layer: 'protocol', closeCode: abnormal, retryable: false },
  ERR_HANDSHAKE_EXTENSION: { layer: 'protocol', closeCode: abnormal, retryable: false },
  // Handshake redirects that cannot be followed (RFC 9110 §15.4)
  ERR_REDIRECT_LOOP: { layer: 'io', closeCode: abnormal, retryable: false },
  ERR_REDIRECT_DOWNGRADE: { layer: 'io', closeCode: abnormal, retryable: false },
  ERR_TOO_MANY_REDIRECTS: { layer: 'io', closeCode: abnormal, retryable: false },
  // A binary message for a text-only transport (SockJS)
  ERR_BINARY_UNSUPPORTED: { layer: 'session', closeCode: abnormal, retryable: false },
  // Subprotocol policy (RFC 6455 §4.1, the client's check 6, and the in-band exchange over SockJS)
  ERR_SUBPROTOCOL_UNSUPPORTED: { layer: 'session', closeCode: abnormal, retryable: false },
  ERR_SUBPROTOCOL_MISMATCH: { layer: 'session', closeCode: abnormal, retryable: false },
} as const satisfies Record<string, ErrorFacts & { readonly retryable: false }>;

/** Codes the default classifier reconnects after (subject to the HTTP status and the close code). */
export const retryableErrors = {
  // Misuse of a call (thrown at once, never the end of a connection)
  ERR_INVALID_CLOSE_CODE_ARG: { layer: 'protocol', closeCode: abnormal, retryable: true },
  ERR_INVALID_STATE: { layer: 'protocol', closeCode: abnormal, retryable: true },
  // The Node WebSocket's send() given a value that is not a string, ArrayBuffer, view or Blob (WebIDL)
  ERR_INVALID_ARGUMENT: { layer: 'io', closeCode: abnormal, retryable: true },
  // Opening handshake (RFC 6455 §4.1, §4.2.2); a refused status is classified by its status
  ERR_HANDSHAKE_STATUS: { layer: 'protocol', closeCode: abnormal, retryable: true },
  ERR_HANDSHAKE_MALFORMED: { layer: 'protocol', closeCode: abnormal, retryable: true },
  ERR_HANDSHAKE_UPGRADE: { layer: 'protocol', closeCode: abnormal, retryable: true },
  ERR_HANDSHAKE_CONNECTION: { layer: 'protocol', closeCode: abnormal, retryable: true },
  ERR_HANDSHAKE_ACCEPT: { layer: 'protocol', closeCode: abnormal, retryable: true },
  ERR_HANDSHAKE_TOO_LARGE: { layer: 'protocol', closeCode: abnormal, retryable: true },
  // Framing (RFC 6455 §5): 1002
  ERR_MASKED_FRAME: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_RESERVED_BITS: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_RESERVED_OPCODE: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_FRAME_LENGTH: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_CONTROL_FRAME_TOO_LONG: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_FRAGMENTED_CONTROL_FRAME: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_UNEXPECTED_CONTINUATION: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_EXPECTED_CONTINUATION: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_INVALID_CLOSE_PAYLOAD: { layer: 'protocol', closeCode: 1002, retryable: true },
  ERR_INVALID_CLOSE_CODE: { layer: 'protocol', closeCode: 1002, retryable: true },
  // Data that is not what it claims (RFC 6455 §8.1, §5.5.1; RFC 7692 §6.2): 1007
  ERR_INVALID_UTF8: { layer: 'protocol', closeCode: 1007, retryable: true },
  ERR_INVALID_CLOSE_REASON: { layer: 'protocol', closeCode: 1007, retryable: true },
  ERR_INFLATE: { layer: 'protocol', closeCode: 1007, retryable: true },
  // Limits (RFC 6455 §10.4): 1009
  ERR_MESSAGE_TOO_BIG: { layer: 'protocol', closeCode: 1009, retryable: true },
  ERR_TOO_MANY_FRAGMENTS: { layer: 'protocol', closeCode: 1009, retryable: true },
  // The Node layer: reaching the server, and losing it
  ERR_CONNECT: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_CONNECT_TIMEOUT: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_HANDSHAKE_TIMEOUT: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_TLS: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_CONNECTION_LOST: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_CLOSE_TIMEOUT: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_ABORTED: { layer: 'io', closeCode: abnormal, retryable: true },
  // HTTP CONNECT proxies (RFC 9110 §9.3.6) and handshake redirects (RFC 9110 §15.4)
  ERR_PROXY: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_PROXY_STATUS: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_PROXY_RESPONSE_TOO_LARGE: { layer: 'io', closeCode: abnormal, retryable: true },
  ERR_REDIRECT: { layer: 'io', closeCode: abnormal, retryable: true },
  // Keel's own failures: zlib could not compress, or Keel's code threw in an I/O callback: 1011
  ERR_DEFLATE: { layer: 'io', closeCode: 1011, retryable: true },
  ERR_INTERNAL: { layer: 'io', closeCode: 1011, retryable: true },
  // The session: calls it refuses
  ERR_INVALID_DATA: { layer: 'session', closeCode: abnormal, retryable: true },
  ERR_SESSION_CLOSED: { layer: 'session', closeCode: abnormal, retryable: true },
  ERR_QUEUE_FULL: { layer: 'session', closeCode: abnormal, retryable: true },
  // Why a connection or the whole session ended
  ERR_HEARTBEAT_TIMEOUT: { layer: 'session', closeCode: abnormal, retryable: true },
  // The resume handshake (docs/resume-protocol.md, issue 15): no answer in time, or one this client cannot honour
  ERR_RESUME_TIMEOUT: { layer: 'session', closeCode: abnormal, retryable: true },
  ERR_RESUME_PROTOCOL: { layer: 'session', closeCode: abnormal, retryable: true },
  ERR_RESOLVE: { layer: 'session', closeCode: abnormal, retryable: true },
  ERR_TRANSPORT: { layer: 'session', closeCode: abnormal, retryable: true },
  ERR_CREDENTIALS: { layer: 'session', closeCode: abnormal, retryable: true },
  ERR_RECONNECT_STOPPED: { layer: 'session', closeCode: abnormal, retryable: true },
  ERR_MAX_ATTEMPTS: { layer: 'session', closeCode: abnormal, retryable: true },
  // The browser transports
  ERR_WEBSOCKET_UNAVAILABLE: { layer: 'browser', closeCode: abnormal, retryable: true },
  ERR_OPEN_TIMEOUT: { layer: 'browser', closeCode: abnormal, retryable: true },
  ERR_SOCKJS_LOAD: { layer: 'browser', closeCode: abnormal, retryable: true },
} as const satisfies Record<string, ErrorFacts & { readonly retryable: true }>;

/**
 * The one table: every code Keel reports, in every package. (Built by a call marked pure, which
 * bundlers drop where nothing reads it: a spread literal they keep, with both sections.)
 */
export const errorTaxonomy = /* @__PURE__ */ Object.assign({}, permanentErrors, retryableErrors);

/** Every stable error code Keel reports, in every package. */
export type ErrorCode = keyof typeof permanentErrors | keyof typeof retryableErrors;

/** Whether `code` is one of Keel's codes (a Node system error's `ECONNREFUSED` is not). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorTaxonomy, code);
}

/** Whether `code` is one of Keel's codes that retrying cannot fix. */
export function isPermanentErrorCode(code: string): code is keyof typeof permanentErrors {
  return Object.hasOwn(permanentErrors, code);
}
