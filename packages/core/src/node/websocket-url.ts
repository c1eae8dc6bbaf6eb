import { UsageError } from '../protocol/errors.js';
import { parseUnixSocketUrl } from './connectivity/unix-socket-url.js';

export interface ParsedWebSocketUrl {
  readonly url: URL;
  /** Request target (path and query). */
  readonly resource: string;
  /** Host header: host (IPv6 in brackets) and the port when not the default (RFC 6455 §4.1). */
  readonly hostHeader: string;
}

/**
 * Parses and checks a WebSocket URL as the WHATWG constructor does: ws:, wss: (http: and https:
 * are mapped to them), plus Node's ws+unix:; no fragment. Throws UsageError ERR_INVALID_URL.
 */
export function parseWebSocketUrl(input: string | URL): ParsedWebSocketUrl {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new UsageError('ERR_INVALID_URL', `Invalid WebSocket URL ${JSON.stringify(String(input))}`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.hash !== '' || String(input).endsWith('#')) {
    throw new UsageError('ERR_INVALID_URL', 'A WebSocket URL cannot have a fragment');
  }
  if (url.protocol === 'ws+unix:') {
    try {
      const target = parseUnixSocketUrl(url);
      return { url, resource: target.resource, hostHeader: target.hostHeader };
    } catch (error) {
      throw new UsageError('ERR_INVALID_URL', (error as Error).message);
    }
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new UsageError(
      'ERR_INVALID_URL',
      `Unsupported scheme ${url.protocol} (ws:, wss:, ws+unix:, or http: and https:, read as ws: and wss:)`,
    );
  }
  if (url.hostname === '') throw new UsageError('ERR_INVALID_URL', 'The WebSocket URL has no host');
  // URL already drops a default port from `host`, and keeps IPv6 literals in brackets.
  return { url, resource: `${url.pathname === '' ? '/' : url.pathname}${url.search}`, hostHeader: url.host };
}
