// Memory per idle connection for ONE client library, in a fresh process (forked by run.mjs with
// --expose-gc) so that libraries do not share heaps, pools or JIT state.
// argv: <keel|ws|ceiling> <port> <count>. Reports { heap, external, rss, count } deltas in bytes via IPC.
process.env.WS_NO_BUFFER_UTIL = '1';
process.env.WS_NO_UTF_8_VALIDATE = '1';

const [name, portArg, countArg] = process.argv.slice(2);
const port = Number(portArg);
const count = Number(countArg);
const url = `ws://127.0.0.1:${port}/idle`;
const CONCURRENCY = 200;
const DEADLINE_MS = 60_000;

const { wsClient, keelClient, rawOpen } = await import('./lib/clients.mjs');

let open;
if (name === 'ws') open = (await wsClient()).open;
else if (name === 'keel') open = (await keelClient()).open;
else open = (u) => rawOpen(port, new URL(u).pathname).then(({ socket }) => (socket.on('data', () => {}), socket));

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
};

const keep = [];
// One connection first, so that the library's code paths, pools and caches exist in the baseline.
keep.push(await open(url));
const before = await settle();
const started = Date.now();
let next = 0;
async function worker() {
  while (next < count && Date.now() - started < DEADLINE_MS) {
    next++;
    keep.push(await open(url));
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const opened = keep.length - 1;
const after = await settle();
process.send(
  {
    count: opened,
    heap: (after.heapUsed - before.heapUsed) / opened,
    external: (after.external - before.external) / opened,
    rss: (after.rss - before.rss) / opened,
    seconds: (Date.now() - started) / 1000,
  },
  () => process.exit(0),
);
