/**
 * Which close codes may be received, sent by an application and sent by a browser, and how long a
 * close reason may be: the one place these RFC 6455 §7.4 and WHATWG rules are written. A leaf
 * module (imports nothing), so the engine, the session and the browser transports share it.
 */

/** Longest close reason: 125 payload bytes minus the 2-byte code (RFC 6455 §5.5, §5.5.1). */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Codes a peer may put in a Close frame (RFC 6455 §7.4.1, §7.4.2 and the IANA registry, which
 * added 1012-1014): 1000-1003, 1007-1014, 3000-4999. 1004 is reserved; 1005, 1006 and 1015 are
 * never sent; 0-999 and the other unassigned values are invalid.
 */
export function isValidReceivedCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || isApplicationBand(code);
}

/**
 * Codes a close event may report: every code that may be received, plus 1005 (no status) and 1006
 * (abnormal closure), which an endpoint reports but never sends (RFC 6455 §7.1.5, §7.4.1).
 */
export function isReportableCloseCode(code: number): boolean {
  return code === 1005 || code === 1006 || isValidReceivedCloseCode(code);
}

/**
 * Codes an application may send: 1000 and 3000-4999, as the WHATWG WebSocket's close() allows
 * (any other code throws InvalidAccessError there). The same set a browser lets a page send, and
 * sockjs-client applies the same rule.
 */
export function isValidApplicationCloseCode(code: number): boolean {
  return code === 1000 || isApplicationBand(code);
}

/** 3000-3999 registered with IANA, 4000-4999 private use (RFC 6455 §7.4.2). */
function isApplicationBand(code: number): boolean {
  return Number.isInteger(code) && code >= 3000 && code <= 4999;
}

/** Whether `reason` fits a Close frame: at most 123 UTF-8 bytes (RFC 6455 §5.5). */
export function isValidCloseReason(reason: string): boolean {
  return truncateCloseReason(reason).length === reason.length;
}

/**
 * Shortens a reason Keel sends on its own (an error message, a reason a browser would refuse) to
 * what fits a Close frame, cutting between code points so the result is still valid UTF-8
 * (RFC 6455 §5.5.1: the reason must be UTF-8).
 */
export function truncateCloseReason(reason: string): string {
  let bytes = 0;
  let end = 0;
  for (const char of reason) {
    bytes += utf8CharLength(char);
    if (bytes > MAX_CLOSE_REASON_BYTES) break;
    end += char.length;
  }
  return reason.slice(0, end);
}

/** UTF-8 length of one code point given as a string (RFC 3629 §3); a lone surrogate is sent as U+FFFD, 3 bytes. */
function utf8CharLength(char: string): number {
  const codePoint = char.codePointAt(0) ?? 0;
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}
