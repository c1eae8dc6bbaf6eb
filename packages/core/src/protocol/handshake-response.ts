import { decodeLatin1 } from './ascii.js';
import { concatBytes } from './concat-bytes.js';
import { HandshakeError, type HeaderList } from './errors.js';

/** How many body bytes a refused handshake keeps for the error (HandshakeError.body). */
export const HANDSHAKE_ERROR_BODY_BYTES = 1024;

/** The parsed head of the server's answer (RFC 9112 §4 status line, §5 fields). */
export interface HandshakeResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** Names lower-cased, arrival order, repeats kept. */
  readonly headers: HeaderList;
  /** The head as received (status line and header lines, without the final blank line). */
  readonly text: string;
}

/**
 * Collects the response head across reads, bounded by `maxSize` bytes (RFC 6455 §4.1 leaves
 * the size open; an unbounded read is a memory hazard). `push` returns the bytes that followed
 * the head in the same read — they are frames, and must not be lost.
 */
export class HandshakeResponseReader {
  private readonly pieces: Uint8Array[] = [];
  private size = 0;
  private readonly maxSize: number;
  /** Bytes of "\r\n\r\n" matched at the end of what was read so far (the terminator may span reads). */
  private matched = 0;

  constructor(maxSize: number) {
    this.maxSize = maxSize;
  }

  /**
   * Feeds one read. Returns null while the head is incomplete, else the head and the rest of
   * the chunk. Throws HandshakeError (ERR_HANDSHAKE_TOO_LARGE, ERR_HANDSHAKE_MALFORMED).
   */
  push(chunk: Uint8Array): { head: HandshakeResponseHead; rest: Uint8Array } | null {
    let end = -1;
    for (let index = 0; index < chunk.length; index += 1) {
      const byte = chunk[index];
      const want = this.matched === 0 || this.matched === 2 ? 0x0d : 0x0a;
      if (byte === want) this.matched += 1;
      else this.matched = byte === 0x0d ? 1 : 0;
      if (this.matched === 4) {
        end = index + 1;
        break;
      }
    }
    const used = end === -1 ? chunk.length : end;
    if (this.size + used > this.maxSize) {
      throw new HandshakeError(
        'ERR_HANDSHAKE_TOO_LARGE',
        `The handshake response exceeds ${this.maxSize} bytes (maxHandshakeResponseSize)`,
      );
    }
    this.pieces.push(end === -1 ? chunk : chunk.subarray(0, end));
    this.size += used;
    if (end === -1) return null;
    const whole = this.pieces.length === 1 ? (this.pieces[0] as Uint8Array) : concatBytes(this.pieces, this.size);
    this.pieces.length = 0;
    return { head: parseResponseHead(decodeLatin1(whole, 0, whole.length - 4)), rest: chunk.subarray(end) };
  }
}

/** Parses a response head (RFC 9112 §4, §5); throws HandshakeError ERR_HANDSHAKE_MALFORMED. */
export function parseResponseHead(text: string): HandshakeResponseHead {
  const lines = text.split('\r\n');
  const statusLine = lines[0] ?? '';
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (match === null) {
    throw new HandshakeError('ERR_HANDSHAKE_MALFORMED', `Malformed status line ${JSON.stringify(statusLine.slice(0, 100))}`);
  }
  const headers: Array<readonly [string, string]> = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const colon = line.indexOf(':');
    // RFC 9112 §5.1: no whitespace between name and colon; obsolete line folding is rejected.
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) {
      throw new HandshakeError('ERR_HANDSHAKE_MALFORMED', `Malformed header line ${JSON.stringify(line.slice(0, 100))}`, {
        status: Number(match[1]),
      });
    }
    headers.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(match[1]), statusText: match[2] ?? '', headers, text };
}

/** Every value of header `name` (lower case), in order. */
export function headerValues(headers: HeaderList, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of headers) if (key === name) values.push(value);
  return values;
}

/** The comma-separated tokens of every `name` header, lower-cased (RFC 9110 §5.6.1 lists). */
export function headerTokens(headers: HeaderList, name: string): string[] {
  const tokens: string[] = [];
  for (const value of headerValues(headers, name)) {
    for (const part of value.split(',')) {
      const token = part.trim().toLowerCase();
      if (token !== '') tokens.push(token);
    }
  }
  return tokens;
}
