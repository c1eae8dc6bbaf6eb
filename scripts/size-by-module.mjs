// Where the browser entry's bytes come from, per source file: bundles a one-line app that imports
// `connect` from the package SOURCES (as keel's ESM build does; see `sourceAliases` in
// size-budget.mjs), minified with a source map, charges every minified character to the source
// file the map says it came from, and prints per file the minified bytes and an estimate of its
// share of the gzipped entry (its share of the minified bytes; gzip does not split exactly by
// file). With a file argument (as printed, e.g. session/src/session.ts) it also prints that
// file's minified code. A tool for finding fat; the entry's real figure is size-budget.mjs's.
// No build needed:
//   node scripts/size-by-module.mjs [session/src/session.ts]
import { SourceMapConsumer } from 'source-map-js';
import { bundle, gzipSize, sourceAliases } from './size-budget.mjs';

const chunks = await bundle({ 'main.js': "import { connect } from '@keel/browser';\nglobalThis.connect = connect;\n" }, sourceAliases(), {
  // 'hidden': the map without the sourceMappingURL comment, which an app's entry would not carry.
  sourcemap: 'hidden',
});
const entry = chunks.find((chunk) => chunk.isEntry);
const map = new SourceMapConsumer(entry.map);

/** A source path as printed: from the package folder on, node_modules shortened to `nm/`. */
const shortName = (source) => source.replace(/.*\/packages\//, '').replace(/.*node_modules\//, 'nm/');

// Each minified line's mappings, by column; a character belongs to the last mapping at or before it
// (the previous line's last mapping when its own line has none yet).
const mappingsByLine = [];
map.eachMapping((m) => (mappingsByLine[m.generatedLine - 1] ??= []).push([m.generatedColumn, m.source]));
const codeOf = new Map();
let source = '?';
entry.code.split('\n').forEach((line, index) => {
  const marks = (mappingsByLine[index] ?? []).sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (let column = 0; column < line.length; column++) {
    while (next < marks.length && marks[next][0] <= column) source = shortName(marks[next++][1] ?? '?');
    codeOf.set(source, (codeOf.get(source) ?? '') + line[column]);
  }
});

const minified = entry.code.length;
const gzip = gzipSize(entry.code);
console.log(`entry (connect, from the sources): minified ${minified} B, min+gzip ${gzip} B`);
console.log('  min B  ~gzip B  source file');
const rows = [...codeOf].map(([file, code]) => [file, code.length]).sort((a, b) => b[1] - a[1]);
for (const [file, bytes] of rows)
  console.log(`${String(bytes).padStart(7)} ${String(Math.round((bytes * gzip) / minified)).padStart(7)}  ${file}`);

const wanted = process.argv[2];
if (wanted !== undefined) {
  if (!codeOf.has(wanted)) {
    console.error(`no source file ${wanted} in the entry (names as printed above)`);
    process.exit(1);
  }
  console.log(`\n${wanted}, minified:\n${codeOf.get(wanted)}`);
}
