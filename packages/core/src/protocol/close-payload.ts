import { CloseCode, ProtocolError, UsageError } from './errors.js';
import { isValidUtf8 } from './utf8-validator.js';
import { decodeUtf8, encodeUtf8 } from './utf8-text.js';

/** Longest close reason: 125 payload bytes minus the 2-byte code (RFC 6455 §5.5, §5.5.1). */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Codes a peer may put in a Close frame (RFC 6455 §7.4.1, §7.4.2 and the IANA registry, which
 * added 1012-1014): 1000-1003, 1007-1014, 3000-4999. 1004 is reserved; 1005, 1006 and 1015 are
 * never sent; 0-999 and the other unassigned values are invalid.
 */
export function isValidReceivedCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** Codes an application may send: 1000 and 3000-4999, as the WHATWG WebSocket allows. */
export function isValidApplicationCloseCode(code: number): boolean {
  return code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999);
}

export interface ClosePayload {
  /** 1005 (no status) when the payload was empty. */
  readonly code: number;
  readonly reason: string;
}

/** Parses a received Close payload; throws ProtocolError (1002 / 1007) when it breaks §5.5.1. */
export function parseClosePayload(payload: Uint8Array, isUtf8?: (data: Uint8Array) => boolean): ClosePayload {
  if (payload.length === 0) return { code: CloseCode.noStatus, reason: '' };
  if (payload.length === 1) {
    throw new ProtocolError('ERR_INVALID_CLOSE_PAYLOAD', 'Close frame with a 1-byte payload (RFC 6455 §5.5.1)', CloseCode.protocolError);
  }
  const code = ((payload[0] as number) << 8) | (payload[1] as number);
  if (!isValidReceivedCloseCode(code)) {
    throw new ProtocolError('ERR_INVALID_CLOSE_CODE', `Close frame with invalid code ${code} (RFC 6455 §7.4)`, CloseCode.protocolError);
  }
  const reasonBytes = payload.subarray(2);
  if (!isValidUtf8(reasonBytes, isUtf8)) {
    throw new ProtocolError('ERR_INVALID_CLOSE_REASON', 'Close reason is not valid UTF-8 (RFC 6455 §5.5.1)', CloseCode.invalidPayload);
  }
  return { code, reason: decodeUtf8(reasonBytes) };
}

/** Builds a Close payload; `code` undefined gives an empty payload. */
export function formatClosePayload(code: number | undefined, reason = ''): Uint8Array {
  if (code === undefined) return new Uint8Array(0);
  const reasonBytes = encodeUtf8(reason);
  const payload = new Uint8Array(2 + reasonBytes.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(reasonBytes, 2);
  return payload;
}

/** Checks a caller's close(code, reason) before anything is sent; throws UsageError. */
export function validateCloseArguments(code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && !isValidApplicationCloseCode(code)) {
    throw new UsageError('ERR_INVALID_CLOSE_CODE_ARG', `Close code ${code} is not allowed: use 1000 or 3000-4999`);
  }
  if (reason !== undefined && reason !== '') {
    if (code === undefined) throw new UsageError('ERR_INVALID_CLOSE_CODE_ARG', 'A close reason needs a close code');
    if (encodeUtf8(reason).length > MAX_CLOSE_REASON_BYTES) {
      throw new UsageError('ERR_INVALID_CLOSE_CODE_ARG', `Close reason longer than ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes`);
    }
  }
}

/** Shortens a reason we generate ourselves to what fits a Close frame, on a code point boundary. */
export function truncateReason(reason: string): string {
  let out = reason;
  while (encodeUtf8(out).length > MAX_CLOSE_REASON_BYTES) out = Array.from(out).slice(0, -1).join('');
  return out;
}
