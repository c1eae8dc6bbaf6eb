import type { SockJSModule } from '@keel/browser';

/**
 * The CDN bundle's SockJS loader (the CDN build aliases @keel/browser's sockjs-loader to this
 * file). An IIFE cannot hold a lazy chunk, so SockJS ships as a second script,
 * `keel-sockjs.min.js`, fetched from next to `keel.min.js` the first time a page falls back. It
 * defines the global `KeelSockJS`: sockjs-client and Keel's SockJS connection code (SockJSModule).
 * A page that loaded it already (its own script tag) is used as is.
 */

interface ScriptGlobals {
  KeelSockJS?: SockJSModule;
}

/** The file name of the SockJS script, resolved against keel.min.js's own URL. */
export const sockjsScriptName = 'keel-sockjs.min.js';

// document.currentScript is only set while keel.min.js first runs: capture its URL now.
const scriptUrl = typeof document === 'undefined' ? undefined : (document.currentScript as HTMLScriptElement | null)?.src;

let loading: Promise<SockJSModule> | undefined;

export function loadSockJSModule(): Promise<SockJSModule> {
  const globals = globalThis as ScriptGlobals;
  const ready = globals.KeelSockJS;
  if (ready !== undefined) return Promise.resolve(ready);
  loading ??= new Promise<SockJSModule>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL(sockjsScriptName, scriptUrl ?? document.baseURI).href;
    script.async = true;
    script.onload = () => {
      const loaded = (globalThis as ScriptGlobals).KeelSockJS;
      if (loaded === undefined) reject(new Error(`${script.src} did not define KeelSockJS`));
      else resolve(loaded);
    };
    script.onerror = () => reject(new Error(`could not load ${script.src}`));
    document.head.appendChild(script);
  }).catch((error: unknown) => {
    // A failed load (offline, blocked) is retried at the next attempt, with a fresh script tag.
    loading = undefined;
    throw error;
  });
  return loading;
}
