import type { SockJSModule } from '@keel/browser';

/**
 * The ESM build's SockJS loader (the default build aliases @keel/browser's sockjs-loader to this
 * file). A plain `import('./chunk.js')` makes the consumer's Vite wrap the call in its
 * module-preload helper (~860 B min+gzip in every app's entry chunk). Instead, `keel-sockjs.js`
 * (sockjs-client and Keel's SockJS connection code as a self-contained ES module, built next to
 * browser.js) is located with `new URL(…, import.meta.url)`, which Vite and webpack 5 emit as an
 * asset of the app, and imported at runtime; `@vite-ignore` keeps the consumer's Vite from
 * analysing the import itself.
 */
export const loadSockJSModule = (): Promise<SockJSModule> => import(/* @vite-ignore */ new URL('./keel-sockjs.js', import.meta.url).href);
