import type { openSockJSConnection } from './sockjs-connection.js';
import type { checkSockJSEndpoint } from './sockjs-evidence.js';
import type { SockJSConstructorLike } from './sockjs-like.js';

/** What the lazy SockJS chunk exports (see sockjs-module.ts). */
export interface SockJSModule {
  readonly SockJS: SockJSConstructorLike;
  readonly openSockJSConnection: typeof openSockJSConnection;
  /**
   * The look for evidence that WebSocket is blocked (sockjs-evidence.ts), kept in the lazy chunk so
   * pages on a working WebSocket never download it. A module without it (an older custom `load`)
   * makes failed native opens alone the evidence, as before.
   */
  readonly checkSockJSEndpoint?: typeof checkSockJSEndpoint;
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
