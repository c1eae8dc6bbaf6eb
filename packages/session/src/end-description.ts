import type { TransportCloseInfo } from './transport.js';

/** RFC 6455 §7.4.1 close codes, in words, for messages a person reads. */
const closeCodeNames: Readonly<Record<number, string>> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1006: 'connection lost',
  1007: 'invalid data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'extension required',
  1011: 'server error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  1015: 'TLS failure',
};

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
    const name = closeCodeNames[info.code];
    const details = [name, info.reason === '' ? undefined : JSON.stringify(info.reason)].filter((part) => part !== undefined);
    what = `close ${info.code}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
  }
  return url === undefined ? what : `${what} from ${withoutCredentials(url)}`;
}

/** `ws://user:pass@host/` → `ws://host/`: userinfo never goes into a message that may be logged. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
}
