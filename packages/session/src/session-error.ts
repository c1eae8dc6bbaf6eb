import type { ErrorCode } from './error-taxonomy.js';
import { KeelError } from './keel-error.js';
import type { TransportError } from './transport.js';

/**
 * Every failure the session reports, and every call it refuses, is a SessionError (a KeelError)
 * with a stable machine-readable `code` from error-taxonomy.ts; transport errors travel as `cause`.
 */
export type SessionErrorCode = Extract<
  ErrorCode,
  // Caller input, refused at once
  | 'ERR_INVALID_OPTION'
  | 'ERR_INVALID_SUBPROTOCOL'
  | 'ERR_INVALID_DATA'
  | 'ERR_INVALID_CLOSE_CODE_ARG'
  | 'ERR_BINARY_UNSUPPORTED'
  | 'ERR_SESSION_CLOSED'
  | 'ERR_QUEUE_FULL'
  // Subprotocol policy (RFC 6455 §4.1 item 6 of the client's checks, and the in-band fallback)
  | 'ERR_SUBPROTOCOL_UNSUPPORTED'
  | 'ERR_SUBPROTOCOL_MISMATCH'
  // Why a connection or the whole session ended
  | 'ERR_HEARTBEAT_TIMEOUT'
  // The resume handshake (docs/resume-protocol.md): no answer in time, or one this client cannot honour
  | 'ERR_RESUME_TIMEOUT'
  | 'ERR_RESUME_PROTOCOL'
  | 'ERR_RESOLVE'
  // A transport's open() threw something that is not one of Keel's errors (kept as `cause`)
  | 'ERR_TRANSPORT'
  | 'ERR_CREDENTIALS'
  | 'ERR_RECONNECT_STOPPED'
  | 'ERR_MAX_ATTEMPTS'
  | 'ERR_ABORTED'
>;

export class SessionError extends KeelError {
  /** Stable machine-readable identifier; never changes between releases. */
  declare readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, undefined, options);
    this.name = 'SessionError';
  }
}

/**
 * A failure as TransportCloseInfo carries it: Keel's own errors (they have a string `code`) as
 * they are, anything else a transport threw wrapped in ERR_TRANSPORT with the original as `cause`,
 * so that `info.error?.code` always names what happened.
 */
export function asTransportError(error: unknown): TransportError {
  if (error instanceof Error && errorCode(error) !== undefined) return error as TransportError;
  const message = error instanceof Error ? error.message : String(error);
  return new SessionError('ERR_TRANSPORT', `the transport failed: ${message}`, { cause: error });
}

/** The stable `code` of any error that has one (KeelError, SessionError, Node system errors). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
