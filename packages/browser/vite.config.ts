import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { libraryConfig } from '../../vite.library.js';

/**
 * @keel/browser's JavaScript: dist/index.js (ESM) and dist/index.cjs, each with a lazy chunk
 * (sockjs-module-[hash]) holding sockjs-client, which is bundled here (with the `global` and
 * `process.env.NODE_ENV` it expects defined, TOOLCHAIN.md) so that consumers never see it.
 * @keel/session and eventemitter3 stay external (see vite.library.ts).
 */
export default defineConfig({
  ...libraryConfig({ index: fileURLToPath(new URL('src/index.ts', import.meta.url)) }, ['@keel/session', 'eventemitter3']),
  define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
});
