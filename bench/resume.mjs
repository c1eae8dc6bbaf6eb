// pnpm bench (rows "resume"), or alone: node bench/resume.mjs [--reps=5] [--count=20000]
// Throughput of 1 KiB text messages through a Keel Node session and @keel/server with resumable
// sessions on vs off, both directions, and the traffic resumption adds (acks, handshake) in bytes
// per message, counted on the wire by a TCP proxy. Prints figures; asserts nothing. Issue 15's
// goal: overhead ≤ 10 %. Every loop is bounded by a count and a deadline; the server process is
// stopped by its PID.
import { fork } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { connect } from '@keel/core';
import { resumable } from '@keel/session';

const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : Number(hit.slice(name.length + 3));
};
const REPS = arg('reps', 7);
const COUNT = arg('count', 20_000);
const SIZE = 1024;
const DEADLINE_MS = 60_000;
const payload = 'k'.repeat(SIZE);

/** A TCP proxy that counts the bytes going each way (the wire cost of each mode). */
async function countingProxy(targetPort) {
  const counts = { up: 0, down: 0 };
  // noDelay both ways, as `ws` and Keel set on their own sockets: with Nagle's algorithm a small
  // write (an ack) would hold back the next one until the peer's delayed ACK, 40 ms here.
  const server = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ port: targetPort, host: '127.0.0.1', noDelay: true });
    client.on('data', (chunk) => (counts.up += chunk.length));
    upstream.on('data', (chunk) => (counts.down += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, counts, close: () => new Promise((resolve) => server.close(resolve)) };
}

const until = async (condition, what) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > DEADLINE_MS) throw new Error(`bench: ${what} not reached within ${DEADLINE_MS} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
};

/** One run: open a session (resume on or off), send COUNT messages and wait for the server's count, then receive COUNT. */
async function run(resume, port) {
  const proxy = await countingProxy(port);
  const session = connect(`ws://127.0.0.1:${proxy.port}/`, {
    resume: resume ? resumable() : undefined,
    heartbeat: false,
    keepProcessAlive: false,
    websocket: { perMessageDeflate: false },
    // Room for a whole run in the queue (with resume it also holds what is not yet acknowledged).
    queue: { maxMessages: COUNT + 10, maxBytes: (COUNT + 10) * (SIZE + 16) },
  });
  const inbox = [];
  let received = 0;
  session.on('message', (data) => (data.length === SIZE ? received++ : inbox.push(data)));
  await until(() => session.state === 'open', 'open');
  const before = { ...proxy.counts };

  let start = performance.now();
  for (let i = 0; i < COUNT;) {
    for (let k = 0; k < 256 && i < COUNT; k++, i++) session.send(payload);
    await new Promise((resolve) => setImmediate(resolve));
  }
  session.send('count?');
  await until(() => inbox.length > 0, 'the server count');
  const sendSeconds = (performance.now() - start) / 1000;
  if (inbox.shift() !== `count:${COUNT}`) throw new Error('bench: the server did not count every message');

  start = performance.now();
  session.send(`go:${COUNT}:${SIZE}`);
  await until(() => received === COUNT, 'every message received');
  const receiveSeconds = (performance.now() - start) / 1000;
  // Let the last acks go out before the bytes are read.
  await new Promise((resolve) => setTimeout(resolve, 250));
  const wire = { up: proxy.counts.up - before.up, down: proxy.counts.down - before.down };
  await session.close();
  await proxy.close();
  return { send: COUNT / sendSeconds, receive: COUNT / receiveSeconds, wire };
}

const server = fork(fileURLToPath(new URL('./resume-server.mjs', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const stop = () => server.exitCode === null && server.pid !== undefined && process.kill(server.pid);
process.on('exit', stop);
const { port } = await new Promise((resolve) => server.once('message', resolve));

const results = { on: [], off: [] };
await run(false, port); // warm-up
await run(true, port);
for (let rep = 0; rep < REPS; rep++) {
  // Interleaved, so a busy moment of the machine hurts both modes alike.
  results.off.push(await run(false, port));
  results.on.push(await run(true, port));
}
stop();

const best = (list, key) => Math.max(...list.map(key));
const median = (list, key) => list.map(key).sort((a, b) => a - b)[Math.floor(list.length / 2)];
const fmt = (v) => `${(v / 1000).toFixed(1)} k`;
const pct = (off, on) => `${(((off - on) / off) * 100).toFixed(1)} %`;
/** How far apart runs of one mode are: (best − worst) / best, the noise any difference must beat. */
const spread = (list, key) => {
  const values = list.map(key);
  return `${(((Math.max(...values) - Math.min(...values)) / Math.max(...values)) * 100).toFixed(0)} %`;
};
const rows = [];
for (const direction of ['send', 'receive']) {
  const key = (r) => r[direction];
  const [offBest, onBest, offMedian, onMedian] = [
    best(results.off, key),
    best(results.on, key),
    median(results.off, key),
    median(results.on, key),
  ];
  rows.push([
    `${direction} 1 KiB`,
    `${fmt(offBest)} (${fmt(offMedian)})`,
    `${fmt(onBest)} (${fmt(onMedian)})`,
    `${pct(offBest, onBest)} (${pct(offMedian, onMedian)})`,
    `${spread(results.off, key)} / ${spread(results.on, key)}`,
  ]);
}
// Bytes on the wire per message (both directions, 2 × COUNT messages), resume on minus off.
const perMessage = (r) => (r.wire.up + r.wire.down) / (2 * COUNT);
const ackBytes = median(results.on, perMessage) - median(results.off, perMessage);
const widths = [14, 20, 20, 18, 13];
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `\nResume bench — node ${process.version}, ${COUNT} messages of ${SIZE} B each way, ${REPS} runs per mode (interleaved), load average ${os.loadavg()[0].toFixed(1)}`,
);
console.log(line(['msg/s', 'off: best (median)', 'on: best (median)', 'overhead', 'spread off/on']));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
console.log(
  `ack traffic: ${ackBytes.toFixed(2)} B per message on the wire (resume on − off, both directions, median). Goal: overhead ≤ 10 %;`,
);
console.log('a difference smaller than the spread between runs of one mode is noise of the machine, not of resumption.');
process.exit(0);
