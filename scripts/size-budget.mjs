// The size budget of `import { connect } from 'keel'` in a browser app (issue 6): bundles a
// one-line app against the BUILT keel package the way a front-end bundler does (Vite, browser
// export condition, minified), then measures what the page loads up front — the entry chunk and
// every chunk it imports statically — gzipped. Prints the sizes, the 5,000 B target and the
// shortfall. Fails (exit 1) above the regression ceiling, when SockJS code is in the entry, or
// when no lazy SockJS file exists (SockJS must stay out of the initial load).
// Run after `pnpm build`: node scripts/size-budget.mjs
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

/** Issue 6's target for the browser entry, min+gzip. NOT met: reported, not enforced (see below). */
const TARGET_BYTES = 5000;
/**
 * Regression guard, not the budget: the size reached + 3% (issue 13: "the browser entry's ceiling
 * is now today's size plus 3 %; stop trimming bytes at the cost of clarity"). 7,598 B on 2026-11-26;
 * 8,812 B on 2026-12-03 after issue 11 and 12's required behaviour reached the entry: the
 * heartbeat opt-in (keel:hello), failures that name their cause, iterator backpressure, the
 * fallback's evidence rule with its skipped-fallback event, and the headers refusal. Issue 6's
 * 5,000 B target is not met and cannot be without dropping required features
 * (`node scripts/size-floor.mjs`: Keel's own code without eventemitter3 is over it).
 * 9,192 B after issue 15: the session's hooks for resumable sessions (the open event's `resumed` and
 * `delivery`, the queue keeping what is unacknowledged, the notResumed event); the protocol itself
 * (packages/session/src/resume.ts) is reached only through `resumable()`, so an app that does not
 * resume does not load it. SockJS, its connection code, the re-probe, the /info evidence check and
 * the in-band subprotocol exchange are in the lazy SockJS file.
 * 10,038 B after issue 13's readable session (+535 B measured on its own: an Attempt object and the
 * transition table ~160 B, typed option rules ~180 B, full error messages ~190 B) and its one error
 * taxonomy (+169 B), traded for clarity as issue 13 asks. Lower the ceiling whenever the entry shrinks.
 * 9,974 B after the clarity-neutral trims (scripts/size-by-module.mjs): dead code out (FallbackPolicy.current,
 * OnlineGate.paused, #transition's unread result, browserLiveness's unused default), pageEnvironment()
 * returning the page's globals instead of a copy, ERR_INVALID_OPTION named at each throw.
 * 10,239 B after options that were accepted and ignored or misused are refused (bought for
 * correctness: every bad input gets a typed error): a session option group that is not an object
 * (+50 B), and connect()'s `fallback`/`liveness` and the fallback's three numbers (+215 B, a
 * negative openTimeoutMs failed every native attempt as it began).
 */
const CEILING_BYTES = Math.round(10239 * 1.03);
// Strings that only sockjs-client's code contains (its transport names and its info URL).
const SOCKJS_MARKERS = ['xhr-streaming', 'xdr-polling', 'iframe-eventsource', '/info?t='];
const keelDir = fileURLToPath(new URL('../packages/keel', import.meta.url));

export const gzipSize = (code) => gzipSync(code, { level: 9 }).length;

/**
 * Bundles `files` (entry main.js) in a fresh app folder where keel is installed, the way a
 * front-end app's Vite does (minified); `alias` adds resolve aliases (size-floor.mjs bundles the
 * sources instead, see `sourceAliases`); `sourcemap` (Vite's build.sourcemap) adds each chunk's `map`. Returns the chunks.
 */
export async function bundle(files, alias = [], { sourcemap = false } = {}) {
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
      resolve: { preserveSymlinks: true, alias },
      build: { write: false, minify: true, sourcemap, target: 'es2022', rolldownOptions: { input: join(app, 'main.js') } },
    });
    // Chunks, and the JS files an app copies as assets (keel's ESM build references its SockJS
    // module with `new URL('./keel-sockjs.js', import.meta.url)`, which Vite emits as an asset).
    return (Array.isArray(output) ? output : [output])
      .flatMap((o) => o.output)
      .map((item) =>
        item.type === 'chunk'
          ? item
          : item.fileName.endsWith('.js')
            ? { fileName: item.fileName, code: String(item.source), isEntry: false, imports: [] }
            : undefined,
      )
      .filter((item) => item !== undefined);
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

/** What a page loads up front: the entry chunk and its static imports, transitively. */
export function initialChunks(chunks) {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const initial = new Set();
  const visit = (chunk) => {
    if (initial.has(chunk)) return;
    initial.add(chunk);
    for (const name of chunk.imports) visit(byName.get(name));
  };
  visit(chunks.find((chunk) => chunk.isEntry));
  return initial;
}

/** min+gzip of the up-front load of an app whose main.js is `source`. */
export async function initialGzipOf(source, alias = []) {
  const initial = initialChunks(await bundle({ 'main.js': source }, alias));
  return [...initial].reduce((sum, chunk) => sum + gzipSize(chunk.code), 0);
}

/** eventemitter3's ES build, the one keel's browser build bundles. */
export const eventemitter3 = join(
  dirname(createRequire(join(keelDir, 'package.json')).resolve('eventemitter3/package.json')),
  'dist/eventemitter3.esm.js',
);

/**
 * Resolve aliases that bundle the package SOURCES as keel's ESM build does (SockJS loaded by URL,
 * eventemitter3's ES build, or `emitter` in its place), so that no build is needed.
 */
export const sourceAliases = (emitter = eventemitter3) => [
  { find: /^\.\/sockjs-loader\.js$/, replacement: join(keelDir, 'src/sockjs-url-loader.ts') },
  { find: /^eventemitter3$/, replacement: emitter },
  { find: /^@keel\/session$/, replacement: join(keelDir, '../session/src/index.ts') },
  { find: /^@keel\/browser$/, replacement: join(keelDir, '../browser/src/index.ts') },
];

/**
 * Where the entry's bytes go, as apps that import less of keel: eventemitter3 alone (the ES build
 * keel bundles), + @keel/session (`createSession`), + the native transport (issue 6's "session +
 * native transport"), then the whole `connect` (fallback policy, online gate, liveness).
 */
export async function breakdown() {
  return {
    eventemitter3: await initialGzipOf(`import { EventEmitter } from ${JSON.stringify(eventemitter3)};\nglobalThis.x = EventEmitter;\n`),
    session: await initialGzipOf("import { createSession } from 'keel';\nglobalThis.x = createSession;\n"),
    sessionAndNative: await initialGzipOf(
      "import { createSession, nativeTransport } from 'keel';\nglobalThis.x = [createSession, nativeTransport];\n",
    ),
  };
}

export async function measure() {
  const chunks = await bundle({ 'main.js': "import { connect } from 'keel';\nglobalThis.connect = connect;\n" });
  const initial = initialChunks(chunks);
  const lazy = chunks.filter((chunk) => !initial.has(chunk));
  const initialCode = [...initial].map((chunk) => chunk.code).join('\n');
  return {
    initialFiles: [...initial].map((chunk) => chunk.fileName),
    initialMin: Buffer.byteLength(initialCode),
    initialGzip: [...initial].reduce((sum, chunk) => sum + gzipSize(chunk.code), 0),
    // Vite's module-preload helper lands in the entry when the app's bundle has a plain dynamic
    // import(); keel's ESM build avoids one (see packages/keel/src/sockjs-url-loader.ts).
    vitePreloadHelper: initialCode.includes('vite:preloadError'),
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
  const size = result.initialGzip;
  console.log(
    `keel browser entry (import { connect } from 'keel'): minified ${kB(result.initialMin)}, min+gzip ${size} B [${result.initialFiles.join(', ')}]`,
  );
  console.log(
    `  target (issue 6): ${TARGET_BYTES} B min+gzip — ${size <= TARGET_BYTES ? 'met' : `NOT MET, ${size - TARGET_BYTES} B over`}`,
  );
  console.log(`  regression ceiling: ${CEILING_BYTES} B (${CEILING_BYTES - size} B of headroom)`);
  console.log(`  Vite's module-preload helper in the entry: ${result.vitePreloadHelper ? 'yes' : 'no'}`);
  for (const chunk of result.lazy)
    console.log(`lazy file ${chunk.file}${chunk.sockjs ? ' (SockJS)' : ''}: minified ${kB(chunk.min)}, min+gzip ${kB(chunk.gzip)}`);
  const cdn = join(keelDir, 'dist');
  for (const file of ['keel.min.js', 'keel-sockjs.min.js']) {
    try {
      console.log(`CDN ${file}: min+gzip ${kB(gzipSize(readFileSync(join(cdn, file))))}`);
    } catch {
      console.log(`CDN ${file}: not built`);
    }
  }
  const parts = await breakdown();
  console.log(
    `  breakdown (apps importing less): eventemitter3 alone ${parts.eventemitter3} B; createSession ${parts.session} B; createSession + nativeTransport ${parts.sessionAndNative} B; connect ${size} B`,
  );
  const failures = [];
  if (size > CEILING_BYTES) failures.push(`entry grew past the regression ceiling: ${size} > ${CEILING_BYTES} B min+gzip`);
  if (result.sockjsInInitial.length > 0) failures.push(`SockJS code in the entry chunk (found ${result.sockjsInInitial.join(', ')})`);
  if (!result.lazy.some((chunk) => chunk.sockjs)) failures.push('no lazy SockJS file found');
  for (const failure of failures) console.error(`size check FAILED: ${failure}`);
  if (failures.length > 0) process.exit(1);
  console.log(
    `size check: ok (≤ ceiling ${CEILING_BYTES} B; target ${TARGET_BYTES} B ${size <= TARGET_BYTES ? 'met' : 'not met'}), SockJS only in a lazy file`,
  );
}
