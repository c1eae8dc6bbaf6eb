// Application-level heartbeat. Browsers cannot send RFC 6455 Ping frames and SockJS has no
// control frames at all, so Keel's session sends a ping as an ordinary text message and expects
// a pong back. Every endpoint answers it before any other handling, so a session on /echo is
// not confused by its own ping coming back unchanged.
//
// The exact payload belongs to packages/session; this module recognises the shapes below and
// can be replaced through the server's `appPing` option.

/**
 * Returns the text to send back when `text` is an application-level ping, otherwise null.
 * Recognised: a JSON object whose `type` (or `keel`) is "ping", answered with the same object
 * with "pong" in that field (so any id or timestamp comes back unchanged), and the plain
 * strings `ping` / `keel:ping` with an optional `:suffix`, answered with `pong` / `keel:pong`.
 * @param {string} text
 * @returns {string | null}
 */
export function defaultAppPingReply(text) {
  if (text.length > 512) return null;
  const plain = /^(keel:)?ping(:.*)?$/s.exec(text);
  if (plain) return `${plain[1] ?? ''}pong${plain[2] ?? ''}`;
  if (text.startsWith('{') && text.includes('ping')) {
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    for (const field of ['type', 'keel']) {
      if (value[field] === 'ping') return JSON.stringify({ ...value, [field]: 'pong' });
    }
  }
  return null;
}
