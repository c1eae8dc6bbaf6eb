import type { TransportCloseInfo } from './transport.js';

/**
 * How a connection or an attempt ended, in words, for top-level error messages: "HTTP 404 Not
 * Found from ws://host/x", "connect ECONNREFUSED 127.0.0.1:1234 from ws://…", "close 4001
 * (\"bye\") from ws://…". The most specific fact wins: the HTTP status of a refused handshake, then
 * the failure's own message, then the close code. Credentials in the URL are left out.
 */
export function describeEnd(info: TransportCloseInfo, url: string | undefined): string {
  let what: string;
  if (info.status !== undefined) {
    what = `HTTP ${info.status}${info.statusText ? ` ${info.statusText}` : ''}`;
  } else if (info.error instanceof Error && info.error.message !== '') {
    what = info.error.message;
  } else {
    // The code's meaning is in RFC 6455 §7.4.1; the words are the peer's reason, when it gave one.
    what = `close ${info.code}${info.reason === '' ? '' : ` (${JSON.stringify(info.reason)})`}`;
  }
  return url === undefined ? what : `${what} from ${withoutCredentials(url)}`;
}

/** `ws://user:pass@host/` → `ws://host/`: userinfo never goes into a message that may be logged. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
}
