import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { libraryConfig } from '../../vite.library.js';

// dist/index.js + dist/index.cjs (see vite.library.ts).
export default defineConfig(libraryConfig({ index: fileURLToPath(new URL('src/index.ts', import.meta.url)) }, ['eventemitter3']));
