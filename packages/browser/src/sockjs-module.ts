/**
 * The lazy SockJS chunk's entry: sockjs-client, and Keel's connection code over it. Importing the
 * CommonJS package through this file keeps the CommonJS interop helpers inside the lazy chunk
 * instead of in every page's entry chunk. Its shape is SockJSModule (sockjs-loader.ts); keel's
 * prebuilt `keel-sockjs.js` / `keel-sockjs.min.js` export the same names.
 */
import sockjsClient from 'sockjs-client';
import type { SockJSConstructorLike } from './sockjs-like.js';

export const SockJS = sockjsClient as unknown as SockJSConstructorLike;
export { openSockJSConnection } from './sockjs-connection.js';
export { checkSockJSEndpoint } from './sockjs-evidence.js';
