import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

// Issue 11, "tests that meet the world": a Node service written exactly like the README's
// `for await` example, run with `node` as a child process against a real `ws` server.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** The code block right after `<!-- service-example -->` in the README. */
function readmeService(): string {
  const match = /<!-- service-example -->\s*```js\n([\s\S]*?)```/.exec(readme);
  if (match === null) throw new Error('README: no service example after <!-- service-example -->');
  return match[1] as string;
}

let dir = '';
beforeAll(() => {
  // The child imports the built package (`pnpm build` runs before vitest in .ci/run).
  if (!existsSync(join(packageDir, 'dist/node.js'))) throw new Error('packages/keel/dist/node.js missing: run `pnpm build` first');
  dir = mkdtempSync(join(tmpdir(), 'keel-service-'));
  // `import 'keel'` resolves as in an app: node_modules/keel → this package (its export map, node build).
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(packageDir, join(dir, 'node_modules', 'keel'), 'dir');
  writeFileSync(join(dir, 'service.mjs'), readmeService());
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

interface Child {
  readonly process: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

const children: Child[] = [];
const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.pid !== undefined) process.kill(child.process.pid, 'SIGKILL');
    await child.exited;
  }
  for (const server of servers.splice(0)) await close(server);
});

function run(file: string, url: string, source?: string): Child {
  if (source !== undefined) writeFileSync(join(dir, file), source);
  const child = spawn(process.execPath, [file], { cwd: dir, env: { ...process.env, FEED_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
  const record: Child = {
    process: child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => (record.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (record.stderr += chunk.toString()));
  children.push(record);
  return record;
}

/** A plain `ws` server (it knows nothing of Keel) that sends `messages` to every new connection. */
async function serve(
  port: number,
  messages: readonly string[],
  options: Partial<ConstructorParameters<typeof WebSocketServer>[0]> = {},
): Promise<WebSocketServer> {
  const server = new WebSocketServer({ port, host: '127.0.0.1', ...options });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.on('connection', (peer) => {
    for (const message of messages) peer.send(message);
  });
  servers.push(server);
  return server;
}

function close(server: WebSocketServer): Promise<void> {
  for (const client of server.clients) client.terminate();
  return new Promise((resolve) => server.close(() => resolve()));
}

function portOf(server: WebSocketServer): number {
  return (server.address() as net.AddressInfo).port;
}

/** A port nothing listens on (yet): taken from the OS, then released. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds or the child exits; fails after `limit` ms (a hang guard, not a timing assertion). */
async function until(child: Child, condition: () => boolean, limit = 30_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (child.process.exitCode !== null) throw new Error(`child exited ${child.process.exitCode}: ${child.stderr}`);
    if (Date.now() - start > limit)
      throw new Error(`condition not reached within ${limit} ms; stdout ${child.stdout}; stderr ${child.stderr}`);
    await sleep(20);
  }
}

// Child processes and a server started 1 s late: seconds per case.
describe("a service written like the README's for-await example, as a child process", { timeout: 30_000 }, () => {
  it('server down at start, started 1 s later: the service waits and receives the messages (no exit 13)', async () => {
    const port = await freePort();
    const child = run('service.mjs', `ws://127.0.0.1:${port}/`);
    // Scenario timing, not knowledge: the server comes up 1 s after the service (the outage the
    // case is about); an exit 13 would come at the first refused attempt, well inside it.
    await sleep(1000);
    expect(child.process.exitCode).toBeNull();
    await serve(port, ['one', 'two']);
    await until(child, () => child.stdout.includes('two'));
    expect(child.stdout).toBe('one\ntwo\n');
    expect(child.process.exitCode).toBeNull();
  });

  it('outage mid-stream (server closed, restarted on the same port): the service continues', async () => {
    const first = await serve(0, ['before']);
    const port = portOf(first);
    const child = run('service.mjs', `ws://127.0.0.1:${port}/`);
    await until(child, () => child.stdout.includes('before'));
    await close(first);
    servers.splice(servers.indexOf(first), 1);
    // Scenario timing, not knowledge: the outage lasts 300 ms before the restart.
    await sleep(300);
    await serve(port, ['after']);
    await until(child, () => child.stdout.includes('after'));
    expect(child.stdout).toBe('before\nafter\n');
    expect(child.process.exitCode).toBeNull();
  });

  it('a 404 handshake: the service exits non-zero and its stderr names the 404 and the URL', async () => {
    const server = await serve(0, [], { verifyClient: (_info, done) => done(false, 404, 'Not Found') });
    const url = `ws://127.0.0.1:${portOf(server)}/x`;
    const child = run('service.mjs', url);
    const code = await child.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBe(13);
    expect(child.stderr).toContain(`gave up after HTTP 404 Not Found from ${url}`);
  });
});

describe('process lifetime of a Node session', () => {
  it('session.close() releases everything: the process exits 0 on its own', async () => {
    const server = await serve(0, ['hello', 'bye']);
    const child = run(
      'close-on-bye.mjs',
      `ws://127.0.0.1:${portOf(server)}/`,
      [
        "import { connect } from 'keel';",
        'const session = connect(process.env.FEED_URL);',
        'for await (const message of session) {',
        '  console.log(message);',
        "  if (message === 'bye') await session.close();",
        '}',
        "console.log('loop ended');",
      ].join('\n'),
    );
    expect(await child.exited).toBe(0);
    expect(child.stdout).toBe('hello\nbye\nloop ended\n');
  });

  it('keepProcessAlive: false is the opt-out: nothing holds the process while reconnecting (Node ends the unsettled await, exit 13)', async () => {
    const port = await freePort();
    const child = run(
      'unref.mjs',
      `ws://127.0.0.1:${port}/`,
      [
        "import { connect } from 'keel';",
        'const session = connect(process.env.FEED_URL, { keepProcessAlive: false });',
        'for await (const message of session) console.log(message);',
      ].join('\n'),
    );
    expect(await child.exited).toBe(13);
  });
});
