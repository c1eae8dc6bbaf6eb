import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { libraryConfig } from '../../vite.library.js';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// dist/index.(js|cjs): KeelServer and the memory store; dist/redis.(js|cjs): the Redis store
// (subpath `@keel/server/redis`, so that ioredis is only needed by who uses it). The peers the app
// installs (ws, ioredis, sockjs) stay imports, like the dependencies. See vite.library.ts.
export default defineConfig(
  libraryConfig({ index: src('src/index.ts'), redis: src('src/redis-store.ts') }, [
    '@keel/session',
    'eventemitter3',
    'ws',
    'ioredis',
    'sockjs',
  ]),
);
