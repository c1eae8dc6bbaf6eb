import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './consumer.js';

// Types equal the build (issue 11 #5): every VALUE a built .d.ts declares (class, function,
// const, enum — not interfaces or types) must exist in the built module it describes, ESM and
// CommonJS, or `tsc` passes while the app's bundler fails with MISSING_EXPORT. (keel's
// dist/browser.d.ts once declared 19 values — SendQueue, errorCode, backoffDelay… — that
// dist/browser.js did not export.)

const packagesDir = fileURLToPath(new URL('../..', import.meta.url));

// The declarations are read with the TypeScript that API Extractor carries (TypeScript 7, the
// repository's compiler, has no JavaScript API).
interface TsSymbol {
  readonly name: string;
  readonly flags: number;
  readonly declarations?: ReadonlyArray<{
    readonly isTypeOnly?: boolean;
    readonly parent?: { readonly parent?: { readonly isTypeOnly?: boolean } };
  }>;
}
interface TsApi {
  readonly SymbolFlags: { readonly Alias: number; readonly Value: number };
  readonly ScriptTarget: { readonly ES2022: number };
  readonly ModuleKind: { readonly NodeNext: number };
  readonly ModuleResolutionKind: { readonly NodeNext: number };
  createProgram(
    files: string[],
    options: Record<string, unknown>,
  ): {
    getTypeChecker(): {
      getSymbolAtLocation(node: unknown): TsSymbol | undefined;
      getExportsOfModule(symbol: TsSymbol): TsSymbol[];
      getAliasedSymbol(symbol: TsSymbol): TsSymbol;
    };
    getSourceFile(file: string): unknown;
  };
}
const requireFromHere = createRequire(import.meta.url);
const ts = createRequire(requireFromHere.resolve('@microsoft/api-extractor'))('typescript') as TsApi;

/** The names a declaration file exports as values (type-only re-exports excluded). */
function declaredValues(dts: string): string[] {
  const program = ts.createProgram([dts], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(dts));
  if (moduleSymbol === undefined) throw new Error(`${dts} is not a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((symbol) => {
      const typeOnly =
        symbol.declarations?.some((declaration) => declaration.isTypeOnly === true || declaration.parent?.parent?.isTypeOnly === true) ??
        false;
      const target = (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol;
      return !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((symbol) => symbol.name)
    .sort();
}

/** The export names of a built module, loaded by Node itself (ESM import, or require without require(esm)). */
async function builtExports(file: string, format: 'esm' | 'cjs', conditions: readonly string[]): Promise<string[]> {
  const load =
    format === 'esm'
      ? `import(${JSON.stringify(`file://${file}`)}).then((m) => console.log(JSON.stringify(Object.keys(m))))`
      : `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(file)}))))`;
  const args = [...conditions.map((condition) => `--conditions=${condition}`), '--no-experimental-require-module', '-e', load];
  const result = await run(process.execPath, args, packagesDir);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as string[];
}

/** Every built entry: its declarations, and the ESM and CJS files they describe. */
const entries = [
  { name: 'keel (browser)', dir: 'keel', dts: 'browser.d.ts', esm: 'browser.js', cjs: 'browser.cjs', conditions: ['browser'] },
  { name: 'keel (node)', dir: 'keel', dts: 'node.d.ts', esm: 'node.js', cjs: 'node.cjs', conditions: [] },
  { name: '@keel/core', dir: 'core', dts: 'index.d.ts', esm: 'index.js', cjs: 'index.cjs', conditions: [] },
  { name: '@keel/core/protocol', dir: 'core', dts: 'protocol.d.ts', esm: 'protocol.js', cjs: 'protocol.cjs', conditions: [] },
  { name: '@keel/session', dir: 'session', dts: 'index.d.ts', esm: 'index.js', cjs: 'index.cjs', conditions: [] },
  { name: '@keel/browser', dir: 'browser', dts: 'index.d.ts', esm: 'index.js', cjs: 'index.cjs', conditions: ['browser'] },
  { name: '@keel/server', dir: 'server', dts: 'index.d.ts', esm: 'index.js', cjs: 'index.cjs', conditions: [] },
  { name: '@keel/server/redis', dir: 'server', dts: 'redis.d.ts', esm: 'redis.js', cjs: 'redis.cjs', conditions: [] },
] as const;

// Each case parses the built declarations with TypeScript: seconds each on a busy machine.
describe('every value the built declarations promise exists in the build', { timeout: 30_000 }, () => {
  for (const entry of entries) {
    const dist = (file: string): string => join(packagesDir, entry.dir, 'dist', file);
    it(`${entry.name}: ${entry.dts} vs ${entry.esm} and ${entry.cjs}`, async () => {
      for (const file of [entry.dts, entry.esm, entry.cjs]) {
        if (!existsSync(dist(file))) throw new Error(`packages/${entry.dir}/dist/${file} is missing: run \`pnpm build\` first`);
      }
      const declared = declaredValues(dist(entry.dts));
      expect(declared.length).toBeGreaterThan(0);
      for (const format of ['esm', 'cjs'] as const) {
        const built = await builtExports(dist(format === 'esm' ? entry.esm : entry.cjs), format, entry.conditions);
        expect({ format, missing: declared.filter((name) => !built.includes(name)) }).toEqual({ format, missing: [] });
      }
    });
  }
});
