// Where the browser entry's bytes come from, per source file: bundles a one-line app that imports
// `connect` from the package SOURCES (as keel's ESM build does; see `sourceAliases` in
// size-budget.mjs), minified with a source map, charges every minified character to the source
// file the map says it came from, and prints per file the minified bytes and two estimates of its
// part of the gzipped entry, since gzip does not split by file: its share (in proportion to its
// minified bytes) and what the entry loses without its characters (what deleting code saves is
// closer to the second: gzip makes repeated text cheap, new text dear). With a file argument (as printed, e.g. session/src/session.ts) it also prints that
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
// (the previous line's last mapping when its own line has none yet; a line break to its line's).
const mappingsByLine = [];
map.eachMapping((m) => (mappingsByLine[m.generatedLine - 1] ??= []).push([m.generatedColumn, m.source]));
const owners = [];
let source = '?';
entry.code.split('\n').forEach((line, index) => {
  const marks = (mappingsByLine[index] ?? []).sort((a, b) => a[0] - b[0]);
  let next = 0;
  for (let column = 0; column <= line.length; column++) {
    while (next < marks.length && marks[next][0] <= column) source = shortName(marks[next++][1] ?? '?');
    owners.push(source);
  }
});
owners.length = entry.code.length; // the last line has no line break
const codeOf = new Map();
for (const [index, owner] of owners.entries()) codeOf.set(owner, (codeOf.get(owner) ?? '') + entry.code[index]);

const minified = entry.code.length;
const gzip = gzipSize(entry.code);
/** How much smaller the gzipped entry is without `file`'s characters: what the file costs, context included. */
const gzipWithout = (file) => gzip - gzipSize([...entry.code].filter((_, index) => owners[index] !== file).join(''));
console.log(`entry (connect, from the sources): minified ${minified} B, min+gzip ${gzip} B`);
console.log('  min B  ~gzip B  -gzip B  source file');
console.log('         (share)  (without it)');
const rows = [...codeOf].map(([file, code]) => [file, code.length]).sort((a, b) => b[1] - a[1]);
for (const [file, bytes] of rows) {
  const share = Math.round((bytes * gzip) / minified);
  console.log(`${String(bytes).padStart(7)} ${String(share).padStart(7)} ${String(gzipWithout(file)).padStart(8)}  ${file}`);
}

const wanted = process.argv[2];
if (wanted !== undefined) {
  if (!codeOf.has(wanted)) {
    console.error(`no source file ${wanted} in the entry (names as printed above)`);
    process.exit(1);
  }
  console.log(`\n${wanted}, minified:\n${codeOf.get(wanted)}`);
}
