import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Four builds of `keel`, one per `vite build --mode`:
 * - (default) `browser`: dist/browser.js (ESM) and dist/browser.cjs, with sockjs-client bundled
 *   into its own lazy chunk dist/sockjs-module-[hash].(js|cjs) — never in the entry.
 * - `node`: dist/node.js and dist/node.cjs (Keel's RFC 6455 client), node:* built-ins external.
 * - `cdn`: dist/keel.min.js, an IIFE defining the global `Keel`. An IIFE cannot hold a lazy
 *   chunk, so its SockJS loader is swapped for one that adds a script tag for...
 * - `cdn-sockjs`: dist/keel-sockjs.min.js, an IIFE defining the global `KeelSockJS`.
 *
 * The workspace packages are bundled from their sources (aliases), so `keel` is self-contained:
 * its only runtime dependency is eventemitter3 (and node:* built-ins on Node), which the browser
 * ES build and the CDN bundles carry inside (see eventemitter3Esm below).
 * sockjs-client expects Node's `global` and `process.env.NODE_ENV` (TOOLCHAIN.md); they are
 * defined here so consumers never have to.
 */
const sources = [
  { find: /^@keel\/browser$/, replacement: here('../browser/src/index.ts') },
  { find: /^@keel\/session$/, replacement: here('../session/src/index.ts') },
  { find: /^@keel\/core$/, replacement: here('../core/src/node/index.ts') },
];
const define = { global: 'globalThis', 'process.env.NODE_ENV': '"production"' };
const external = ['eventemitter3'];
const nodeExternal = [...external, /^node:/, ...builtinModules];
/**
 * eventemitter3's own ES module build (dist/eventemitter3.esm.js, the same EventEmitter). Its
 * package `exports` only offer `import` → index.mjs, which re-exports the CommonJS index.js, so a
 * consumer's bundler wraps it in CommonJS interop helpers (~190 B min+gzip in every app). The
 * browser ES build and the CDN bundles therefore bundle this file instead of importing the package.
 */
const eventemitter3Esm = join(dirname(createRequire(import.meta.url).resolve('eventemitter3/package.json')), 'dist/eventemitter3.esm.js');
const bundledEventemitter3 = { find: /^eventemitter3$/, replacement: eventemitter3Esm };

/**
 * Vite's library build rewrites `new URL('./keel-sockjs.js', import.meta.url)` to
 * `new URL(…, "" + import.meta.url)`, a form the consumer's bundler no longer recognises as an
 * asset reference; this restores the plain form (and fails the build if it is not there).
 */
const sockjsUrlPattern: Plugin = {
  name: 'keel-sockjs-url',
  renderChunk(code) {
    const rewritten = 'new URL("./keel-sockjs.js", "" + import.meta.url)';
    if (!code.includes(rewritten)) throw new Error(`keel-sockjs-url: ${rewritten} not found in the ESM build`);
    return { code: code.replace(rewritten, 'new URL("./keel-sockjs.js", import.meta.url)'), map: null };
  },
};

function library(
  entry: string,
  external: Array<string | RegExp>,
  emptyOutDir: boolean,
  formats: Array<'es' | 'cjs'> = ['es', 'cjs'],
): UserConfig {
  const byUrl = formats.length === 1 && formats[0] === 'es' && entry === 'browser';
  return {
    // The ESM browser build loads SockJS from dist/keel-sockjs.js by URL (see src/sockjs-url-loader.ts).
    resolve: {
      alias: byUrl
        ? [{ find: /^\.\/sockjs-loader\.js$/, replacement: here('src/sockjs-url-loader.ts') }, bundledEventemitter3, ...sources]
        : sources,
    },
    plugins: byUrl ? [sockjsUrlPattern] : [],
    define,
    build: {
      outDir: 'dist',
      emptyOutDir,
      sourcemap: true,
      minify: false,
      target: 'es2022',
      lib: { entry: { [entry]: here(`src/${entry}.ts`) }, formats },
      // sockjs-client and its dependencies land in the lazy chunk of @keel/browser's sockjs-module.ts.
      rolldownOptions: { external: byUrl ? [] : external },
    },
  };
}

function cdn(entry: string, name: string, fileName: string, format: 'iife' | 'es' = 'iife'): UserConfig {
  return {
    resolve: {
      alias: [
        // The lazy import() becomes a script tag next to keel.min.js (see src/sockjs-script-loader.ts).
        { find: /^\.\/sockjs-loader\.js$/, replacement: here('src/sockjs-script-loader.ts') },
        bundledEventemitter3,
        ...sources,
      ],
    },
    define,
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      minify: true,
      target: 'es2022',
      lib: { entry: here(`src/${entry}.ts`), formats: [format], name, fileName: () => fileName },
      // Vite keeps whitespace in ES libraries; this file is shipped to pages as is, so minify it fully.
      rolldownOptions: { output: { exports: 'auto', minify: true } },
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'node') return library('node', nodeExternal, false);
  if (mode === 'cdn') return cdn('browser', 'Keel', 'keel.min.js');
  if (mode === 'cdn-sockjs') return cdn('sockjs-global', 'KeelSockJS', 'keel-sockjs.min.js');
  // sockjs-client as one self-contained, minified ES module: apps copy it as an asset, unprocessed.
  if (mode === 'sockjs-esm') return cdn('sockjs-global', 'KeelSockJS', 'keel-sockjs.js', 'es');
  if (mode === 'browser-cjs') return library('browser', external, false, ['cjs']);
  return library('browser', external, true, ['es']);
});
