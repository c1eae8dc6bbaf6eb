// The size budget of `import { connect } from 'keel'` in a browser app (issue 6): bundles a
// one-line app against the BUILT keel package the way a front-end bundler does (Vite, browser
// export condition, minified), then measures what the page loads up front — the entry chunk and
// every chunk it imports statically — gzipped. Fails when that exceeds the budget, or when
// SockJS code is in it (SockJS must stay a lazy chunk). Prints the sizes.
// Run after `pnpm build`: node scripts/size-budget.mjs
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const BUDGET_BYTES = 5000;
// Strings that only sockjs-client's code contains (its transport names and its info URL).
const SOCKJS_MARKERS = ['xhr-streaming', 'xdr-polling', 'iframe-eventsource', '/info?t='];
const keelDir = fileURLToPath(new URL('../packages/keel', import.meta.url));

const gzipSize = (code) => gzipSync(code, { level: 9 }).length;

/** Bundles `files` (entry main.js) in a fresh app folder where keel is installed; returns the chunks. */
async function bundle(files) {
  const app = mkdtempSync(join(tmpdir(), 'keel-size-'));
  try {
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(keelDir, join(app, 'node_modules', 'keel'), 'dir');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(app, name), text);
    const output = await build({
      root: app,
      configFile: false,
      logLevel: 'silent',
      // preserveSymlinks: keel stays under node_modules, as in an app that installed it.
      resolve: { preserveSymlinks: true },
      build: { write: false, minify: true, target: 'es2022', rolldownOptions: { input: join(app, 'main.js') } },
    });
    // Chunks, and the JS files an app copies as assets (keel's ESM build references its SockJS
    // module with `new URL('./keel-sockjs.js', import.meta.url)`, which Vite emits as an asset).
    return (Array.isArray(output) ? output : [output])
      .flatMap((o) => o.output)
      .map((item) => (item.type === 'chunk' ? item : item.fileName.endsWith('.js') ? { fileName: item.fileName, code: String(item.source), isEntry: false, imports: [] } : undefined))
      .filter((item) => item !== undefined);
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

export async function measure() {
  const chunks = await bundle({ 'main.js': "import { connect } from 'keel';\nglobalThis.connect = connect;\n" });
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const entry = chunks.find((chunk) => chunk.isEntry);
  // The initial load: the entry and its static imports, transitively.
  const initial = new Set();
  const visit = (chunk) => {
    if (initial.has(chunk)) return;
    initial.add(chunk);
    for (const name of chunk.imports) visit(byName.get(name));
  };
  visit(entry);
  const lazy = chunks.filter((chunk) => !initial.has(chunk));
  const initialCode = [...initial].map((chunk) => chunk.code).join('\n');
  // What Vite itself adds to any app with a dynamic import (its module-preload helper): part of
  // the budget, since an app pays it, but reported on its own.
  const baseline = await bundle({ 'main.js': "globalThis.load = () => import('./lazy.js');\n", 'lazy.js': 'export default 1;\n' });
  return {
    initialFiles: [...initial].map((chunk) => chunk.fileName),
    initialMin: Buffer.byteLength(initialCode),
    initialGzip: [...initial].reduce((sum, chunk) => sum + gzipSize(chunk.code), 0),
    viteDynamicImportGzip: gzipSize(baseline.find((chunk) => chunk.isEntry).code),
    sockjsInInitial: SOCKJS_MARKERS.filter((marker) => initialCode.includes(marker)),
    lazy: lazy.map((chunk) => ({
      file: chunk.fileName,
      min: Buffer.byteLength(chunk.code),
      gzip: gzipSize(chunk.code),
      sockjs: SOCKJS_MARKERS.some((marker) => chunk.code.includes(marker)),
    })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measure();
  const kB = (n) => `${(n / 1000).toFixed(2)} kB`;
  console.log(`keel browser entry (import { connect } from 'keel'), minified: ${kB(result.initialMin)}, min+gzip: ${result.initialGzip} bytes (${kB(result.initialGzip)}) [${result.initialFiles.join(', ')}]`);
  console.log(`  of which Vite's own dynamic-import helper (any app with a lazy chunk): ~${result.viteDynamicImportGzip} bytes min+gzip`);
  for (const chunk of result.lazy) console.log(`lazy chunk ${chunk.file}${chunk.sockjs ? ' (SockJS)' : ''}: minified ${kB(chunk.min)}, min+gzip ${kB(chunk.gzip)}`);
  const cdn = join(keelDir, 'dist');
  for (const file of ['keel.min.js', 'keel-sockjs.min.js']) {
    try {
      console.log(`CDN ${file}: min+gzip ${kB(gzipSize(readFileSync(join(cdn, file))))}`);
    } catch {
      console.log(`CDN ${file}: not built`);
    }
  }
  let failed = false;
  if (result.initialGzip > BUDGET_BYTES) {
    console.error(`size budget exceeded: ${result.initialGzip} > ${BUDGET_BYTES} bytes min+gzip`);
    failed = true;
  }
  if (result.sockjsInInitial.length > 0) {
    console.error(`SockJS code in the entry chunk (found ${result.sockjsInInitial.join(', ')})`);
    failed = true;
  }
  if (!result.lazy.some((chunk) => chunk.sockjs)) {
    console.error('no lazy SockJS chunk found');
    failed = true;
  }
  if (failed) process.exit(1);
  console.log(`size budget: ok (${result.initialGzip} ≤ ${BUDGET_BYTES} bytes), SockJS only in a lazy chunk`);
}
