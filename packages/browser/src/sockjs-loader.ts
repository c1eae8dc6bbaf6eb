import type { SockJSConstructorLike } from './sockjs-like.js';

/**
 * Loads sockjs-client on first use. A dynamic import, so bundlers emit SockJS as its own chunk that
 * pages on a working WebSocket never download. sockjs-client is CommonJS: the constructor is the
 * module's default export under ESM interop, or the namespace itself (TOOLCHAIN.md).
 * The CDN build replaces this module with one that loads `keel-sockjs.min.js` by a script tag.
 */
export function loadSockJS(): Promise<SockJSConstructorLike> {
  return import('sockjs-client').then((m: { default?: unknown }) => (m.default ?? m) as SockJSConstructorLike);
}
