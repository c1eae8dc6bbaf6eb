import { describeValue, SessionError } from '@keel/session';

/**
 * The options the browser package adds to the session's, checked before anything starts. A bad
 * one is a SessionError ERR_INVALID_OPTION, as the session's own options are, instead of a value
 * spread into the defaults and ignored, or a timer that fires at once (a negative openTimeoutMs
 * failed every native attempt as it began).
 */

/** connect()'s `fallback` (an object or false) and `liveness` (a boolean or an environment). */
export function checkConnectOptions(fallback: unknown, liveness: unknown): void {
  if (isObject(fallback)) checkFallbackNumbers(fallback, 'fallback.');
  else if (fallback !== undefined && fallback !== false) refuse('fallback', 'an object or false', fallback);
  if (liveness !== undefined && typeof liveness !== 'boolean' && !isObject(liveness)) {
    refuse('liveness', 'a boolean or an environment object', liveness);
  }
}

/** The fallback's numbers, each optional; `path` is how the caller named the options object ("fallback." in connect()). */
export function checkFallbackNumbers(
  options: { readonly failuresBeforeFallback?: unknown; readonly reprobeIntervalMs?: unknown; readonly openTimeoutMs?: unknown },
  path: string,
): void {
  const { failuresBeforeFallback, reprobeIntervalMs, openTimeoutMs } = options;
  if (failuresBeforeFallback !== undefined && !(Number.isInteger(failuresBeforeFallback) && (failuresBeforeFallback as number) >= 1)) {
    refuse(`${path}failuresBeforeFallback`, 'an integer ≥ 1', failuresBeforeFallback);
  }
  if (reprobeIntervalMs !== undefined && !(typeof reprobeIntervalMs === 'number' && reprobeIntervalMs >= 0)) {
    refuse(`${path}reprobeIntervalMs`, 'a number ≥ 0 (ms)', reprobeIntervalMs);
  }
  if (openTimeoutMs !== undefined && !(typeof openTimeoutMs === 'number' && openTimeoutMs > 0)) {
    refuse(`${path}openTimeoutMs`, 'a number > 0 (ms)', openTimeoutMs);
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "<option> must be <allowed>; got <value>", as the session's own option checks say it. */
function refuse(option: string, allowed: string, value: unknown): never {
  throw new SessionError('ERR_INVALID_OPTION', `${option} must be ${allowed}; got ${describeValue(value)}`);
}
