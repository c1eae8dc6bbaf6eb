import type { SockJSConstructorLike } from './sockjs-like.js';

/**
 * Loads sockjs-client on first use. A dynamic import, so bundlers emit SockJS as its own chunk that
 * pages on a working WebSocket never download. The CDN build replaces this module with one that
 * loads `keel-sockjs.min.js` by a script tag.
 */
export function loadSockJS(): Promise<SockJSConstructorLike> {
  return import('./sockjs-module.js').then((m) => m.default as unknown as SockJSConstructorLike);
}
