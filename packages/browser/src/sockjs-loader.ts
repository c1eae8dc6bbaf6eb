import type { openSockJSConnection } from './sockjs-connection.js';
import type { SockJSConstructorLike } from './sockjs-like.js';

/** What the lazy SockJS chunk exports (see sockjs-module.ts). */
export interface SockJSModule {
  readonly SockJS: SockJSConstructorLike;
  readonly openSockJSConnection: typeof openSockJSConnection;
}

/**
 * Loads the SockJS chunk on first use. A dynamic import, so bundlers emit it as its own chunk that
 * pages on a working WebSocket never download. keel's builds replace this module: its ESM build
 * imports the prebuilt `keel-sockjs.js` by URL, its CDN build adds a script tag for
 * `keel-sockjs.min.js`.
 */
export function loadSockJSModule(): Promise<SockJSModule> {
  return import('./sockjs-module.js');
}
