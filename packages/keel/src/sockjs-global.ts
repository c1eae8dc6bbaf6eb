/**
 * Entry of keel's lazy SockJS file, built twice: `keel-sockjs.js` (ES module, loaded by URL from
 * the ESM build, see sockjs-url-loader.ts) and `keel-sockjs.min.js` (the CDN's script, global
 * `KeelSockJS`, see sockjs-script-loader.ts). Both hold sockjs-client and Keel's connection code
 * over it, with the shape of @keel/browser's SockJSModule.
 */
import sockjsClient from 'sockjs-client';
import type { SockJSConstructorLike } from '@keel/browser';

export const SockJS = sockjsClient as unknown as SockJSConstructorLike;
export { openSockJSConnection, checkSockJSEndpoint } from '@keel/browser';
