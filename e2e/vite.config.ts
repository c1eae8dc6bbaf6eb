import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { keelPageConfig } from './vite-shared.js';

const pages = fileURLToPath(new URL('./pages/', import.meta.url));
const { chunkFileNames, ...shared } = keelPageConfig();

// The test pages (e2e/pages/*.html), built against the built `keel` package the way a front-end
// app bundles it, served by the bundled server under /pages/.
export default defineConfig({
  ...shared,
  root: pages,
  base: '/pages/',
  build: {
    outDir: fileURLToPath(new URL('./dist/pages/', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      input: Object.fromEntries(
        readdirSync(pages)
          .filter((file) => file.endsWith('.html'))
          .map((file) => [file.slice(0, -5), pages + file]),
      ),
      output: { chunkFileNames },
    },
  },
});
