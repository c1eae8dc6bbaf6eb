import { encodeLatin1 } from './ascii.js';
import { encodeBase64 } from './base64.js';
import { UsageError } from './errors.js';
import { isToken } from './permessage-deflate-extensions-header.js';

/** The GUID appended to the key before hashing (RFC 6455 §1.3, §4.2.2). */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Headers the engine writes itself; a caller may not override them (RFC 6455 §4.1). */
const reservedHeaders = new Set([
  'host',
  'upgrade',
  'connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
]);

export interface HandshakeRequestInput {
  /** Path and query, starting with '/'. */
  readonly resource: string;
  /** Host header value: host, plus ':port' when the port is not the scheme's default. */
  readonly hostHeader: string;
  readonly key: string;
  readonly protocols: readonly string[];
  readonly extensions: string;
  readonly origin: string | undefined;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** Header list in one shape, whatever the caller passed. */
export function normalizeHeaders(
  headers: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]> | undefined,
): Array<readonly [string, string]> {
  if (headers === undefined) return [];
  if (Array.isArray(headers)) return [...(headers as ReadonlyArray<readonly [string, string]>)];
  return Object.entries(headers as Readonly<Record<string, string>>);
}

/**
 * Rejects, before anything is sent, what would corrupt the request or let a caller inject
 * headers: names that are not RFC 9110 tokens, values with CR, LF or NUL (RFC 9110 §5.5),
 * headers the handshake owns, subprotocols that are not tokens or appear twice (RFC 6455 §4.1).
 */
export function validateRequestInput(input: HandshakeRequestInput): void {
  for (const [name, value] of input.headers) {
    if (typeof name !== 'string' || !isToken(name)) {
      throw new UsageError('ERR_INVALID_HEADER', `Invalid header name ${JSON.stringify(name)}: not an RFC 9110 token`);
    }
    if (typeof value !== 'string' || !isFieldValue(value)) {
      throw new UsageError('ERR_INVALID_HEADER', `Invalid value for header ${name}: CR, LF, NUL and control characters are not allowed`);
    }
    if (reservedHeaders.has(name.toLowerCase())) {
      throw new UsageError('ERR_INVALID_HEADER', `Header ${name} is written by the WebSocket handshake and cannot be set`);
    }
  }
  const seen = new Set<string>();
  for (const protocol of input.protocols) {
    if (typeof protocol !== 'string' || !isToken(protocol)) {
      throw new UsageError('ERR_INVALID_SUBPROTOCOL', `Invalid subprotocol ${JSON.stringify(protocol)}: not a token (RFC 6455 §4.1)`);
    }
    if (seen.has(protocol)) throw new UsageError('ERR_INVALID_SUBPROTOCOL', `Subprotocol ${protocol} offered twice`);
    seen.add(protocol);
  }
  // Origin is a header value like any other: a control character or a character that is not
  // one byte (it would be truncated by the Latin-1 encoding) must not reach the wire.
  if (input.origin !== undefined && !isFieldValue(input.origin)) {
    throw new UsageError('ERR_INVALID_HEADER', 'Invalid Origin: CR, LF, NUL and control characters are not allowed');
  }
  // The request target and Host are ASCII (RFC 3986 §2: non-ASCII is percent-encoded, hosts are
  // punycoded); anything else would be silently truncated by the Latin-1 encoding.
  if (!isVisibleAscii(input.resource) || !input.resource.startsWith('/')) {
    throw new UsageError('ERR_INVALID_URL', `Invalid request target ${JSON.stringify(input.resource)}`);
  }
  if (!isVisibleAscii(input.hostHeader)) {
    throw new UsageError('ERR_INVALID_URL', `Invalid host ${JSON.stringify(input.hostHeader)}`);
  }
}

/** RFC 9110 §5.5 field-value: HTAB, visible ASCII, space and obs-text (0x80-0xFF); no CR, LF, NUL or other controls. */
function isFieldValue(value: string): boolean {
  return !/[^\t\x20-\x7e\x80-\xff]/.test(value);
}

/** One or more visible ASCII characters (no space, no control, nothing above 0x7E). */
function isVisibleAscii(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

/** A fresh Sec-WebSocket-Key: 16 random bytes, base64 (RFC 6455 §4.1 item 7). */
export function createKey(randomFill: (target: Uint8Array) => void): string {
  const nonce = new Uint8Array(16);
  randomFill(nonce);
  return encodeBase64(nonce);
}

/** The Sec-WebSocket-Accept value the server must answer for `key` (RFC 6455 §4.2.2 item 5.4). */
export function expectedAccept(key: string, sha1: (data: Uint8Array) => Uint8Array): string {
  return encodeBase64(sha1(encodeLatin1(key + WEBSOCKET_GUID)));
}

/** The request bytes (RFC 6455 §4.1). Input must have passed validateRequestInput. */
export function formatHandshakeRequest(input: HandshakeRequestInput): Uint8Array {
  let text =
    `GET ${input.resource} HTTP/1.1\r\n` +
    `Host: ${input.hostHeader}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${input.key}\r\n` +
    'Sec-WebSocket-Version: 13\r\n';
  if (input.origin !== undefined) text += `Origin: ${input.origin}\r\n`;
  if (input.protocols.length > 0) text += `Sec-WebSocket-Protocol: ${input.protocols.join(', ')}\r\n`;
  if (input.extensions !== '') text += `Sec-WebSocket-Extensions: ${input.extensions}\r\n`;
  for (const [name, value] of input.headers) text += `${name}: ${value}\r\n`;
  return encodeLatin1(`${text}\r\n`);
}
