// Bundles a package's declarations with API Extractor (the .d.ts bundlers for Vite do not work
// here, TOOLCHAIN.md) and keeps its API report, the reviewed record of its public surface.
//
//   node ../../scripts/bundle-types.mjs <name>=<input .d.ts> … [--bundle @keel/a,@keel/b] [--lib DOM]
//
// Run from a package folder after `tsc -b` emitted dist/types/. For each entry <name>:
// - dist/<name>.d.ts, one file with every declaration the entry exposes (and the ones it needs),
//   plus a dist/<name>.d.cts copy for `require` consumers (the CommonJS build has its own types);
// - etc/<package>.api.md (or etc/<package>.<name>.api.md for a second entry): the API report.
//   A local build rewrites the report; with CI=true a report that differs from the build fails,
//   so every change of the public API is a reviewed diff (API Extractor's `--local` vs CI mode).
// `--bundle` inlines workspace packages (keel ships them inside); `--lib DOM` for browser code.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const packageDir = process.cwd();
const dist = join(packageDir, 'dist');
const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const unscoped = packageJson.name.replace(/^@[^/]+\//, '');
const ci = process.env.CI === 'true' || process.env.CI === '1';

const args = process.argv.slice(2);
const option = (flag) => {
  const at = args.indexOf(flag);
  if (at < 0) return [];
  const [value] = args.splice(at, 2).slice(1);
  return value.split(',');
};
const bundledPackages = option('--bundle');
const lib = ['ES2022', ...option('--lib')];
const entries = args.map((arg) => {
  const [name, input] = arg.split('=');
  return { name, input: join(packageDir, input) };
});

function bundle({ name, input }, index) {
  const reportFileName = index === 0 ? `${unscoped}.api.md` : `${unscoped}.${name}.api.md`;
  mkdirSync(join(packageDir, 'etc'), { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: packageDir,
      mainEntryPointFilePath: input,
      bundledPackages,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib,
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          include: [input],
        },
      },
      dtsRollup: { enabled: true, untrimmedFilePath: join(dist, `${name}.d.ts`) },
      apiReport: {
        enabled: true,
        reportFileName,
        reportFolder: join(packageDir, 'etc'),
        reportTempFolder: join(dist, 'types', 'api-report'),
      },
      docModel: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // Release tags (@public/@beta) are not used by Keel: everything exported is public.
          'ae-missing-release-tag': { logLevel: 'none' },
          // Types reachable from the API but not exported by name (option shapes of internals).
          'ae-forgotten-export': { logLevel: 'none' },
          // Doc comments are reviewed in the code, not counted here.
          'ae-undocumented': { logLevel: 'none' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(packageDir, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: !ci, showVerboseMessages: false });
  if (ci && result.apiReportChanged) {
    throw new Error(
      `The public API of ${packageJson.name} (${name}) changed but etc/${reportFileName} was not updated: ` +
        `run \`pnpm build\` locally and commit the report (the new one is in dist/types/api-report/).`,
    );
  }
  if (!result.succeeded)
    throw new Error(`API Extractor failed for ${packageJson.name} (${name}): ${result.errorCount} errors, ${result.warningCount} warnings`);
  restoreGlobalNames(join(dist, `${name}.d.ts`));
  copyFileSync(join(dist, `${name}.d.ts`), join(dist, `${name}.d.cts`));
  return `dist/${name}.d.ts`;
}

/**
 * API Extractor renames a declaration whose name is also a global (Keel's `WebSocket` class vs the
 * DOM's and @types/node's `WebSocket`) to `WebSocket_2` and exports it `as WebSocket` (an import
 * likewise: `import { Blob as Blob_2 } from 'node:buffer'`); TypeScript then shows `WebSocket_2`
 * in messages users read. Inside a module a declaration or an import may shadow a global, so the
 * rollup gets the real name back (only when nothing else in the file declares that name).
 */
function restoreGlobalNames(file) {
  let text = readFileSync(file, 'utf8');
  const renames = [...text.matchAll(/\b(\w+)_(\d+) as (\w+)\b/g)].filter(([, name, , original]) => name === original);
  const imports = [...text.matchAll(/\b(\w+) as (\w+)_(\d+)\b/g)].filter(([, original, name]) => name === original);
  for (const original of new Set([...renames.map((match) => match[3]), ...imports.map((match) => match[1])])) {
    const declared = new RegExp(`\\b(class|interface|type|function|const|enum|namespace) ${original}\\b`);
    const renamed = new RegExp(`\\b${original}_\\d+\\b`, 'g');
    if (declared.test(text)) continue;
    text = text.replace(renamed, original).replaceAll(`${original} as ${original}`, original);
  }
  writeFileSync(file, text);
}

// dist/types (tsc's per-file output, API Extractor's input) stays for incremental builds; the
// packages' `files` leave it out of the tarball.
const written = entries.map(bundle);
console.log(`types: ${written.join(', ')} (+ .d.cts); reports in etc/`);
