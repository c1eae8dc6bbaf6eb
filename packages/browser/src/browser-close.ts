/**
 * The close arguments a browser accepts. WHATWG WebSockets §"close()": a code other than 1000 or
 * 3000–4999 throws InvalidAccessError, and a reason longer than 123 UTF-8 bytes throws SyntaxError
 * (RFC 6455 §5.5: a control frame payload is at most 125 bytes, 2 of which hold the code).
 * sockjs-client applies the same two rules. The session may close with codes a browser forbids
 * (1001 going away, 1008 policy…); those are sent as 1000 with the reason kept, since
 * the page cannot send them and throwing here would leave the connection open.
 */
export interface BrowserCloseArgs {
  readonly code: number | undefined;
  readonly reason: string | undefined;
}

const maxReasonBytes = 123;

export function browserCloseArgs(code: number | undefined, reason: string | undefined): BrowserCloseArgs {
  if (code === undefined) return { code: undefined, reason: undefined };
  const allowed = code === 1000 || (code >= 3000 && code <= 4999);
  return { code: allowed ? code : 1000, reason: reason === undefined ? undefined : truncateUtf8(reason, maxReasonBytes) };
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a code point. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
