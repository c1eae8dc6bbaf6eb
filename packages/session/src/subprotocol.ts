import { describeValue } from './describe-value.js';
import { SessionError } from './session-error.js';

/**
 * Subprotocols (RFC 6455 §1.9, §4.1): offered in preference order as tokens, each unique; the
 * server selects at most one, which must be one of the offer (§4.1, client requirement 6).
 */

// RFC 7230 §3.2.6 tchar: the characters a token may hold (RFC 6455 §4.1 "token" for subprotocols).
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Validates an offer; returns it as a frozen array. Throws ERR_INVALID_SUBPROTOCOL. */
export function validateProtocols(protocols: unknown): readonly string[] {
  if (protocols !== undefined && typeof protocols !== 'string' && !Array.isArray(protocols)) {
    throw new SessionError('ERR_INVALID_SUBPROTOCOL', `protocols must be a string or string[]; got ${describeValue(protocols)}`);
  }
  const list: readonly unknown[] = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : protocols;
  const seen = new Set<string>();
  for (const p of list) {
    if (typeof p !== 'string' || !token.test(p)) {
      throw new SessionError('ERR_INVALID_SUBPROTOCOL', `subprotocol ${describeValue(p)} is not a token (RFC 6455 §4.1)`);
    }
    if (seen.has(p)) throw new SessionError('ERR_INVALID_SUBPROTOCOL', `subprotocol "${p}" is offered twice`);
    seen.add(p);
  }
  return Object.freeze([...(list as readonly string[])]);
}

/**
 * Checks the server's selection: '' (none selected) is accepted, as browsers do; anything else
 * must have been offered. Returns an error to fail the connection with, or undefined.
 */
export function checkSelectedProtocol(selected: string, offered: readonly string[]): SessionError | undefined {
  if (selected === '' || offered.includes(selected)) return undefined;
  return new SessionError('ERR_SUBPROTOCOL_MISMATCH', `the server selected subprotocol "${selected}", which was not offered`);
}

/**
 * What to do when subprotocols are wanted but the transport cannot negotiate them in its handshake
 * (SockJS):
 * - `refuse` (default): the attempt fails with ERR_SUBPROTOCOL_UNSUPPORTED and the session stops,
 *   so a fallback policy never silently talks to a server without the agreed protocol;
 * - `in-band`: the offer goes to a transport that negotiates in-band (`inBandSubprotocols`, the
 *   SockJS transport: Keel's offer/answer messages before it reports open); its selection is
 *   checked like a handshake's. A transport that cannot is refused as above.
 */
export type SubprotocolFallback = 'refuse' | 'in-band';
