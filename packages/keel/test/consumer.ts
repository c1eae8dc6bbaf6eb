import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const keelDir = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
export const tscBin = join(repo, 'node_modules', '.bin', 'tsc');

/** Fails with a clear message when the package tests run before `pnpm build`. */
export function assertBuilt(): void {
  for (const file of [
    'browser.js',
    'browser.cjs',
    'node.js',
    'node.cjs',
    'browser.d.ts',
    'node.d.ts',
    'keel.min.js',
    'keel-sockjs.min.js',
  ]) {
    if (!existsSync(join(keelDir, 'dist', file))) throw new Error(`packages/keel/dist/${file} is missing: run \`pnpm build\` first`);
  }
}

/** A throwaway app folder where `keel` is installed (a symlink, as pnpm does), with @types/node. */
export function consumerApp(files: Record<string, string>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'keel-consumer-'));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(keelDir, join(dir, 'node_modules', 'keel'), 'dir');
  symlinkSync(join(repo, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (bounded by a timeout), never throwing on a non-zero exit. */
export function run(command: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
