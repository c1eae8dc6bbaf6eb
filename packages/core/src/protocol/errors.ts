/**
 * Every failure Keel reports is a KeelError with a stable machine-readable `code` and the
 * RFC 6455 §7.4.1 close code it maps to. Normal closure is never an error.
 */
export type KeelErrorCode =
  // Caller input, rejected before anything is sent
  | 'ERR_INVALID_URL'
  | 'ERR_INVALID_HEADER'
  | 'ERR_INVALID_SUBPROTOCOL'
  | 'ERR_INVALID_CLOSE_CODE_ARG'
  | 'ERR_INVALID_STATE'
  | 'ERR_INVALID_ARGUMENT'
  // Opening handshake (RFC 6455 §4.1, §4.2.2)
  | 'ERR_HANDSHAKE_STATUS'
  | 'ERR_HANDSHAKE_MALFORMED'
  | 'ERR_HANDSHAKE_UPGRADE'
  | 'ERR_HANDSHAKE_CONNECTION'
  | 'ERR_HANDSHAKE_ACCEPT'
  | 'ERR_HANDSHAKE_SUBPROTOCOL'
  | 'ERR_HANDSHAKE_EXTENSION'
  | 'ERR_HANDSHAKE_TOO_LARGE'
  | 'ERR_HANDSHAKE_TIMEOUT'
  // Framing (RFC 6455 §5)
  | 'ERR_MASKED_FRAME'
  | 'ERR_RESERVED_BITS'
  | 'ERR_RESERVED_OPCODE'
  | 'ERR_FRAME_LENGTH'
  | 'ERR_CONTROL_FRAME_TOO_LONG'
  | 'ERR_FRAGMENTED_CONTROL_FRAME'
  | 'ERR_UNEXPECTED_CONTINUATION'
  | 'ERR_EXPECTED_CONTINUATION'
  | 'ERR_INVALID_UTF8'
  | 'ERR_INVALID_CLOSE_PAYLOAD'
  | 'ERR_INVALID_CLOSE_CODE'
  | 'ERR_INVALID_CLOSE_REASON'
  // Limits
  | 'ERR_MESSAGE_TOO_BIG'
  | 'ERR_TOO_MANY_FRAGMENTS'
  // Compression (RFC 7692)
  | 'ERR_INFLATE'
  // Transport (reported by the I/O layer)
  | 'ERR_CONNECTION_LOST'
  | 'ERR_CLOSE_TIMEOUT'
  | 'ERR_CONNECT'
  | 'ERR_TLS'
  | 'ERR_CONNECT_TIMEOUT'
  | 'ERR_ABORTED'
  // Proxies (HTTP CONNECT, RFC 9110 §9.3.6) and redirects of the handshake (RFC 9110 §15.4)
  | 'ERR_PROXY'
  | 'ERR_PROXY_STATUS'
  | 'ERR_PROXY_RESPONSE_TOO_LARGE'
  | 'ERR_REDIRECT'
  | 'ERR_REDIRECT_LOOP'
  | 'ERR_REDIRECT_DOWNGRADE'
  | 'ERR_TOO_MANY_REDIRECTS'
  // Caller options rejected before anything is sent (e.g. permessage-deflate window bits out of 8-15)
  | 'ERR_INVALID_OPTION'
  // zlib failed to compress an outgoing message (RFC 7692): an internal error, close code 1011
  | 'ERR_DEFLATE'
  // Keel's own code threw inside an I/O callback (socket read, timer, zlib): close code 1011
  | 'ERR_INTERNAL';

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

export class KeelError extends Error {
  /** Stable machine-readable identifier; never changes between releases. */
  readonly code: KeelErrorCode;
  /** The close code this failure maps to (1006 when the connection never opened). */
  readonly closeCode: number;

  constructor(code: KeelErrorCode, message: string, closeCode: number = CloseCode.abnormal, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeelError';
    this.code = code;
    this.closeCode = closeCode;
  }
}

/** The server broke RFC 6455 after the handshake; the connection is failed with `closeCode`. */
export class ProtocolError extends KeelError {
  constructor(code: KeelErrorCode, message: string, closeCode: number) {
    super(code, message, closeCode);
    this.name = 'ProtocolError';
  }
}

/** Header list as received: names lower-cased, in arrival order, repeated names kept. */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** The opening handshake failed. Non-101 answers carry status, headers and the start of the body. */
export class HandshakeError extends KeelError {
  readonly status: number | undefined;
  readonly headers: HeaderList;
  /** Up to the first 1,024 bytes of the response body that arrived with the headers. */
  readonly body: Uint8Array;

  constructor(
    code: KeelErrorCode,
    message: string,
    details: { status?: number; headers?: HeaderList; body?: Uint8Array } = {},
  ) {
    super(code, message, CloseCode.abnormal);
    this.name = 'HandshakeError';
    this.status = details.status;
    this.headers = details.headers ?? [];
    this.body = details.body ?? new Uint8Array(0);
  }
}

/** The caller misused the API (send before open or after close, a bad close code...). Thrown at once. */
export class UsageError extends KeelError {
  constructor(code: KeelErrorCode, message: string) {
    super(code, message, CloseCode.abnormal);
    this.name = 'UsageError';
  }
}
