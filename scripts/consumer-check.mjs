// The consumer check (issue 14): what a user installs, checked with the user's own tools.
//
//   pnpm build && node scripts/consumer-check.mjs
//
// 1. `pnpm pack` every publishable package (prints each tarball's size); publint (strict) and
//    @arethetypeswrong/cli on every tarball.
// 2. A fresh Node project OUTSIDE the workspace (os.tmpdir()), the tarballs installed with npm
//    (so @keel/core must find @keel/session among them, `workspace:*` must be gone): Node ESM
//    `import` and CommonJS `require` of `keel` and `@keel/core`, each with a real round trip to a
//    local `ws` echo server, require() run with --no-experimental-require-module so the CommonJS
//    build cannot lean on Node's require(esm); `@keel/server` (+ /redis) imported and required the
//    same way, each serving a real `keel` client on a `ws` server of the app's own (installed with
//    ioredis, as the app would); the three examples/ scripts against the echo server;
//    a strict TypeScript consumer (skipLibCheck false) with moduleResolution node16 (ESM and .cts)
//    and bundler.
// 3. A fresh Vite browser app that imports `connect` from the installed `keel` and builds (its
//    entry size printed, min and min+gzip).
// Every problem is listed; the exit code is 1 if there was any. Only the npm registry is used.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { build } from 'vite';
import { WebSocketServer } from 'ws';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(repo, 'node_modules', '.bin', name);
/** The publishable packages, dependencies first. */
const packages = ['session', 'core', 'browser', 'keel', 'server'];
const problems = [];
const started = Date.now();

/** Runs a command to completion (bounded), never throwing; async so the echo server keeps serving. */
function run(command, args, cwd, timeout = 60_000) {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        resolve({ ok: error === null, code: error?.code ?? 0, out: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

/** Records a failed step (with its output) or prints the passed one. */
function check(label, result, expected) {
  const ok = result.ok && (expected === undefined || expected.test(result.out));
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
  if (!ok)
    problems.push(
      `${label}\n${result.out
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n')}`,
    );
  return ok;
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

// A plain `ws` echo server on an ephemeral port: a peer that knows nothing of Keel.
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
await new Promise((resolve) => server.once('listening', resolve));
const url = `ws://127.0.0.1:${server.address().port}/`;

const work = mkdtempSync(join(tmpdir(), 'keel-consumer-check-'));
try {
  // 1. Tarballs, publint, are-the-types-wrong.
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const name of packages) {
    const packed = await run('pnpm', ['pack', '--pack-destination', tarballs], join(repo, 'packages', name));
    if (!check(`pnpm pack packages/${name}`, packed)) throw new Error('cannot go on without the tarballs');
  }
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  for (const file of files) {
    const name = file.slice(tarballs.length + 1);
    const listing = await run('tar', ['-tzf', file], work);
    const manifest = await run('tar', ['-xzOf', file, 'package/package.json'], work);
    console.log(`     ${name}: ${kB(statSync(file).size)} packed, ${listing.out.split('\n').length} files`);
    check(`${name} holds LICENSE and no dist/types`, {
      ok: listing.out.includes('package/LICENSE') && !listing.out.includes('dist/types/'),
      out: listing.out,
    });
    check(`${name} names no workspace: dependency`, { ok: !manifest.out.includes('workspace:'), out: manifest.out });
    const lint = await publint({ pack: { tarball: readFileSync(file).buffer }, level: 'suggestion', strict: true });
    const pkg = JSON.parse(manifest.out);
    check(`publint ${name}`, {
      ok: lint.messages.length === 0,
      out: lint.messages.map((message) => `${message.type}: ${formatMessage(message, pkg)}`).join('\n'),
    });
    // Profile node16: TypeScript 7 has no node10 resolution left. keel.min.js is the script-tag
    // bundle (the global `Keel`), not a module to import: it has no types by design.
    const attwArgs = [
      file,
      '--profile',
      'node16',
      '--format',
      'ascii',
      '--no-definitely-typed',
      '--no-color',
      '--no-emoji',
      '--exclude-entrypoints',
      './keel.min.js',
    ];
    check(`attw ${name}`, await run(bin('attw'), attwArgs, work));
  }

  // 2. A Node project outside the workspace, installed from the tarballs with npm.
  const app = join(work, 'node-app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'keel-consumer', private: true, type: 'module' }, null, 2));
  const npmArgs = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  // @keel/server's peers, as a server app installs them (the versions the workspace tests with).
  const devDependencies = JSON.parse(readFileSync(join(repo, 'packages', 'server', 'package.json'), 'utf8')).devDependencies;
  const peers = ['ws', 'ioredis'].map((name) => `${name}@${devDependencies[name]}`);
  if (
    !check(
      `npm install the ${files.length} tarballs and ${peers.join(', ')} (node-app)`,
      await run('npm', [...npmArgs, ...files, ...peers], app, 300_000),
    )
  )
    throw new Error('cannot go on without an install');
  // Types for Node globals and ws, as a Node app has them (from the workspace: no registry round trip).
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  for (const types of ['node', 'ws'])
    symlinkSync(join(repo, 'node_modules', '@types', types), join(app, 'node_modules', '@types', types), 'dir');

  const roundTrip = (ws) => `
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', () => ws.send('ping'));
      ws.addEventListener('message', (event) => { if (event.data !== 'ping') reject(new Error('bad echo ' + event.data)); ws.close(1000); });
      ws.addEventListener('close', (event) => (event.code === 1000 ? resolve() : reject(new Error('close ' + event.code))));
      ws.addEventListener('error', (event) => reject(event.error));
    });`;
  const sessionTrip = (session) => `
    session.send('hello');
    for await (const data of ${session}) { if (data !== 'hello') throw new Error('bad echo ' + data); break; }
    const closed = await ${session}.close();
    if (closed.code !== 1000) throw new Error('closed ' + closed.code);`;
  writeFileSync(
    join(app, 'esm.mjs'),
    `import { connect, WebSocket, createSession, SessionError } from 'keel';
import { WebSocket as CoreWebSocket, createNodeTransport } from '@keel/core';
import { ClientProtocol } from '@keel/core/protocol';
import { createSession as sessionOnly } from '@keel/session';
const url = process.argv[2];
for (const Class of [WebSocket, CoreWebSocket]) {
  const ws = new Class(url);${roundTrip('ws')}
}
const session = connect(url);${sessionTrip('session')}
const own = sessionOnly({ url, transport: createNodeTransport() });
{ const session = own;${sessionTrip('session')} }
console.log('esm ok', typeof createSession, typeof SessionError, typeof ClientProtocol);
`,
  );
  writeFileSync(
    join(app, 'cjs.cjs'),
    `const { connect, WebSocket } = require('keel');
const { WebSocket: CoreWebSocket } = require('@keel/core');
const { ClientProtocol } = require('@keel/core/protocol');
const { createSession } = require('@keel/session');
const url = process.argv[2];
(async () => {
  for (const Class of [WebSocket, CoreWebSocket]) {
  const ws = new Class(url);${roundTrip('ws')}
  }
  const session = connect(url);${sessionTrip('session')}
  console.log('cjs ok', typeof createSession, typeof ClientProtocol);
})().catch((error) => { console.error(error); process.exitCode = 1; });
`,
  );
  check(
    'Node ESM import of keel, @keel/core (+ /protocol), @keel/session: round trips to a ws echo server',
    await run(process.execPath, ['esm.mjs', url], app),
    /esm ok/,
  );
  check(
    'Node CJS require of keel, @keel/core (+ /protocol), @keel/session without require(esm): round trips',
    await run(process.execPath, ['--no-experimental-require-module', 'cjs.cjs', url], app),
    /cjs ok/,
  );

  // @keel/server on the app's ws server (127.0.0.1, ephemeral port), a keel client that asks for
  // resumption: the session opens resumed-capable (exactly-once), gets its echo, closes with 1000.
  // RedisStore is built on a lazy ioredis client (no Redis here: the Redis tests run in vitest).
  const serverTrip = (format) => `
    const redis = new Redis({ lazyConnect: true });
    if (!(new RedisStore(redis) instanceof RedisStore)) throw new Error('RedisStore');
    redis.disconnect();
    const keel = new KeelServer();
    keel.on('session', (serverSession) => serverSession.on('message', (data) => serverSession.send('echo:' + data)));
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: keel.handleProtocols });
    keel.attach(wss);
    await new Promise((resolve) => wss.once('listening', resolve));
    const session = connect('ws://127.0.0.1:' + wss.address().port + '/', { resume: resumable() });
    const opened = new Promise((resolve) => session.once('open', resolve));
    session.send('hello');
    for await (const data of session) { if (data !== 'echo:hello') throw new Error('bad echo ' + data); break; }
    const open = await opened;
    if (open.delivery !== 'exactly-once') throw new Error('delivery ' + open.delivery);
    const closed = await session.close();
    if (closed.code !== 1000) throw new Error('closed ' + closed.code);
    await keel.close();
    await new Promise((resolve) => wss.close(resolve));
    console.log('server ${format} ok', open.delivery);`;
  writeFileSync(
    join(app, 'server-esm.mjs'),
    `import { connect, resumable } from 'keel';
import { KeelServer, MemoryStore } from '@keel/server';
import { RedisStore } from '@keel/server/redis';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
if (typeof MemoryStore !== 'function') throw new Error('MemoryStore');
${serverTrip('esm')}
`,
  );
  writeFileSync(
    join(app, 'server-cjs.cjs'),
    `const { connect, resumable } = require('keel');
const { KeelServer, MemoryStore } = require('@keel/server');
const { RedisStore } = require('@keel/server/redis');
const { Redis } = require('ioredis');
const { WebSocketServer } = require('ws');
if (typeof MemoryStore !== 'function') throw new Error('MemoryStore');
(async () => {${serverTrip('cjs')}
})().catch((error) => { console.error(error); process.exitCode = 1; });
`,
  );
  check(
    'Node ESM import of @keel/server (+ /redis): a keel client resumable, echoed, closed',
    await run(process.execPath, ['server-esm.mjs'], app),
    /server esm ok exactly-once/,
  );
  check(
    'Node CJS require of @keel/server (+ /redis) without require(esm): the same',
    await run(process.execPath, ['--no-experimental-require-module', 'server-cjs.cjs'], app),
    /server cjs ok exactly-once/,
  );
  for (const example of readdirSync(join(repo, 'examples'), { withFileTypes: true }).filter(
    (entry) => entry.isDirectory() && entry.name.startsWith('from-'),
  )) {
    const copy = join(app, `example-${example.name}.mjs`);
    cpSync(join(repo, 'examples', example.name, 'index.mjs'), copy);
    check(`examples/${example.name} against a ws echo server`, await run(process.execPath, [copy, url], app), /clean=true/);
  }

  // A strict TypeScript consumer: the tarballs' declarations checked too (skipLibCheck false).
  const strict = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: 'ES2022',
    types: ['node'],
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
  };
  writeFileSync(
    join(app, 'node-consumer.ts'),
    `import { connect, WebSocket, KeelError, type Session, type SessionCloseInfo, type ReconnectingInfo } from 'keel';
import { WebSocket as CoreWebSocket, type WebSocketOptions } from '@keel/core';
import { ClientProtocol } from '@keel/core/protocol';
import { createSession, type Transport } from '@keel/session';
const session: Session = connect('ws://127.0.0.1:1/', { reconnect: { maxDelay: 10_000 }, websocket: { handshakeTimeout: 5_000 } });
session.on('reconnecting', (info: ReconnectingInfo) => console.log(info.delay, info.reason.code));
session.on('close', (info: SessionCloseInfo) => console.log(info.error?.code, info.error?.message));
const options: WebSocketOptions = { headers: { 'X-Trace': '1' } };
const ws = new CoreWebSocket('ws://127.0.0.1:1/', [], options);
ws.binaryType = 'nodebuffer';
const isKeel = (error: unknown): string | undefined => (error instanceof KeelError ? error.code : undefined);
const transport: Transport | undefined = undefined;
console.log(WebSocket, ClientProtocol, createSession, isKeel, transport);
`,
  );
  writeFileSync(
    join(app, 'server-consumer.ts'),
    `import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { KeelServer, MemoryStore, type ServerSession, type ResumeStore, type SessionEndReason } from '@keel/server';
import { RedisStore } from '@keel/server/redis';
const store: ResumeStore = process.env.REDIS_URL === undefined ? new MemoryStore() : new RedisStore(new Redis(process.env.REDIS_URL), { prefix: 'app:' });
const keel = new KeelServer({ resume: { store, windowMs: 60_000 }, subprotocols: ['chat.v1'] });
keel.on('session', (session: ServerSession, info) => {
  session.on('end', (reason: SessionEndReason) => console.log(session.id, reason, info.resumed, session.delivery));
});
keel.attach(new WebSocketServer({ port: 0, handleProtocols: keel.handleProtocols }));
`,
  );
  writeFileSync(
    join(app, 'cjs-consumer.cts'),
    `import { connect, type Session } from 'keel';\nimport { WebSocket } from '@keel/core';\nconst session: Session = connect('ws://127.0.0.1:1/');\nconsole.log(session.state, WebSocket.OPEN);\n`,
  );
  writeFileSync(
    join(app, 'browser-consumer.ts'),
    `import { connect, BrowserTransportError, type Session, type SessionCloseInfo } from 'keel';
const session: Session = connect('wss://example.test/chat', { protocols: ['v1'], fallback: { reprobeIntervalMs: 60_000 } });
const result: 'sent' | 'queued' | 'dropped' = session.send('hello');
session.on('open', (info) => console.log(info.transport, info.protocol, result));
void session.close(1000).then((info: SessionCloseInfo) => console.log(info.unsent.length, info.error?.code));
console.log(BrowserTransportError);
`,
  );
  writeFileSync(
    join(app, 'browser-headers.ts'),
    `import { connect } from 'keel';\nconnect('wss://example.test/', { headers: { Authorization: 'Bearer t' } });\n`,
  );
  const tsconfig = (name, compilerOptions, included) =>
    writeFileSync(join(app, name), JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, files: included }, null, 2));
  tsconfig('tsconfig.node16.json', { module: 'node16', moduleResolution: 'node16', lib: ['ES2022'] }, [
    'node-consumer.ts',
    'cjs-consumer.cts',
    'server-consumer.ts',
  ]);
  tsconfig('tsconfig.bundler.json', { module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] }, [
    'browser-consumer.ts',
  ]);
  tsconfig('tsconfig.headers.json', { module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] }, [
    'browser-headers.ts',
  ]);
  check('tsc strict, moduleResolution node16 (ESM .ts and CommonJS .cts)', await run(bin('tsc'), ['-p', 'tsconfig.node16.json'], app));
  check('tsc strict, moduleResolution bundler (browser types)', await run(bin('tsc'), ['-p', 'tsconfig.bundler.json'], app));
  const headers = await run(bin('tsc'), ['-p', 'tsconfig.headers.json'], app);
  check('tsc rejects `headers` in browser connect() options', {
    ok: !headers.ok && headers.out.includes('browser-headers.ts'),
    out: headers.out || 'compiled without error',
  });

  // 3. A Vite browser app with only `keel` installed.
  const web = join(work, 'browser-app');
  mkdirSync(web);
  writeFileSync(join(web, 'package.json'), JSON.stringify({ name: 'keel-browser-app', private: true, type: 'module' }, null, 2));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>keel</title><script type="module" src="./main.js"></script>\n');
  writeFileSync(
    join(web, 'main.js'),
    "import { connect } from 'keel';\nconst session = connect('wss://example.test/');\nsession.on('message', (data) => console.log(data));\n",
  );
  const keelTarball = files.find((file) => /[/\\]keel-\d/.test(file));
  if (check('npm install the keel tarball (browser-app)', await run('npm', [...npmArgs, keelTarball], web, 300_000))) {
    try {
      await build({ root: web, configFile: false, logLevel: 'error', build: { outDir: join(web, 'dist'), emptyOutDir: true } });
      const assets = join(web, 'dist', 'assets');
      const entry = readdirSync(assets).find((file) => /^index-.*\.js$/.test(file));
      const code = readFileSync(join(assets, entry));
      console.log(
        `ok   Vite app importing connect builds: entry ${entry} ${code.length} B min, ${gzipSync(code, { level: 9 }).length} B min+gzip; assets: ${readdirSync(assets).join(', ')}`,
      );
    } catch (error) {
      check('Vite app importing connect builds', { ok: false, out: String(error?.stack ?? error) });
    }
  }
} catch (error) {
  problems.push(String(error?.stack ?? error));
} finally {
  server.close();
  // KEEL_CONSUMER_KEEP=1 keeps the projects for a look (their folder is printed).
  if (process.env.KEEL_CONSUMER_KEEP === '1') console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

console.log(
  `consumer check: ${problems.length === 0 ? 'passed' : `${problems.length} problem(s)`} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
for (const problem of problems) console.error(`\n${problem}`);
process.exit(problems.length === 0 ? 0 : 1);
