import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// scripts/bundle-types.mjs keeps each package's API report (etc/*.api.md): a local build rewrites
// it, a CI build (CI=true) fails when the public surface changed and the report was not committed.
// Run on a throwaway package whose "build" is one hand-written declaration file.

const script = fileURLToPath(new URL('../../../scripts/bundle-types.mjs', import.meta.url));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakePackage(declarations: string): string {
  dir = mkdtempSync(join(tmpdir(), 'keel-api-report-'));
  mkdirSync(join(dir, 'dist', 'types'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@keel/fake', version: '1.0.0' }));
  writeFileSync(join(dir, 'dist', 'types', 'index.d.ts'), declarations);
  return dir;
}

async function bundle(cwd: string, ci: boolean): Promise<{ code: number; output: string }> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    const env = { ...process.env, CI: ci ? 'true' : '' };
    execFile(
      process.execPath,
      [script, 'index=dist/types/index.d.ts', '--lib', 'DOM'],
      { cwd, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr });
      },
    );
  });
}

// Each case runs API Extractor over a build: seconds each, more on a busy machine.
describe('API report (scripts/bundle-types.mjs)', { timeout: 60_000 }, () => {
  it('a local build writes etc/<package>.api.md and the bundled dist/index.d.ts + .d.cts', async () => {
    const cwd = fakePackage('/** Greets. */\nexport declare function hello(name: string): string;\n');
    expect((await bundle(cwd, false)).code).toBe(0);
    expect(readFileSync(join(cwd, 'etc', 'fake.api.md'), 'utf8')).toContain('export function hello(name: string): string;');
    expect(readFileSync(join(cwd, 'dist', 'index.d.cts'), 'utf8')).toContain('hello');
  });

  it('a CI build passes with an up-to-date report and fails when the exports changed without it', async () => {
    const cwd = fakePackage('export declare function hello(name: string): string;\n');
    expect((await bundle(cwd, false)).code).toBe(0);
    expect((await bundle(cwd, true)).code).toBe(0);
    writeFileSync(
      join(cwd, 'dist', 'types', 'index.d.ts'),
      'export declare function hello(name: string): string;\nexport declare const added: number;\n',
    );
    const stale = await bundle(cwd, true);
    expect(stale.code).not.toBe(0);
    expect(stale.output).toContain('The public API of @keel/fake (index) changed but etc/fake.api.md was not updated');
    expect(readFileSync(join(cwd, 'etc', 'fake.api.md'), 'utf8')).not.toContain('added');
  });

  it('gives a class that shares a global name its own name back (no WebSocket_2)', async () => {
    const cwd = fakePackage('export declare class WebSocket {\n  readonly url: string;\n}\n');
    expect((await bundle(cwd, false)).code).toBe(0);
    const rollup = readFileSync(join(cwd, 'dist', 'index.d.ts'), 'utf8');
    expect(rollup).not.toContain('WebSocket_2');
    expect(rollup).toContain('declare class WebSocket');
  });
});
