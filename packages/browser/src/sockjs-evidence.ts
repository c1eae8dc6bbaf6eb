import type { Clock } from '@keel/session';
import { sockjsUrl } from './sockjs-url.js';

/**
 * Evidence that a network blocks WebSocket while the server is reachable (DESIGN.md, browser
 * package): after native upgrades failed, the SockJS endpoint is asked for `GET <endpoint>/info`,
 * the request sockjs-client itself starts with. Its answer tells three situations apart:
 *
 * - 'answered': 200 with SockJS's JSON (it has a `websocket` field). The server is up and speaks
 *   SockJS, yet upgrades fail: a proxy or firewall blocks WebSocket. SockJS is worth using.
 * - 'missing': the server answers over HTTP, but not as a SockJS endpoint (404, HTML, a CORS
 *   refusal). A plain WebSocket server: SockJS cannot help, native attempts go on.
 * - 'unreachable': no HTTP answer at all within the time given (refused, reset, DNS, timeout).
 *   An outage, not a proxy: native attempts go on with backoff.
 */
export type SockJSEvidence = 'answered' | 'missing' | 'unreachable';

/** The part of `fetch` the check uses (a page's `fetch` fits; tests pass their own). */
export type FetchLike = (
  url: string,
  init: { readonly mode: 'cors' | 'no-cors'; readonly cache: 'no-store'; readonly signal: AbortSignal },
) => Promise<{ readonly ok: boolean; json(): Promise<unknown> }>;

/**
 * Looks at the SockJS endpoint of the WebSocket URL `url` (sockjsUrl with `path`) within `timeoutMs` of
 * `clock`, through `fetchLike` (default: the page's fetch; a page without one cannot look, and
 * its failed upgrades alone count as the evidence: 'answered').
 * A cross-origin server without SockJS sends no CORS headers, so its refusal looks like a network
 * error; a second, `no-cors` request then tells "answered something" (missing) from "no answer"
 * (unreachable).
 */
export async function checkSockJSEndpoint(
  url: string,
  path: string | undefined,
  clock: Clock,
  timeoutMs: number,
  fetchLike = globalThis.fetch as FetchLike | undefined,
): Promise<SockJSEvidence> {
  if (fetchLike === undefined) return 'answered';
  const info = new URL(sockjsUrl(url, path));
  info.pathname = info.pathname.replace(/\/?$/, '/info');
  const controller = new AbortController();
  const timer = clock.setTimeout(() => controller.abort(), timeoutMs);
  const get = (mode: 'cors' | 'no-cors') => fetchLike(info.href, { mode, cache: 'no-store', signal: controller.signal });
  try {
    const response = await get('cors');
    const body: unknown = response.ok ? await response.json() : undefined;
    return typeof body === 'object' && body !== null && 'websocket' in body ? 'answered' : 'missing';
  } catch {
    return await get('no-cors').then(
      (): SockJSEvidence => 'missing',
      (): SockJSEvidence => 'unreachable',
    );
  } finally {
    clock.clearTimeout(timer);
  }
}
