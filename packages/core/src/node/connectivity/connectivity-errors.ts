import { errorTaxonomy } from '@keel/session';
import { KeelError, type HeaderList, type KeelErrorCode } from '../../protocol/errors.js';

/**
 * Where a connection attempt was when it failed. Stages run in this order; `proxy-tls` is TLS to
 * an `https://` proxy, `tls` is TLS to the origin (directly or inside the proxy's tunnel).
 */
export type ConnectStage = 'lookup' | 'tcp' | 'proxy-tls' | 'proxy' | 'tls' | 'handshake';

/**
 * The attempt failed before the WebSocket opened: the peer could not be reached
 * (`ERR_CONNECT`), the connect deadline passed (`ERR_CONNECT_TIMEOUT`) or the caller's
 * `AbortSignal` fired (`ERR_ABORTED`). `stage` says where it was.
 */
export class ConnectStageError extends KeelError {
  /** Stable machine-readable identifier (a row of the error taxonomy). */
  declare readonly code: 'ERR_CONNECT' | 'ERR_CONNECT_TIMEOUT' | 'ERR_ABORTED';
  /** The stage the attempt was in. */
  readonly stage: ConnectStage;
  /** The system error code (`ECONNREFUSED`, `ENOTFOUND`, `ENOENT`...) when the OS reported one. */
  readonly systemCode: string | undefined;

  constructor(
    code: 'ERR_CONNECT' | 'ERR_CONNECT_TIMEOUT' | 'ERR_ABORTED',
    stage: ConnectStage,
    message: string,
    options: { cause?: unknown; systemCode?: string } = {},
  ) {
    super(code, message, errorTaxonomy[code].closeCode, { cause: options.cause });
    this.name = 'ConnectStageError';
    this.stage = stage;
    this.systemCode = options.systemCode;
  }
}

/**
 * The TLS handshake (to the origin or to an `https://` proxy) failed. `tlsCode` is the code
 * Node/OpenSSL gave: `DEPTH_ZERO_SELF_SIGNED_CERT`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`,
 * `SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`,
 * `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`...
 */
export class TlsError extends KeelError {
  readonly tlsCode: string;
  /** `origin` for TLS to the WebSocket server, `proxy` for TLS to an `https://` proxy. */
  readonly peer: 'origin' | 'proxy';

  constructor(tlsCode: string, peer: 'origin' | 'proxy', message: string, options: { cause?: unknown } = {}) {
    super('ERR_TLS', message, errorTaxonomy.ERR_TLS.closeCode, options);
    this.name = 'TlsError';
    this.tlsCode = tlsCode;
    this.peer = peer;
  }
}

/**
 * The HTTP proxy failed: it answered CONNECT with a non-2xx status (`ERR_PROXY_STATUS`, with
 * `status`, e.g. 407 when credentials are missing or wrong, 403 when it refuses the target), its
 * answer was malformed or it hung up (`ERR_PROXY`), or its answer exceeded the size limit
 * (`ERR_PROXY_RESPONSE_TOO_LARGE`).
 */
export class ProxyError extends KeelError {
  /** The status of the proxy's answer, when one was parsed. */
  readonly status: number | undefined;
  /** The reason phrase of the proxy's answer ('' when none). */
  readonly statusText: string;
  /** The proxy's response headers (names lower-cased, arrival order), e.g. `proxy-authenticate`. */
  readonly headers: HeaderList;

  constructor(
    code: 'ERR_PROXY' | 'ERR_PROXY_STATUS' | 'ERR_PROXY_RESPONSE_TOO_LARGE',
    message: string,
    details: { status?: number; statusText?: string; headers?: HeaderList; cause?: unknown } = {},
  ) {
    super(code, message, errorTaxonomy[code].closeCode, { cause: details.cause });
    this.name = 'ProxyError';
    this.status = details.status;
    this.statusText = details.statusText ?? '';
    this.headers = details.headers ?? [];
  }
}

/** A handshake redirect could not be followed (see redirect-policy.ts). */
export class RedirectError extends KeelError {
  /** The 3xx status of the answer being followed. */
  readonly status: number;
  /** The raw Location header value ('' when missing). */
  readonly location: string;

  constructor(
    code: Extract<KeelErrorCode, 'ERR_REDIRECT' | 'ERR_REDIRECT_LOOP' | 'ERR_REDIRECT_DOWNGRADE' | 'ERR_TOO_MANY_REDIRECTS'>,
    message: string,
    details: { status: number; location: string; cause?: unknown },
  ) {
    super(code, message, errorTaxonomy[code].closeCode, { cause: details.cause });
    this.name = 'RedirectError';
    this.status = details.status;
    this.location = details.location;
  }
}

/** Caller input this folder rejects (a bad proxy URL, a bad `ws+unix:` URL, a bad header). */
export class ConnectivityInputError extends KeelError {
  constructor(code: 'ERR_INVALID_URL' | 'ERR_INVALID_HEADER' | 'ERR_PROXY', message: string, options: { cause?: unknown } = {}) {
    super(code, message, errorTaxonomy[code].closeCode, options);
    this.name = 'ConnectivityInputError';
  }
}
