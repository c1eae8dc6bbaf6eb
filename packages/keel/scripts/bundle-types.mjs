// Bundles the declarations of each `keel` entry into one file with API Extractor (the .d.ts
// bundlers for Vite do not work here, TOOLCHAIN.md): dist/types/<entry>.d.ts (emitted by tsc -b)
// → dist/<entry>.d.ts, with the workspace packages (@keel/browser, @keel/session, @keel/core)
// inlined so that consumers need none of them. A .d.cts copy serves `require` consumers.
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const keelDir = fileURLToPath(new URL('..', import.meta.url));
const dist = join(keelDir, 'dist');

function bundle(entry) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: keelDir,
      mainEntryPointFilePath: join(dist, 'types', `${entry}.d.ts`),
      bundledPackages: ['@keel/browser', '@keel/session', '@keel/core'],
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2022', 'DOM'],
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          include: [join(dist, 'types', `${entry}.d.ts`)],
        },
      },
      dtsRollup: { enabled: true, untrimmedFilePath: join(dist, `${entry}.d.ts`) },
      apiReport: { enabled: false },
      docModel: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          // Release tags (@public/@beta) and TSDoc syntax are not used by Keel.
          'ae-missing-release-tag': { logLevel: 'none' },
          'ae-forgotten-export': { logLevel: 'none' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(keelDir, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: true, showVerboseMessages: false });
  if (!result.succeeded) throw new Error(`API Extractor failed for ${entry}: ${result.errorCount} errors, ${result.warningCount} warnings`);
  copyFileSync(join(dist, `${entry}.d.ts`), join(dist, `${entry}.d.cts`));
}

bundle('browser');
bundle('node');
// The per-file declarations were only API Extractor's input.
rmSync(join(dist, 'types'), { recursive: true, force: true });
console.log('types: dist/browser.d.ts, dist/node.d.ts (+ .d.cts)');
