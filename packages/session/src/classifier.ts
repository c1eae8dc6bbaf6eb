import { isPermanentErrorCode } from './error-taxonomy.js';
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

/**
 * The default classifier: the error first (a Keel code the taxonomy marks not retryable stops,
 * error-taxonomy.ts), then the HTTP status, then the close code.
 */
export const defaultClassifier = (info: TransportCloseInfo): Decision => {
  const code = errorCode(info.error);
  if (code !== undefined && isPermanentErrorCode(code)) return 'stop';
  if (info.status !== undefined) return classifyStatus(info.status);
  if (info.beforeOpen) return 'retry';
  return classifyCloseCode(info.code);
};

/** Applies the caller's classifier, falling back to the default where it returns undefined. */
export function classify(info: TransportCloseInfo, custom: Classifier | undefined): Decision {
  return custom?.(info) ?? defaultClassifier(info);
}
