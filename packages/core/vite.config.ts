import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { libraryConfig } from '../../vite.library.js';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// dist/index.(js|cjs): the Node WebSocket and connect(); dist/protocol.(js|cjs): the sans-I/O
// engine (subpath `@keel/core/protocol`). See vite.library.ts.
export default defineConfig(
  libraryConfig({ index: src('src/node/index.ts'), protocol: src('src/protocol/index.ts') }, ['@keel/session', 'eventemitter3']),
);
