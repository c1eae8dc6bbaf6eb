import type { PerMessageDeflateOffer } from '../protocol/permessage-deflate-negotiation.js';
import type { ConnectDiagnosticsOptions } from './connectivity/connect-diagnostics.js';
import type { ConnectivityOptions } from './connectivity/open-connection.js';
import type { RedirectOptions } from './connectivity/redirect-policy.js';

/** permessage-deflate settings beyond the offer (RFC 7692). */
export interface PerMessageDeflateSettings extends PerMessageDeflateOffer {
  /** Outgoing messages smaller than this many bytes are sent uncompressed. Default 1,024. */
  readonly threshold?: number;
  /** zlib compression level for outgoing messages, 0-9 or -1 (zlib's default, 6). Default -1. */
  readonly level?: number;
  /** zlib memLevel for outgoing messages, 1-9. Default 8. */
  readonly memLevel?: number;
}

/**
 * Options of the Node WebSocket. Every one is optional. Connectivity (proxy, TLS, Unix sockets,
 * lookup) is documented on ConnectivityOptions, redirects on RedirectOptions.
 */
export interface WebSocketOptions extends ConnectivityOptions, RedirectOptions, ConnectDiagnosticsOptions {
  /** Extra handshake request headers. Default none. Names must be tokens; values without CR, LF, NUL. */
  headers?: Readonly<Record<string, string>>;
  /** The Origin header. Default: none sent. */
  origin?: string;
  /** Largest message accepted, in bytes, after inflation. Default 64 MiB (67,108,864). Exceeding it fails with 1009. */
  maxMessageSize?: number;
  /** Most fragments in one message. Default Infinity (size is what is bounded). Exceeding it fails with 1009. */
  maxFragments?: number;
  /** Largest handshake response head, in bytes. Default 65,536. */
  maxHandshakeResponseSize?: number;
  /**
   * Milliseconds the whole connection attempt may take — DNS, TCP, proxy, TLS and the opening
   * handshake. Default 30,000. Exceeding it fails with ERR_CONNECT_TIMEOUT (ERR_HANDSHAKE_TIMEOUT
   * once the request was sent).
   */
  handshakeTimeout?: number;
  /** Milliseconds to wait, once a Close was sent or received, for the server to end TCP. Default 5,000. */
  closeTimeout?: number;
  /**
   * permessage-deflate (RFC 7692): true (default) offers `permessage-deflate; client_max_window_bits`;
   * false offers nothing; an object (or an array, in preference order) tunes the offer and the codec.
   */
  perMessageDeflate?: boolean | PerMessageDeflateSettings | readonly PerMessageDeflateSettings[];
  /** Cancels the connection attempt at any stage (and closes an open connection with 1006). Default none. */
  signal?: AbortSignal;
}
