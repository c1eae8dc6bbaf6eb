/**
 * The SockJS endpoint for a WebSocket URL. SockJS speaks HTTP(S) first (its `/info` request and
 * the polling transports), so the scheme maps ws: → http: and wss: → https: on the same host and
 * port. The path is the WebSocket URL's own path unless `path` is given (an absolute path such as
 * '/sockjs', replacing it). The query string is kept; a fragment cannot exist on a WebSocket URL.
 *
 *   sockjsUrl('wss://example.com/chat?room=1')            → 'https://example.com/chat?room=1'
 *   sockjsUrl('ws://localhost:8080/chat', '/sockjs/chat') → 'http://localhost:8080/sockjs/chat'
 *
 * http(s): and relative URLs (accepted by browsers since 2023) follow the same rules; throws
 * TypeError for a URL that does not parse.
 */
/** Parses a URL as the WebSocket constructor does: relative URLs resolve against the page. */
export const pageUrl = (url: string): URL => new URL(url, (globalThis as { location?: { href: string } }).location?.href);

export function sockjsUrl(wsUrl: string, path?: string): string {
  const url = pageUrl(wsUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  if (path !== undefined) url.pathname = path;
  url.hash = '';
  return url.href;
}
