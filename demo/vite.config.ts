import { defineConfig } from 'vite';
import { keelPageConfig } from '../e2e/vite-shared.js';

const { chunkFileNames, ...shared } = keelPageConfig();

// The demo page, built against the built `keel` package (its browser export condition), so the
// page runs exactly what a front-end app would bundle. SockJS stays in its own lazy chunk.
export default defineConfig({
  ...shared,
  root: import.meta.dirname,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, rolldownOptions: { output: { chunkFileNames } } },
});
