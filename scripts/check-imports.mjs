// Fails when a layer imports what DESIGN.md forbids it: the engine (core/src/protocol) imports
// nothing outside itself but @keel/session's leaf error modules; session and browser import no node:* built-in.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const rules = [
  // The engine's one import from outside: @keel/session's leaf error taxonomy and close-code rules.
  { dir: 'packages/core/src/protocol', allow: (spec) => spec.startsWith('./') || spec === '@keel/session' },
  { dir: 'packages/session/src', allow: (spec) => spec.startsWith('./') || spec === 'eventemitter3' },
  { dir: 'packages/browser/src', allow: (spec) => !spec.startsWith('node:') && !builtins.has(spec) },
];
const builtins = new Set(['fs', 'net', 'tls', 'http', 'https', 'zlib', 'crypto', 'os', 'path', 'stream', 'events', 'buffer', 'url', 'dns']);
const importPattern = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function* files(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

export function findViolations(root = process.cwd()) {
  const violations = [];
  for (const rule of rules) {
    for (const file of files(join(root, rule.dir))) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(importPattern)) {
        const spec = match[1] ?? match[2] ?? match[3];
        if (!rule.allow(spec)) violations.push(`${relative(root, file)}: imports '${spec}'`);
      }
    }
  }
  return violations;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const violations = findViolations();
  for (const v of violations) console.error(`forbidden import: ${v}`);
  if (violations.length > 0) process.exit(1);
  console.log('imports: every layer imports only what DESIGN.md allows');
}
