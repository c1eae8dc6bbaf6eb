import net from 'node:net';
import type tls from 'node:tls';
import type { HeaderList } from '../../protocol/errors.js';
import { ConnectDeadline } from './connect-deadline.js';
import type { ConnectDiagnostics } from './connect-diagnostics.js';
import { ConnectivityInputError, ProxyError } from './connectivity-errors.js';
import { redactCredentials } from './proxy-from-env.js';
import { connectTcp } from './tcp-connect.js';
import { upgradeToTls, type TlsSettings } from './tls-upgrade.js';

export { upgradeToTls, toTlsError, type TlsSettings, type TlsUpgradeOptions } from './tls-upgrade.js';

/** Default bound on the proxy's answer to CONNECT (status line + headers), in bytes. */
export const defaultMaxProxyResponseSize = 16 * 1024;

/** Options of {@link openTunnel}. */
export interface OpenTunnelOptions {
  /**
   * The proxy, `http://` or `https://` (TLS to the proxy first). Credentials in the URL
   * (`http://user:pass@host:port`, percent-encoded) are sent as `Proxy-Authorization: Basic`.
   * The port defaults to 80 (`http:`) or 443 (`https:`).
   */
  proxy: URL;
  /** Host of the origin to tunnel to (name or IP literal; IPv6 with or without brackets). */
  targetHost: string;
  /** Port of the origin, 1–65535. */
  targetPort: number;
  /**
   * Extra headers for the CONNECT request (e.g. `User-Agent`). A `Proxy-Authorization` here
   * replaces the one built from the URL's credentials. Default: none.
   */
  headers?: Readonly<Record<string, string>> | undefined;
  /** TLS settings for an `https://` proxy (`servername` defaults to the proxy's host). Default: Node's defaults, verification on. */
  proxyTls?: TlsSettings | undefined;
  /**
   * The deadline of the whole attempt, shared with the stages before and after the tunnel. When
   * given, `signal` and `timeout` are ignored and the caller calls `finish()`.
   */
  deadline?: ConnectDeadline | undefined;
  /** Cancels the tunnel setup (used only without `deadline`). Default: none. */
  signal?: AbortSignal | undefined;
  /** Milliseconds for lookup + TCP + proxy TLS + CONNECT (used only without `deadline`). Default: no limit. */
  timeout?: number | undefined;
  /** Largest accepted answer to CONNECT (status line + headers), in bytes. Default 16,384. */
  maxResponseSize?: number | undefined;
  /** Receives `lookup`, `tcp`, `tls` (peer `proxy`) and `proxy` events. Default: none. */
  diagnostics?: ConnectDiagnostics | undefined;
  /** Custom DNS lookup for the proxy's host, as `net.connect` takes it. Default: `dns.lookup`. */
  lookup?: net.LookupFunction | undefined;
}

/**
 * Opens a tunnel to `targetHost:targetPort` through an HTTP proxy with `CONNECT`
 * (RFC 9110 §9.3.6) and resolves with the socket to the proxy, now a byte pipe to the origin:
 * a `net.Socket`, or a `tls.TLSSocket` for an `https://` proxy. Run {@link upgradeToTls} on it
 * for a `wss:` origin. Bytes the proxy sent after its answer are unshifted into the socket.
 *
 * The socket is returned **paused** (so those bytes wait): a plain `ws:` reader attaches its
 * `'data'` listener and then calls `socket.resume()`; `upgradeToTls` needs nothing.
 *
 * Rejects with `ERR_PROXY_STATUS` (a non-2xx answer; `status`, `headers` of the answer),
 * `ERR_PROXY` (malformed answer, proxy hung up), `ERR_PROXY_RESPONSE_TOO_LARGE`, `ERR_CONNECT`
 * (proxy unreachable), `ERR_TLS` (TLS to the proxy), or the deadline's `ERR_CONNECT_TIMEOUT` /
 * `ERR_ABORTED`. The socket is destroyed on every failure.
 */
export async function openTunnel(options: OpenTunnelOptions): Promise<net.Socket | tls.TLSSocket> {
  const request = buildConnectRequest(options);
  const ownDeadline = options.deadline === undefined;
  const deadline = options.deadline ?? new ConnectDeadline({ timeout: options.timeout, signal: options.signal });
  const { proxy, diagnostics } = options;
  const proxyPort = proxy.port === '' ? (proxy.protocol === 'https:' ? 443 : 80) : Number(proxy.port);
  let socket: net.Socket | undefined;
  try {
    socket = await connectTcp({ host: proxy.hostname, port: proxyPort, deadline, diagnostics, lookup: options.lookup });
    if (proxy.protocol === 'https:') {
      const tlsSettings = options.proxyTls ?? {};
      socket = await upgradeToTls(socket, {
        ...tlsSettings,
        servername: tlsSettings.servername ?? proxy.hostname,
        // An HTTPS proxy that offers HTTP/2 must still speak HTTP/1.1 CONNECT to us.
        ALPNProtocols: ['http/1.1'],
        peer: 'proxy',
        deadline,
        diagnostics,
      });
    }
    const tunnel = socket;
    deadline.track(tunnel);
    const answer = await deadline.race(
      'proxy',
      exchangeConnect(tunnel, request.text, options.maxResponseSize ?? defaultMaxProxyResponseSize),
    );
    diagnostics?.publish('proxy', () => ({
      type: 'proxy',
      proxy: redactCredentials(proxy.href),
      target: request.authority,
      status: answer.status,
    }));
    if (answer.status < 200 || answer.status > 299) {
      throw new ProxyError(
        'ERR_PROXY_STATUS',
        `Proxy ${proxy.host} answered ${answer.status}${answer.statusText === '' ? '' : ` ${answer.statusText}`} to CONNECT ${request.authority}`,
        {
          status: answer.status,
          statusText: answer.statusText,
          headers: answer.headers,
        },
      );
    }
    // RFC 9110 §9.3.6: after a 2xx the connection is the tunnel; what followed the answer is the origin's.
    if (answer.rest.length > 0) tunnel.unshift(answer.rest);
    return tunnel;
  } catch (error) {
    socket?.destroy();
    if (socket !== undefined) deadline.untrack(socket);
    throw error;
  } finally {
    if (ownDeadline) deadline.finish();
  }
}

/** The CONNECT request for `options`, and the authority it names. */
export function buildConnectRequest(options: Pick<OpenTunnelOptions, 'proxy' | 'targetHost' | 'targetPort' | 'headers'>): {
  text: string;
  authority: string;
} {
  const host =
    options.targetHost.startsWith('[') && options.targetHost.endsWith(']') ? options.targetHost.slice(1, -1) : options.targetHost;
  // RFC 3986 §3.2.2: an IPv6 literal or a reg-name; anything else could smuggle a request line.
  if (!net.isIPv6(host) && !/^[A-Za-z0-9._~!$&'()*+,;=%-]+$/.test(host)) {
    throw new ConnectivityInputError('ERR_INVALID_URL', `Invalid tunnel target host: ${JSON.stringify(options.targetHost)}`);
  }
  if (!Number.isInteger(options.targetPort) || options.targetPort < 1 || options.targetPort > 65_535) {
    throw new ConnectivityInputError('ERR_INVALID_URL', `Invalid tunnel target port: ${options.targetPort}`);
  }
  // RFC 9110 §9.3.6: the request target of CONNECT is host:port (RFC 3986 authority, IPv6 in brackets).
  const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${options.targetPort}`;
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  const extra = Object.entries(options.headers ?? {});
  for (const [name, value] of extra) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name))
      throw new ConnectivityInputError('ERR_INVALID_HEADER', `Invalid proxy header name: ${JSON.stringify(name)}`);
    if (/[\r\n\0]/.test(value)) throw new ConnectivityInputError('ERR_INVALID_HEADER', `Invalid value for proxy header ${name}`);
  }
  const hasOwnAuthorization = extra.some(([name]) => name.toLowerCase() === 'proxy-authorization');
  const credentials = proxyCredentials(options.proxy);
  if (credentials !== undefined && !hasOwnAuthorization) {
    // RFC 7617 §2: Basic credentials are base64(user-id ":" password), UTF-8 (charset="UTF-8").
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`);
  }
  for (const [name, value] of extra) {
    if (name.toLowerCase() === 'host') continue;
    lines.push(`${name}: ${value}`);
  }
  return { text: `${lines.join('\r\n')}\r\n\r\n`, authority };
}

/** `user:password` from the proxy URL, percent-decoded; `undefined` when the URL has none. */
function proxyCredentials(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  try {
    return `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  } catch (cause) {
    throw new ConnectivityInputError('ERR_INVALID_URL', 'The proxy URL has malformed percent-encoding in its credentials', { cause });
  }
}

/** A parsed answer to CONNECT. */
export interface ProxyResponseHead {
  status: number;
  statusText: string;
  headers: HeaderList;
  /** Bytes after the header block (already the origin's, after a 2xx). */
  rest: Buffer;
}

/**
 * Parses the proxy's answer from the start of `buffer`: `undefined` while the header block is
 * incomplete. Interim 1xx answers (RFC 9110 §15.2; not 101) are skipped. Throws `ERR_PROXY` for
 * a malformed answer and `ERR_PROXY_RESPONSE_TOO_LARGE` when no complete final answer fits in
 * `maxSize` bytes.
 */
export function parseProxyResponseHead(buffer: Buffer, maxSize: number = defaultMaxProxyResponseSize): ProxyResponseHead | undefined {
  let offset = 0;
  for (;;) {
    const end = findHeadEnd(buffer, offset);
    if (end === undefined) {
      if (buffer.length > maxSize) throw new ProxyError('ERR_PROXY_RESPONSE_TOO_LARGE', `The proxy's answer exceeds ${maxSize} bytes`);
      return undefined;
    }
    if (end.next > maxSize) throw new ProxyError('ERR_PROXY_RESPONSE_TOO_LARGE', `The proxy's answer exceeds ${maxSize} bytes`);
    const head = parseHead(buffer.subarray(offset, end.headEnd).toString('latin1'));
    offset = end.next;
    if (head.status >= 100 && head.status <= 199 && head.status !== 101) continue;
    return { ...head, rest: buffer.subarray(offset) };
  }
}

/** Where the header block starting at `from` ends: CRLF CRLF, or bare LF LF (RFC 9112 §2.2 allows LF). */
function findHeadEnd(buffer: Buffer, from: number): { headEnd: number; next: number } | undefined {
  for (let i = from; i < buffer.length; i += 1) {
    if (buffer[i] !== 0x0a) continue;
    const headEnd = i > from && buffer[i - 1] === 0x0d ? i - 1 : i;
    if (buffer[i + 1] === 0x0a) return { headEnd, next: i + 2 };
    if (buffer[i + 1] === 0x0d && buffer[i + 2] === 0x0a) return { headEnd, next: i + 3 };
  }
  return undefined;
}

function parseHead(text: string): { status: number; statusText: string; headers: HeaderList } {
  const lines = text.split(/\r?\n/);
  const statusLine = lines[0] ?? '';
  // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
  const match = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?$/.exec(statusLine);
  if (match === null) throw new ProxyError('ERR_PROXY', `Malformed proxy answer: ${JSON.stringify(statusLine.slice(0, 100))}`);
  const headers: Array<readonly [string, string]> = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new ProxyError('ERR_PROXY', `Malformed header line in the proxy's answer: ${JSON.stringify(line.slice(0, 100))}`);
    }
    headers.push([name.toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(match[1]), statusText: match[2] ?? '', headers };
}

/** Writes the CONNECT request and reads the proxy's answer; the socket is paused on return. */
function exchangeConnect(socket: net.Socket, request: string, maxSize: number): Promise<ProxyResponseHead> {
  return new Promise<ProxyResponseHead>((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0);
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('end', onEnd);
    };
    const onData = (chunk: Buffer): void => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      let answer: ProxyResponseHead | undefined;
      try {
        answer = parseProxyResponseHead(buffered, maxSize);
      } catch (error) {
        cleanup();
        reject(error);
        return;
      }
      if (answer === undefined) return;
      cleanup();
      // Stop the flow so the bytes after the answer wait in the socket for its next reader.
      socket.pause();
      resolve(answer);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new ProxyError('ERR_PROXY', `Proxy connection failed: ${error.message}`, { cause: error }));
    };
    const onEnd = (): void => {
      cleanup();
      reject(new ProxyError('ERR_PROXY', 'The proxy closed the connection before answering CONNECT'));
    };
    const onClose = onEnd;
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('close', onClose);
    socket.write(request);
  });
}
