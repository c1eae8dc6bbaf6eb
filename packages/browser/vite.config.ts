import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * @keel/browser's JavaScript: dist/index.js (ESM) plus the lazy chunk dist/sockjs-module-[hash].js
 * holding sockjs-client, which is bundled here (with the `global` and `process.env.NODE_ENV` it
 * expects defined, TOOLCHAIN.md) so that consumers never see it. @keel/session and eventemitter3
 * stay external. The declarations come from `tsc -b` (emitDeclarationOnly), into the same folder.
 */
export default defineConfig({
  define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: { entry: { index: fileURLToPath(new URL('src/index.ts', import.meta.url)) }, formats: ['es'] },
    rolldownOptions: { external: ['@keel/session', 'eventemitter3'] },
  },
});
