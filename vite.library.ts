import { builtinModules } from 'node:module';
import type { UserConfig } from 'vite';

/**
 * The JavaScript of a published @keel/* package: one ES module and one real CommonJS file per
 * entry (dist/<name>.js and dist/<name>.cjs), so `require()` never depends on Node's require(esm).
 * Dependencies (`external`: other @keel packages, eventemitter3) and node:* built-ins stay imports;
 * the declarations come from `tsc -b` and scripts/bundle-types.mjs.
 */
export function libraryConfig(entries: Record<string, string>, external: readonly string[]): UserConfig {
  return {
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      minify: false,
      target: 'es2022',
      lib: { entry: entries, formats: ['es', 'cjs'] },
      rolldownOptions: { external: [...external, /^node:/, ...builtinModules] },
    },
  };
}
