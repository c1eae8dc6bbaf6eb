// pnpm bench: @keel/core vs ws (pure JS) vs a raw-socket ceiling, side by side, in one run,
// against one raw server (server.mjs) in its own process. Prints figures; asserts nothing.
// Options (all optional): --only=recv,send,echo,connect,memory,deflate,resume (or row names such as recv:16, send:1048576);
//   bare row names work too: `node bench/run.mjs connect`
//   --clients=keel,ws,ceiling  --keel=<path of another @keel/core build's dist/node/index.js> (before/after)  --reps=3  --ms=1000 (time bound per measurement)  --conns=10000
// Every loop is bounded by a count and a deadline; every child process is stopped by its PID.
process.env.WS_NO_BUFFER_UTIL = '1'; // pure-JS ws: no native add-ons, for the ws client too
process.env.WS_NO_UTF_8_VALIDATE = '1';

import { execSync, fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { batchSize, ceilingClient, keelClient, wsClient } from './lib/clients.mjs';
import { frameLength } from './lib/frames.mjs';
import { binaryPayload, jsonMessages } from './lib/payloads.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : hit.slice(name.length + 3);
};
const ONLY = [...arg('only', '').split(','), ...process.argv.slice(2).filter((a) => !a.startsWith('--'))].filter(Boolean);
const WANT_CLIENTS = arg('clients', 'keel,ws,ceiling').split(',');
const REPS = Number(arg('reps', '4'));
const MS = Number(arg('ms', '700'));
const WARM_MS = 150;
const CONNS = Number(arg('conns', '10000'));
const VERBOSE = process.argv.includes('--verbose');
const KEEL_FROM = arg('keel', undefined) === undefined ? undefined : pathToFileURL(arg('keel')).href;
const SIZES = [16, 1024, 64 * 1024, 1024 * 1024];
const DEFLATE_SIZE = 16 * 1024;
const ECHO_ROUNDS = 5000;
const ECHO_SIZE = 16;
const CONNECTIONS = 500;
const CONNECT_PARALLEL = 50;
const CONNECT_MS = 30_000; // time bound of one connect run (500 connections take well under a second)
// A connect run lasts 0.05-0.3 s, short enough for one busy moment of a shared machine to spoil
// it: these rows take the best of three times as many runs (about 10 s in all).
const CONNECT_REPS = 3 * REPS;
const wanted = (row) => ONLY.length === 0 || ONLY.some((o) => row === o || row.startsWith(`${o}:`));
const t0 = Date.now();
const loadAtStart = os.loadavg()[0];

// ---------------------------------------------------------------- server process

function startServer() {
  const child = fork(here('./server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return { child, port };
}

function idleCount(child) {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m.n));
    child.send({ type: 'idleCount' });
  });
}

// ---------------------------------------------------------------- clients

const clients = [];
const notes = [];
for (const name of WANT_CLIENTS) {
  try {
    if (name === 'keel') clients.push(await keelClient(KEEL_FROM));
    else if (name === 'ws') clients.push(await wsClient());
    else if (name === 'ceiling') clients.push(ceilingClient());
  } catch (err) {
    notes.push(`${name}: not measured (${err.code ?? ''} ${err.message.split('\n')[0]}); run \`pnpm build\` first`);
  }
}
const byName = new Map(clients.map((c) => [c.name, c]));

// ---------------------------------------------------------------- measurements

const { child: server, port: portPromise } = startServer();
// ChildProcess.kill() signals the server by its PID and, unlike process.kill(), does not throw when
// the process has already gone (a bench run that ended it first, or a signal from outside).
const stopServer = () => {
  if (server.exitCode === null && server.signalCode === null) server.kill();
};
process.on('exit', stopServer);
const port = await portPromise;
const base = `ws://127.0.0.1:${port}`;

/** Every measurement: { id, label, kind, clients, run(client, ms, warm), reps? (default REPS) }. */
const measurements = [];
for (const size of SIZES) {
  measurements.push({
    id: `recv:${size}`,
    label: `receive ${sizeLabel(size)}`,
    kind: 'throughput',
    clients: ['keel', 'ws', 'ceiling'],
    run: (c, ms) =>
      c.receive(`${base}/recv?size=${size}&count=${countFor(size)}`, {
        count: countFor(size),
        ms,
        size,
        wireFrameLength: frameLength(size, false),
      }),
  });
}
for (const size of SIZES) {
  const payloads = [binaryPayload(size)];
  measurements.push({
    id: `send:${size}`,
    label: `send ${sizeLabel(size)}`,
    kind: 'throughput',
    clients: ['keel', 'ws', 'ceiling'],
    run: (c, ms) => c.send(`${base}/send`, { count: countFor(size), ms, payloads }),
  });
}
measurements.push({
  id: 'echo',
  label: `echo ${ECHO_SIZE} B round trip`,
  kind: 'latency',
  clients: ['keel', 'ws', 'ceiling'],
  run: (c, ms, warm) =>
    c.echo(`${base}/echo`, { payload: binaryPayload(ECHO_SIZE), rounds: warm ? 500 : ECHO_ROUNDS, ms: Math.max(ms, 2000) }),
});
for (const [id, parallel, label] of [
  ['connect:seq', 1, `connect sequential (${CONNECTIONS})`],
  ['connect:par', CONNECT_PARALLEL, `connect ${CONNECT_PARALLEL} parallel (${CONNECTIONS})`],
]) {
  measurements.push({
    id,
    label,
    kind: 'connect',
    reps: CONNECT_REPS,
    clients: ['keel', 'ws', 'ceiling'],
    run: (c, ms, warm) => c.connect(`${base}/echo`, { count: warm ? 100 : CONNECTIONS, parallel, ms: CONNECT_MS }),
  });
}
const jsonTexts = jsonMessages(DEFLATE_SIZE);
measurements.push({
  id: 'deflate:recv',
  label: 'deflate receive 16 KiB JSON',
  kind: 'throughput',
  deflate: true,
  clients: ['keel', 'ws'],
  run: (c, ms) =>
    c.receive(`${base}/recv?size=${DEFLATE_SIZE}&count=${countFor(DEFLATE_SIZE)}&text=1&deflate=1`, {
      count: countFor(DEFLATE_SIZE),
      ms,
      text: true,
    }),
});
measurements.push({
  id: 'deflate:send',
  label: 'deflate send 16 KiB JSON',
  kind: 'throughput',
  deflate: true,
  clients: ['keel', 'ws'],
  run: (c, ms) => c.send(`${base}/send?deflate=1`, { count: countFor(DEFLATE_SIZE), ms, payloads: jsonTexts }),
});

function describe(r) {
  if (r.connections !== undefined) {
    return `${perConnectionMs(r).toFixed(3)} ms/conn (cpu ${cpuPerConnectionMs(r).toFixed(3)}), ${r.connections} conns in ${r.seconds.toFixed(2)} s`;
  }
  if (r instanceof Float64Array) return `${r.length} round trips`;
  return `${(r.messages / r.seconds).toFixed(0)} msg/s, ${r.messages} msgs in ${r.seconds.toFixed(2)} s`;
}

function perConnectionMs(r) {
  return (r.seconds * 1000) / r.connections;
}

function cpuPerConnectionMs(r) {
  return (r.cpuSeconds * 1000) / r.connections;
}

function countFor(size) {
  return Math.min(20_000_000, Math.ceil((4 * 2 ** 30) / size));
}

function sizeLabel(size) {
  return size >= 1024 * 1024 ? `${size / 1024 / 1024} MiB` : size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
}

const active = measurements.filter((m) => wanted(m.id));
const results = new Map(); // id -> client -> [result]

function check(m, c, r) {
  if (m.deflate && !String(r.extensions ?? '').includes('permessage-deflate')) {
    notes.push(`${m.id} ${c.name}: permessage-deflate NOT negotiated (extensions "${r.extensions}")`);
  }
  if (r.connections !== undefined && r.connections < CONNECTIONS)
    notes.push(`${m.id} ${c.name}: only ${r.connections} of ${CONNECTIONS} connections within ${CONNECT_MS} ms`);
  if (r.server !== undefined) {
    if (r.server.messages !== r.messages) notes.push(`${m.id} ${c.name}: sent ${r.messages}, server counted ${r.server.messages}`);
    const expected = m.deflate ? DEFLATE_SIZE : undefined;
    if (expected !== undefined && r.server.firstLength !== expected) {
      notes.push(`${m.id} ${c.name}: first message arrived as ${r.server.firstLength} bytes, expected ${expected}`);
    }
  }
}

async function runOne(m, c, ms, warm) {
  try {
    const r = await m.run(c, ms, warm);
    if (!warm) check(m, c, r);
    return r;
  } catch (err) {
    notes.push(`${m.id} ${c.name}: ${err.message}`);
    return null;
  }
}

// Warm-up: every code path of every client once, short, not recorded.
const phases = [];
let phaseStart = Date.now();
const phase = (name) => {
  phases.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(0)} s`);
  phaseStart = Date.now();
};
for (const m of active) for (const c of clients) if (m.clients.includes(c.name)) await runOne(m, c, WARM_MS, true);

phase('warm-up');
for (let rep = 0; rep < Math.max(REPS, ...active.map((m) => m.reps ?? REPS)); rep++) {
  for (const m of active) {
    if (rep >= (m.reps ?? REPS)) continue;
    const order = clients.filter((c) => m.clients.includes(c.name));
    // Alternate the order between repetitions: no client always runs first or last.
    for (let i = 0; i < order.length; i++) {
      const c = order[(i + rep) % order.length];
      const r = await runOne(m, c, MS, false);
      if (r === null) continue;
      if (VERBOSE) console.log(`${m.id} ${c.name} run ${rep + 1}: ${describe(r)}`);
      if (!results.has(m.id)) results.set(m.id, new Map());
      const per = results.get(m.id);
      if (!per.has(c.name)) per.set(c.name, []);
      per.get(c.name).push(r);
    }
  }
}

phase('measurements');

// ---------------------------------------------------------------- memory per idle connection

const memory = new Map();
if (wanted('memory')) {
  let conns = CONNS;
  let limit = NaN;
  try {
    limit = Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim());
  } catch {}
  if (Number.isFinite(limit) && limit < conns + 200) {
    conns = Math.max(100, limit - 200);
    notes.push(`ulimit -n is ${limit}: idle connections lowered from ${CONNS} to ${conns}`);
  }
  for (const c of clients) {
    const child = fork(here('./idle-child.mjs'), [c.name, String(port), String(conns)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let timer;
    const r = await Promise.race([
      new Promise((resolve) => child.once('message', resolve)),
      new Promise((resolve) => child.once('exit', () => resolve(null))),
      new Promise((resolve) => (timer = setTimeout(() => resolve(null), 90_000))),
    ]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid);
    if (r === null) notes.push(`memory ${c.name}: the child did not report`);
    else {
      memory.set(c.name, r);
      if (r.count < conns) notes.push(`memory ${c.name}: only ${r.count} of ${conns} connections opened in time`);
    }
    // Let the server drop the previous child's sockets before the next child starts (bounded).
    for (let i = 0; i < 100 && (await idleCount(server)) > 0; i++) await new Promise((res) => setTimeout(res, 100));
  }
}
stopServer();
if (memory.size > 0) phase('memory');

// ---------------------------------------------------------------- table

const best = (list, key, lower) => list.reduce((a, b) => (lower ? Math.min(a, key(b)) : Math.max(a, key(b))), lower ? Infinity : -Infinity);
const quantile = (lat, q) => {
  const s = Float64Array.from(lat).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const fmtRate = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(0));
const fmtBytes = (v) => (Math.abs(v) >= 1024 ? `${(v / 1024).toFixed(2)} KiB` : `${v.toFixed(0)} B`);

const TARGETS = {
  'recv:16': { ws: '>= 1.0' },
  'recv:1024': { ws: '>= 1.0' },
  'recv:65536': { ws: '>= 1.0', ceiling: '>= 0.9' },
  'recv:1048576': { ws: '>= 1.0', ceiling: '>= 0.9' },
  'send:16': { ws: '>= 5.0' },
  'send:1024': { ws: '>= 5.0' },
  'send:65536': {},
  'send:1048576': { ceiling: '>= 0.9' },
  echo: { ws: '<= 1.0' },
  'connect:seq': { ws: '<= 0.9' },
  'connect:par': { ws: '<= 0.9' },
  'deflate:recv': { ws: '>= 1.0' },
  'deflate:send': { ws: '>= 1.0' },
  'memory:heap': { ws: '<= 1.0' },
  'memory:rss': { ws: '<= 1.0' },
};
const verdict = (ratio, target) => {
  if (target === undefined) return '';
  if (!Number.isFinite(ratio)) return `${target}  n/a`;
  const [op, v] = target.split(' ');
  const ok = op === '>=' ? ratio >= Number(v) : ratio <= Number(v);
  return `${target}  ${ok ? 'ok' : 'SHORT'}`;
};

const rows = [];
for (const m of active) {
  const per = results.get(m.id) ?? new Map();
  const cell = {};
  const score = {};
  for (const c of clients) {
    const list = per.get(c.name);
    if (list === undefined || !m.clients.includes(c.name)) continue;
    if (m.kind === 'throughput') {
      const msgs = best(list, (r) => r.messages / r.seconds, false);
      const mbs = best(list, (r) => r.bytes / r.seconds / 1e6, false);
      cell[c.name] = `${mbs.toFixed(1)} MB/s ${fmtRate(msgs)}msg/s`;
      score[c.name] = msgs;
    } else if (m.kind === 'connect') {
      const ms = best(list, perConnectionMs, true);
      cell[c.name] = `${ms.toFixed(3)} ms/conn cpu ${best(list, cpuPerConnectionMs, true).toFixed(3)}`;
      score[c.name] = ms;
    } else {
      const p50 = best(list, (lat) => quantile(lat, 0.5), true) * 1000;
      const p99 = best(list, (lat) => quantile(lat, 0.99), true) * 1000;
      cell[c.name] = `p50 ${p50.toFixed(0)} µs p99 ${p99.toFixed(0)} µs`;
      score[c.name] = p50;
    }
  }
  const vsWs = score.keel / score.ws;
  const vsCeil = score.keel / score.ceiling;
  rows.push([m.label, cell, vsWs, vsCeil, TARGETS[m.id] ?? {}]);
}
if (memory.size > 0) {
  const heap = (r) => r.heap + r.external;
  const cellH = {};
  const cellR = {};
  for (const [name, r] of memory) {
    cellH[name] = `${fmtBytes(heap(r))} (heap ${fmtBytes(r.heap)}, ext ${fmtBytes(r.external)})`;
    cellR[name] = fmtBytes(r.rss);
  }
  const k = memory.get('keel');
  const w = memory.get('ws');
  const ce = memory.get('ceiling');
  const n = [...memory.values()][0].count;
  rows.push([
    `idle heap+external /conn (${n})`,
    cellH,
    k && w ? heap(k) / heap(w) : NaN,
    k && ce ? heap(k) / heap(ce) : NaN,
    TARGETS['memory:heap'],
  ]);
  rows.push([`idle rss /conn (${n})`, cellR, k && w ? k.rss / w.rss : NaN, k && ce ? k.rss / ce.rss : NaN, TARGETS['memory:rss']]);
}

const names = ['keel', 'ws', 'ceiling'];
const header = ['measurement', ...names, 'keel/ws', 'target', 'keel/ceiling', 'target'];
const lines = rows.map(([label, cell, vsWs, vsCeil, target]) => [
  label,
  ...names.map((n) => cell[n] ?? '-'),
  Number.isFinite(vsWs) ? `${vsWs.toFixed(2)}x` : '-',
  verdict(vsWs, target.ws),
  Number.isFinite(vsCeil) ? `${vsCeil.toFixed(2)}x` : '-',
  verdict(vsCeil, target.ceiling),
]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const fmtLine = (l) => `| ${l.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;

console.log(
  `\nKeel bench${KEEL_FROM === undefined ? '' : ` (keel from ${KEEL_FROM})`} — node ${process.version}, ${os.cpus().length} CPUs, best of ${REPS} runs, ${MS} ms per run, ` +
    `send batches of ~256 KiB per tick (16 B: ${batchSize(16)} msgs) then await drain; ` +
    `load average ${loadAtStart.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end`,
);
console.log(fmtLine(header));
console.log(fmtLine(widths.map((w) => '-'.repeat(w))));
for (const l of lines) console.log(fmtLine(l));
console.log(
  '\nThroughput: payload MB/s (1 MB = 10^6 bytes) and messages/s, best run. Echo: lowest p50 and p99 over runs.' +
    ` Connect: open + closing handshake, ms per connection (wall time / connections) and the client process's CPU ms per` +
    ` connection, best of ${CONNECT_REPS} runs; the ratios are of wall time.` +
    ' Latency, connect and memory ratios: lower is better.',
);
for (const note of notes) console.log(`note: ${note}`);
console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s (${phases.join(', ')})`);
// Resumable sessions on vs off (issue 15), in a process of its own: bench/resume.mjs.
if (wanted('resume')) {
  const child = fork(here('./resume.mjs'), [], { stdio: 'inherit' });
  await new Promise((resolve) => child.once('exit', resolve));
}
process.exit(0);
