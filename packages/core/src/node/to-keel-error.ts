import { KeelError, keelErrorFor, type KeelErrorCode } from '../protocol/errors.js';

/** `error` as a KeelError: itself when it is one, else wrapped (as `cause`) with `code` and the taxonomy's close code for it. */
export function toKeelError(error: unknown, code: KeelErrorCode = 'ERR_CONNECT'): KeelError {
  if (error instanceof KeelError) return error;
  return keelErrorFor(code, error instanceof Error ? error.message : String(error), { cause: error });
}
