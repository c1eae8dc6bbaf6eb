import { errorTaxonomy, KeelError, type ErrorCode, type ErrorLayer } from '@keel/session';

export { KeelError };

/**
 * The codes @keel/core reports: the engine's (`protocol`) and the Node layer's (`io`) rows of the
 * one error taxonomy (@keel/session's error-taxonomy.ts), which gives each its close code and
 * whether the session retries after it. Every failure Keel reports is a KeelError with one of
 * them; normal closure is never an error.
 */
export type KeelErrorCode = {
  [C in ErrorCode]: (typeof errorTaxonomy)[C]['layer'] extends Extract<ErrorLayer, 'protocol' | 'io'> ? C : never;
}[ErrorCode];

/** Close codes of RFC 6455 §7.4.1 that failures map to. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  noStatus: 1005,
  abnormal: 1006,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  mandatoryExtension: 1010,
  internalError: 1011,
} as const;

/**
 * A failure of the engine or the Node layer that needs no class of its own (the connection was
 * lost, aborted, timed out; zlib or Keel's own code failed): a KeelError whose close code is the
 * taxonomy's for `code`. Core never passes a close code at a throw site (lint rule in
 * tooling/eslint.config.js): the table decides it.
 */
export function keelErrorFor(code: KeelErrorCode, message: string, options?: ErrorOptions): KeelError {
  return new KeelError(code, message, errorTaxonomy[code].closeCode, options);
}

/** The server broke RFC 6455 after the handshake; the connection is failed with the taxonomy's close code for `code`. */
export class ProtocolError extends KeelError {
  /** Stable machine-readable identifier (a row of the error taxonomy). */
  declare readonly code: KeelErrorCode;

  constructor(code: KeelErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, errorTaxonomy[code].closeCode, options);
    this.name = 'ProtocolError';
  }
}

/** Header list as received: names lower-cased, in arrival order, repeated names kept. */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** The opening handshake failed. Non-101 answers carry status, headers and the start of the body. */
export class HandshakeError extends KeelError {
  /** Stable machine-readable identifier (a row of the error taxonomy). */
  declare readonly code: KeelErrorCode;
  readonly status: number | undefined;
  readonly headers: HeaderList;
  /** Up to the first 1,024 bytes of the response body that arrived with the headers. */
  readonly body: Uint8Array;

  constructor(code: KeelErrorCode, message: string, details: { status?: number; headers?: HeaderList; body?: Uint8Array } = {}) {
    super(code, message, CloseCode.abnormal);
    this.name = 'HandshakeError';
    this.status = details.status;
    this.headers = details.headers ?? [];
    this.body = details.body ?? new Uint8Array(0);
  }
}

/** The caller misused the API (send before open or after close, a bad close code...). Thrown at once. */
export class UsageError extends KeelError {
  /** Stable machine-readable identifier (a row of the error taxonomy). */
  declare readonly code: KeelErrorCode;

  constructor(code: KeelErrorCode, message: string) {
    super(code, message, CloseCode.abnormal);
    this.name = 'UsageError';
  }
}
