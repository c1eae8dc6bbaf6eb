import { CloseCode, KeelError, type KeelErrorCode } from '../protocol/errors.js';

/** `error` as a KeelError: itself when it is one, else wrapped (as `cause`) with `code` and `closeCode`. */
export function toKeelError(error: unknown, code: KeelErrorCode = 'ERR_CONNECT', closeCode: number = CloseCode.abnormal): KeelError {
  if (error instanceof KeelError) return error;
  return new KeelError(code, error instanceof Error ? error.message : String(error), closeCode, { cause: error });
}
