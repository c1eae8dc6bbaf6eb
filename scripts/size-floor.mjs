// What Keel's own browser code weighs without eventemitter3 (issue 6's budget analysis): bundles
// apps that import createSession, createSession + nativeTransport, and connect from the package
// SOURCES with Vite (minified, as size-budget.mjs does with the built package), once with the real
// eventemitter3 and once with it replaced by an empty class, and prints min+gzip sizes. The second
// column is a floor for any event emitter: it shows whether dropping eventemitter3 alone could meet
// the 5,000 B target. Not part of CI: run it by hand (no build needed).
//   node scripts/size-floor.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const eventemitter3 = join(dirname(createRequire(join(root, 'packages/keel/package.json')).resolve('eventemitter3/package.json')), 'dist/eventemitter3.esm.js');

const apps = {
  createSession: "import { createSession } from '@keel/session'; globalThis.x = createSession;",
  'createSession + nativeTransport': "import { createSession } from '@keel/session'; import { nativeTransport } from '@keel/browser'; globalThis.x = [createSession, nativeTransport];",
  connect: "import { connect } from '@keel/browser'; globalThis.x = connect;",
};

async function gzipOfEntry(source, emitter) {
  const dir = mkdtempSync(join(tmpdir(), 'keel-floor-'));
  try {
    writeFileSync(join(dir, 'main.js'), source);
    writeFileSync(join(dir, 'empty-emitter.js'), 'export class EventEmitter { emit() {} on() {} off() {} once() {} }\n');
    const output = await build({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      resolve: {
        alias: [
          // As in keel's ESM build: SockJS loaded by URL, eventemitter3's ES build.
          { find: /^\.\/sockjs-loader\.js$/, replacement: join(root, 'packages/keel/src/sockjs-url-loader.ts') },
          { find: /^eventemitter3$/, replacement: emitter === 'none' ? join(dir, 'empty-emitter.js') : eventemitter3 },
          { find: /^@keel\/session$/, replacement: join(root, 'packages/session/src/index.ts') },
          { find: /^@keel\/browser$/, replacement: join(root, 'packages/browser/src/index.ts') },
        ],
      },
      build: { write: false, minify: true, target: 'es2022', rolldownOptions: { input: join(dir, 'main.js') } },
    });
    const entry = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output).find((c) => c.type === 'chunk' && c.isEntry);
    return gzipSync(entry.code, { level: 9 }).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log('min+gzip, bytes (target for connect: 5,000)');
console.log('app imports                        with eventemitter3   with an empty emitter class');
for (const [name, source] of Object.entries(apps)) {
  const real = await gzipOfEntry(source, 'eventemitter3');
  const none = await gzipOfEntry(source, 'none');
  console.log(`${name.padEnd(34)} ${String(real).padStart(17)}   ${String(none).padStart(27)}`);
}
