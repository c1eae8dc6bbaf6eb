import { createHash } from 'node:crypto';

/** The client's opening handshake (RFC 6455 §4.1) as the scripted server received it. */
export interface UpgradeRequest {
  readonly method: string;
  readonly path: string;
  readonly version: string;
  /** Header names lower-cased, in arrival order, repeated names kept. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The request exactly as sent, up to and including the blank line. */
  readonly raw: Buffer;
}

/** The value of a header (repeated headers joined with ', ', §4.1 / RFC 7230 §3.2.2), or undefined. */
export function header(request: UpgradeRequest, name: string): string | undefined {
  const values = request.headers.filter(([n]) => n === name.toLowerCase()).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(', ');
}

/** Finds the end of the request head; returns the request and the bytes after it, or null if incomplete. */
export function parseUpgradeRequest(data: Buffer): { request: UpgradeRequest; rest: Buffer } | null {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const raw = data.subarray(0, end + 4);
  const lines = raw.toString('latin1').slice(0, -4).split('\r\n');
  const [method = '', path = '', version = ''] = (lines[0] ?? '').split(' ');
  const headers = lines.slice(1).map((line): readonly [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  return { request: { method, path, version, headers, raw: Buffer.from(raw) }, rest: data.subarray(end + 4) };
}

/** Sec-WebSocket-Accept for a key (§4.2.2 step 5.4): base64(SHA-1(key + GUID)). */
export function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

export interface AcceptResponseOptions {
  /** Sec-WebSocket-Protocol to answer with. */
  readonly protocol?: string;
  /** Sec-WebSocket-Extensions to answer with. */
  readonly extensions?: string;
  /** Replaces Sec-WebSocket-Accept (a wrong accept); null leaves the header out. */
  readonly accept?: string | null;
  /** Upgrade value; null leaves the header out. Default 'websocket'. */
  readonly upgrade?: string | null;
  /** Connection value; null leaves the header out. Default 'Upgrade'. */
  readonly connection?: string | null;
  readonly status?: string;
  /** More header lines, written as given. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** A 101 response to `request` (§4.2.2), correct unless an option says otherwise. */
export function acceptResponse(request: UpgradeRequest, options: AcceptResponseOptions = {}): Buffer {
  const lines = [`HTTP/1.1 ${options.status ?? '101 Switching Protocols'}`];
  const upgrade = options.upgrade === undefined ? 'websocket' : options.upgrade;
  const connection = options.connection === undefined ? 'Upgrade' : options.connection;
  if (upgrade !== null) lines.push(`Upgrade: ${upgrade}`);
  if (connection !== null) lines.push(`Connection: ${connection}`);
  const accept = options.accept === undefined ? acceptFor(header(request, 'sec-websocket-key') ?? '') : options.accept;
  if (accept !== null) lines.push(`Sec-WebSocket-Accept: ${accept}`);
  if (options.protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${options.protocol}`);
  if (options.extensions !== undefined) lines.push(`Sec-WebSocket-Extensions: ${options.extensions}`);
  for (const [name, value] of options.headers ?? []) lines.push(`${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
