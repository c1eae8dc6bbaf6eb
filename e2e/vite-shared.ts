import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';

const repo = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * What the demo and the test pages share in their Vite configs.
 *
 * By default `keel` resolves to the built package (packages/keel/dist through its export
 * conditions), which is what the end-to-end tests must exercise. KEEL_FROM_SOURCE=1 aliases it
 * to the browser package's sources instead, for working on a page before the packages build.
 *
 * sockjs-client expects Node's `global` and `process.env.NODE_ENV` (TOOLCHAIN.md); the chunk
 * names stay readable because the tests check that the sockjs chunk is fetched only on fallback.
 */
export function keelPageConfig(): Pick<UserConfig, 'define' | 'resolve' | 'logLevel'> & {
  chunkFileNames: (chunk: { moduleIds: readonly string[] }) => string;
} {
  const fromSource = process.env.KEEL_FROM_SOURCE === '1';
  return {
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    resolve: fromSource
      ? {
          alias: [
            { find: /^keel$/, replacement: repo('packages/browser/src/index.ts') },
            { find: /^@keel\/session$/, replacement: repo('packages/session/src/index.ts') },
          ],
        }
      : {},
    logLevel: 'warn',
    // sockjs-client's entry module is called entry.js: name its chunk after the package instead.
    chunkFileNames: (chunk) =>
      chunk.moduleIds.some((id) => id.includes('sockjs-client')) ? 'assets/sockjs-[hash].js' : 'assets/[name]-[hash].js',
  };
}
