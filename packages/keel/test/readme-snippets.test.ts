import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, consumerApp, run, tscBin } from './consumer.js';

// The READMEs' ```ts snippets (the repository's and the published packages') compile against the
// BUILT packages (issue 11 #5), as a user's strict project would compile them. A snippet under a
// browser heading (Front-end, browser) is checked with moduleResolution bundler (keel's browser
// types), every other one as Node code (nodenext: keel's node types, @keel/core). Names the
// snippets leave to the reader (token(), controller…) are declared in a prelude.

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const readmes = [
  'README.md',
  'packages/keel/README.md',
  'packages/session/README.md',
  'packages/core/README.md',
  'packages/browser/README.md',
];

interface Snippet {
  readonly readme: string;
  readonly file: string;
  readonly line: number;
  readonly heading: string;
  readonly browser: boolean;
}

function snippets(): { snippets: Snippet[]; files: Record<string, string> } {
  const found: Snippet[] = [];
  const files: Record<string, string> = {};
  for (const readme of readmes) {
    const { snippets: more, files: moreFiles } = snippetsOf(readme);
    found.push(...more);
    Object.assign(files, moreFiles);
  }
  return { snippets: found, files };
}

function snippetsOf(readme: string): { snippets: Snippet[]; files: Record<string, string> } {
  const found: Snippet[] = [];
  const files: Record<string, string> = {};
  let heading = '';
  const lines = readFileSync(join(repo, readme), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (/^#{2,4} /.test(line)) heading = line.replace(/^#+ /, '');
    if (line.trim() !== '```ts') continue;
    const start = i + 1;
    const body: string[] = [];
    for (i += 1; i < lines.length && lines[i]?.trim() !== '```'; i += 1) body.push(lines[i] ?? '');
    // snippet-<readme>-<line>.ts names the README and the line where the snippet starts.
    const file = `snippet-${readme.replace(/\W+/g, '-')}-${start}.ts`;
    files[file] = `${body.join('\n')}\nexport {};\n`;
    found.push({ readme, file, line: start, heading, browser: /front-end|browser/i.test(heading) });
  }
  return { snippets: found, files };
}

const prelude = `
declare function token(): Promise<string>;
declare function freshToken(): Promise<string>;
declare function renewToken(): Promise<void>;
declare const controller: AbortController;
declare const bigBuffer: Uint8Array;
`;
const strict = { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', lib: ['ES2022', 'DOM'] };
const { snippets: found, files } = snippets();

let app: ReturnType<typeof consumerApp>;
beforeAll(() => {
  assertBuilt();
  app = consumerApp({ 'package.json': JSON.stringify({ name: 'readme', type: 'module' }), 'prelude.d.ts': prelude, ...files });
  mkdirSync(join(app.dir, 'node_modules', '@keel'));
  for (const name of ['core', 'session', 'browser'])
    symlinkSync(join(repo, 'packages', name), join(app.dir, 'node_modules', '@keel', name), 'dir');
  const config = (browser: boolean) => ({
    compilerOptions: browser
      ? { ...strict, module: 'ESNext', moduleResolution: 'bundler', types: [] }
      : { ...strict, module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'] },
    files: ['prelude.d.ts', ...found.filter((snippet) => snippet.browser === browser).map((snippet) => snippet.file)],
  });
  writeFileSync(join(app.dir, 'tsconfig.browser.json'), JSON.stringify(config(true)));
  writeFileSync(join(app.dir, 'tsconfig.node.json'), JSON.stringify(config(false)));
});
afterAll(() => app?.remove());

describe('README TypeScript snippets compile against the built packages', () => {
  it('finds the snippets, browser and Node ones', () => {
    expect(found.filter((snippet) => snippet.browser).length).toBeGreaterThan(0);
    expect(found.filter((snippet) => !snippet.browser).length).toBeGreaterThan(3);
  });

  for (const kind of ['browser', 'node'] as const) {
    it(`the ${kind} snippets (${found
      .filter((snippet) => snippet.browser === (kind === 'browser'))
      .map((snippet) => `${snippet.readme}:${snippet.line}`)
      .join(', ')})`, async () => {
      const result = await run(tscBin, ['-p', `tsconfig.${kind}.json`], app.dir);
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
    });
  }
});
