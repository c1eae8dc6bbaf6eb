import { isValidApplicationCloseCode, truncateCloseReason } from '@keel/session';

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

export function browserCloseArgs(code: number | undefined, reason: string | undefined): BrowserCloseArgs {
  if (code === undefined) return { code: undefined, reason: undefined };
  return {
    code: isValidApplicationCloseCode(code) ? code : 1000,
    reason: reason === undefined ? undefined : truncateCloseReason(reason),
  };
}

/** Abnormal closure (RFC 6455 §7.1.5): the code reported when no Close frame was received. */
export const abnormalClosure = 1006;

/** What a connection that ended without a Close frame (refused, lost, abandoned) reports. */
export function abnormalClose<E>(error: E): { code: number; reason: string; wasClean: boolean; error: E } {
  return { code: abnormalClosure, reason: '', wasClean: false, error };
}

/** Closes a page's socket (WebSocket or SockJS), if there is one yet, with arguments it accepts. */
export function closeBrowserSocket(
  socket: { close(code?: number, reason?: string): void } | undefined,
  code?: number,
  reason?: string,
): void {
  if (socket === undefined) return;
  const args = browserCloseArgs(code, reason);
  socket.close(args.code, args.reason);
}
