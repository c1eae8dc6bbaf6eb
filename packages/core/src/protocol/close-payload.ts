import { isValidApplicationCloseCode, isValidCloseReason, isValidReceivedCloseCode, MAX_CLOSE_REASON_BYTES } from '@keel/session';
import { CloseCode, ProtocolError, UsageError } from './errors.js';
import { isValidUtf8 } from './utf8-validator.js';
import { decodeUtf8, encodeUtf8 } from './utf8-text.js';

// Which codes may be received or sent, and the reason's limit, are the session's leaf close-code
// rules, shared with the session and the browser transports; re-exported here for the engine's API.
export { isValidApplicationCloseCode, isValidReceivedCloseCode, MAX_CLOSE_REASON_BYTES };

export interface ClosePayload {
  /** 1005 (no status) when the payload was empty. */
  readonly code: number;
  readonly reason: string;
}

/** Parses a received Close payload; throws ProtocolError (1002 / 1007) when it breaks §5.5.1. */
export function parseClosePayload(payload: Uint8Array, isUtf8?: (data: Uint8Array) => boolean): ClosePayload {
  if (payload.length === 0) return { code: CloseCode.noStatus, reason: '' };
  if (payload.length === 1) {
    throw new ProtocolError('ERR_INVALID_CLOSE_PAYLOAD', 'Close frame with a 1-byte payload (RFC 6455 §5.5.1)');
  }
  const code = ((payload[0] as number) << 8) | (payload[1] as number);
  if (!isValidReceivedCloseCode(code)) {
    throw new ProtocolError('ERR_INVALID_CLOSE_CODE', `Close frame with invalid code ${code} (RFC 6455 §7.4)`);
  }
  const reasonBytes = payload.subarray(2);
  if (!isValidUtf8(reasonBytes, isUtf8)) {
    throw new ProtocolError('ERR_INVALID_CLOSE_REASON', 'Close reason is not valid UTF-8 (RFC 6455 §5.5.1)');
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
    if (!isValidCloseReason(reason)) {
      throw new UsageError('ERR_INVALID_CLOSE_CODE_ARG', `Close reason longer than ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes`);
    }
  }
}
