// Coming from `reconnecting-websocket`: its options map onto connect()'s.
//   node index.mjs ws://127.0.0.1:8080/   (any WebSocket echo server)
// Sends while still connecting (queued, as reconnecting-websocket's maxEnqueuedMessages does),
// prints the echo and exits 0 after a clean close.
import { connect } from 'keel';

const url = process.argv[2] ?? 'ws://127.0.0.1:8080/';

// new ReconnectingWebSocket(url, protocols, {
//   minReconnectionDelay: 1000, maxReconnectionDelay: 10000, reconnectionDelayGrowFactor: 1.3,
//   maxRetries: 20, minUptime: 5000, maxEnqueuedMessages: 100 })
const session = connect(url, {
  // `url` may also be a function (sync or async), called before every attempt, like rws's UrlProvider.
  reconnect: { initialDelay: 1_000, maxDelay: 10_000, factor: 1.3, maxAttempts: 20, minUptime: 5_000 },
  queue: { maxMessages: 100 },
});

// rws: ws.send() before open is queued  →  session.send() says what happened: 'sent' | 'queued' | 'dropped'.
console.log(`send before open: ${session.send('hello')}`);

// rws: onopen / addEventListener('open')  →  session.on('open', info); info.attempt counts retries.
session.on('open', (info) => console.log(`open over ${info.transport} after ${info.attempt} failed attempts`));
// rws has no event between attempts; Keel reports each one with its delay and reason.
session.on('reconnecting', (info) => console.log(`retry ${info.attempt} in ${info.delay} ms (${info.reason.code})`));

// rws: onmessage(event.data)  →  session.on('message', data), or `for await (const data of session)`.
for await (const data of session) {
  console.log(`echo ${JSON.stringify(data)}`);
  break;
}
// rws: ws.close(code, reason) stops reconnecting  →  session.close() resolves with how it ended.
const closed = await session.close(1000, 'done');
console.log(`closed ${closed.code} clean=${closed.wasClean} unsent=${closed.unsent.length}`);
