import type { ErrorCode } from './error-taxonomy.js';

/**
 * The base of every error Keel reports or throws, in every package: KeelError and its engine
 * subclasses (ProtocolError, HandshakeError, UsageError) and the Node layer's (ConnectStageError,
 * TlsError, ProxyError, RedirectError) in @keel/core, SessionError here, BrowserTransportError in
 * @keel/browser. `error instanceof KeelError` holds for all of them, because there is one copy of
 * this class: the lazy SockJS file never builds its own, it is handed BrowserTransportError by the
 * entry (sockjs-connection.ts).
 */
export class KeelError extends Error {
  /** Stable machine-readable identifier; never changes between releases (see error-taxonomy.ts). */
  readonly code: ErrorCode;
  /**
   * The close code this failure maps to (RFC 6455 §7.4.1; 1006 when no Close frame was sent). The
   * engine's errors take it from the taxonomy (ProtocolError); this base class does not read the
   * table, so that a browser app does not carry all of it (error-taxonomy.ts).
   */
  readonly closeCode: number;

  constructor(code: ErrorCode, message: string, closeCode = 1006, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeelError';
    this.code = code;
    this.closeCode = closeCode;
  }
}
