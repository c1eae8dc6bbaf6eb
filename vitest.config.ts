import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Workspace packages are aliased to their sources so tests never depend on a prior build.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@keel\/core\/protocol$/, replacement: src('./packages/core/src/protocol/index.ts') },
      { find: /^@keel\/core$/, replacement: src('./packages/core/src/node/index.ts') },
      { find: /^@keel\/session$/, replacement: src('./packages/session/src/index.ts') },
      { find: /^@keel\/server\/redis$/, replacement: src('./packages/server/src/redis-store.ts') },
      { find: /^@keel\/server$/, replacement: src('./packages/server/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tooling/test/**/*.test.ts'],
    // Milliseconds. A hang fails in seconds, not a minute; the few long tests (storm, soak, API
    // reports, 20,000 deflate messages…) carry their own `{ timeout }`.
    testTimeout: 10_000,
    hookTimeout: 10_000,
    pool: 'forks',
  },
});
