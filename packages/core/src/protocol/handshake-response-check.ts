import { HandshakeError } from './errors.js';
import { expectedAccept } from './handshake-request.js';
import { HANDSHAKE_ERROR_BODY_BYTES, headerTokens, headerValues, type HandshakeResponseHead } from './handshake-response.js';
import {
  negotiatePerMessageDeflate,
  type PerMessageDeflateParams,
  type ResolvedPerMessageDeflateOffer,
} from './permessage-deflate-negotiation.js';

/** What the client's request offered, that the server's answer is checked against (RFC 6455 §4.1 client steps 5-6). */
export interface HandshakeExpectation {
  /** The Sec-WebSocket-Key sent. */
  readonly key: string;
  /** Subprotocols offered, in preference order. */
  readonly protocols: readonly string[];
  /** permessage-deflate configurations offered, in preference order. */
  readonly offers: readonly ResolvedPerMessageDeflateOffer[];
  readonly sha1: (data: Uint8Array) => Uint8Array;
}

/** What an accepted handshake settled. */
export interface AcceptedHandshake {
  /** The subprotocol the server selected, '' when none. */
  readonly protocol: string;
  /** The Sec-WebSocket-Extensions value the server answered, '' when none. */
  readonly extensions: string;
  /** The permessage-deflate parameters accepted, or null. */
  readonly perMessageDeflate: PerMessageDeflateParams | null;
}

/**
 * Checks the server's answer to the opening handshake, field by field (RFC 6455 §4.1, the
 * client's steps 1-6 after receiving the response; §4.2.2 for Sec-WebSocket-Accept). A pure
 * function: returns what was settled, or throws HandshakeError with the status, the headers and,
 * for a non-101 answer, the start of `body` (the bytes that followed the head in the same read).
 */
export function checkHandshakeResponse(head: HandshakeResponseHead, body: Uint8Array, expected: HandshakeExpectation): AcceptedHandshake {
  const { status, headers } = head;
  const details = { status, headers };
  // Step 1: any status other than 101 is handled per HTTP; the connection fails here.
  if (status !== 101) {
    const start = body.subarray(0, HANDSHAKE_ERROR_BODY_BYTES).slice();
    throw new HandshakeError(
      'ERR_HANDSHAKE_STATUS',
      `Unexpected server response: ${status}${head.statusText === '' ? '' : ` ${head.statusText}`}`,
      { ...details, body: start },
    );
  }
  // Step 2: an Upgrade header whose value is "websocket", case-insensitively.
  if (!headerTokens(headers, 'upgrade').includes('websocket')) {
    throw new HandshakeError('ERR_HANDSHAKE_UPGRADE', 'The response lacks "Upgrade: websocket" (RFC 6455 §4.1)', details);
  }
  // Step 3: a Connection header whose value is "Upgrade", case-insensitively.
  if (!headerTokens(headers, 'connection').includes('upgrade')) {
    throw new HandshakeError('ERR_HANDSHAKE_CONNECTION', 'The response lacks "Connection: Upgrade" (RFC 6455 §4.1)', details);
  }
  // Step 4: Sec-WebSocket-Accept is base64(SHA-1(key + GUID)).
  const accept = headerValues(headers, 'sec-websocket-accept');
  if (accept.length !== 1 || accept[0] !== expectedAccept(expected.key, expected.sha1)) {
    throw new HandshakeError('ERR_HANDSHAKE_ACCEPT', 'Sec-WebSocket-Accept does not match the key (RFC 6455 §4.2.2)', details);
  }
  // Step 6: a Sec-WebSocket-Protocol value the client did not offer fails the connection.
  let protocol = '';
  const selected = headerValues(headers, 'sec-websocket-protocol');
  if (selected.length > 0) {
    protocol = selected.length === 1 ? (selected[0] as string) : '';
    if (!expected.protocols.includes(protocol)) {
      throw new HandshakeError(
        'ERR_HANDSHAKE_SUBPROTOCOL',
        `The server selected subprotocol ${JSON.stringify(selected.join(', '))}, which the client did not offer (RFC 6455 §4.1)`,
        details,
      );
    }
  }
  // Step 5: an extension the client did not offer fails the connection (RFC 7692 §5 for permessage-deflate).
  const extensions = headerValues(headers, 'sec-websocket-extensions');
  let perMessageDeflate: PerMessageDeflateParams | null;
  try {
    perMessageDeflate = negotiatePerMessageDeflate(extensions.length === 0 ? undefined : extensions, expected.offers);
  } catch (error) {
    throw new HandshakeError('ERR_HANDSHAKE_EXTENSION', (error as Error).message, details);
  }
  return { protocol, extensions: extensions.join(', '), perMessageDeflate };
}
