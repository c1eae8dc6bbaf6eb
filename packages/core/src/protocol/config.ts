/**
 * Limits and timeouts of one connection. Every limit is checked at the first byte that
 * reveals it (DESIGN.md). Timeouts are enforced by the I/O layer; the engine only holds them.
 */
export interface ProtocolConfig {
  /** Largest message accepted, in bytes, summed over all its fragments (after inflation). Default 64 MiB. Exceeding it fails with 1009. */
  maxMessageSize: number;
  /** Most fragments one message may have. Default Infinity (size is bounded by maxMessageSize). */
  maxFragments: number;
  /** Largest handshake response (status line + headers), in bytes. Default 64 KiB. */
  maxHandshakeResponseSize: number;
  /** Milliseconds from the start of the connection to the 101 response. Default 30,000. */
  handshakeTimeout: number;
  /** Milliseconds to wait, once a Close was sent or received, for the server to end TCP. Default 5,000. */
  closeTimeout: number;
}

export const defaultProtocolConfig: Readonly<ProtocolConfig> = Object.freeze({
  maxMessageSize: 64 * 1024 * 1024,
  maxFragments: Number.POSITIVE_INFINITY,
  maxHandshakeResponseSize: 64 * 1024,
  handshakeTimeout: 30_000,
  closeTimeout: 5_000,
});
