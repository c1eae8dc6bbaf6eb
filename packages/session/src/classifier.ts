import { errorCode } from './session-error.js';
import type { TransportCloseInfo } from './transport.js';

/**
 * What to do after a connection (or an attempt) ended:
 * - `retry`: wait the backoff delay, then connect again;
 * - `refresh`: call the `refreshCredentials` option, then retry (stop when there is none);
 * - `stop`: give up, the session closes.
 */
export type Decision = 'retry' | 'refresh' | 'stop';

/** Overridable: return undefined to fall back to the default for that case. */
export type Classifier = (info: TransportCloseInfo) => Decision | undefined;

/**
 * Error codes that retrying cannot fix: the caller's input or options are wrong, or the server
 * chose a subprotocol/extension we did not offer (RFC 6455 §4.1, client requirements 5 and 6).
 */
const permanentErrorCodes = new Set([
  'ERR_INVALID_URL',
  'ERR_INVALID_HEADER',
  'ERR_INVALID_SUBPROTOCOL',
  'ERR_INVALID_OPTION',
  'ERR_HANDSHAKE_SUBPROTOCOL',
  'ERR_HANDSHAKE_EXTENSION',
  'ERR_SUBPROTOCOL_UNSUPPORTED',
  'ERR_SUBPROTOCOL_MISMATCH',
  'ERR_REDIRECT_DOWNGRADE',
  'ERR_REDIRECT_LOOP',
  'ERR_TOO_MANY_REDIRECTS',
  'ERR_BINARY_UNSUPPORTED',
]);

/** The decision for a refused handshake's HTTP status (RFC 9110 §15). */
export function classifyStatus(status: number): Decision {
  if (status === 401 || status === 403) return 'refresh';
  // 408 Request Timeout and 429 Too Many Requests invite a later retry (RFC 9110 §15.5.9, RFC 6585 §4).
  if (status === 408 || status === 429) return 'retry';
  if (status >= 400 && status <= 499) return 'stop';
  return 'retry';
}

/**
 * The decision for a close code (RFC 6455 §7.4): 1000 (the server is done with us), 1008 (policy)
 * and the application band 4000–4499 stop; everything else — 1001 going away, 1006 lost,
 * 1011–1014 server trouble, 1002/1007/1009 protocol failures, 3000–3999, 4500–4999 — retries.
 */
export function classifyCloseCode(code: number): Decision {
  if (code === 1000 || code === 1008) return 'stop';
  if (code >= 4000 && code <= 4499) return 'stop';
  return 'retry';
}

/** The default classifier: the error first, then the HTTP status, then the close code. */
export const defaultClassifier = (info: TransportCloseInfo): Decision => {
  const code = errorCode(info.error);
  if (code !== undefined && permanentErrorCodes.has(code)) return 'stop';
  if (info.status !== undefined) return classifyStatus(info.status);
  if (info.beforeOpen) return 'retry';
  return classifyCloseCode(info.code);
};

/** Applies the caller's classifier, falling back to the default where it returns undefined. */
export function classify(info: TransportCloseInfo, custom: Classifier | undefined): Decision {
  return custom?.(info) ?? defaultClassifier(info);
}
