import type { ProtocolConfig } from './config.js';
import type { ProtocolEvent } from './events.js';

/** Where and how to connect; the I/O layer parses the URL, the engine writes the request. */
export interface HandshakeTarget {
  /** true for wss: (default port 443), false for ws: (default port 80). */
  readonly secure: boolean;
  /** Host as it goes in the Host header: a name, an IPv4 literal, or an IPv6 literal in brackets. */
  readonly host: string;
  readonly port: number;
  /** Path and query, starting with '/'. */
  readonly resource: string;
}

export interface ClientProtocolOptions {
  readonly target: HandshakeTarget;
  /** Subprotocols offered, in preference order; each a token (RFC 6455 §4.1, RFC 2616 token). */
  readonly protocols?: readonly string[];
  /** Extra request headers. Names must be tokens; values must not contain CR, LF or NUL. */
  readonly headers?: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;
  readonly origin?: string;
  /** Sec-WebSocket-Extensions offer, written verbatim (negotiation: RFC 7692 issue). */
  readonly extensionsOffer?: string;
  readonly config?: Partial<ProtocolConfig>;
  /** Fills the buffer with cryptographically strong random bytes (mask keys, Sec-WebSocket-Key). */
  readonly randomFill: (target: Uint8Array) => void;
  /** SHA-1 digest, for Sec-WebSocket-Accept (RFC 6455 §4.2.2). */
  readonly sha1: (data: Uint8Array) => Uint8Array;
  /** Optional fast whole-buffer UTF-8 check (Node's buffer.isUtf8); the engine falls back to its own validator. */
  readonly isUtf8?: (data: Uint8Array) => boolean;
}

export type ProtocolState = 'connecting' | 'open' | 'closing' | 'closed';
