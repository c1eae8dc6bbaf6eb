// Coming from `socket.io-client`: Keel speaks plain WebSocket (RFC 6455), so named events become
// small JSON messages that the app defines, and acknowledgements become request ids.
//   node index.mjs ws://127.0.0.1:8080/   (any WebSocket echo server stands in for the app's server)
// Exits 0 after the "ack" came back and the session closed cleanly.
import { connect } from 'keel';

const url = process.argv[2] ?? 'ws://127.0.0.1:8080/';

// io(url, { reconnectionDelay: 1000, reconnectionDelayMax: 5000, reconnectionAttempts: 10 })
const session = connect(url, { reconnect: { initialDelay: 1_000, maxDelay: 5_000, maxAttempts: 10 } });

// socket.on(event, handler)  →  one 'message' listener that dispatches on a `type` field.
const handlers = new Map();
const on = (type, handler) => handlers.set(type, handler);
session.on('message', (data) => {
  if (typeof data !== 'string') return;
  const { type, payload, id } = JSON.parse(data);
  if (id !== undefined && pending.has(id)) return pending.get(id)(payload);
  handlers.get(type)?.(payload);
});

// socket.emit(event, payload, ack)  →  send a JSON message; the ack resolves on the reply with the same id.
const pending = new Map();
let nextId = 0;
const emitWithAck = (type, payload) =>
  new Promise((resolve) => {
    const id = ++nextId;
    pending.set(id, (reply) => {
      pending.delete(id);
      resolve(reply);
    });
    session.send(JSON.stringify({ type, payload, id }));
  });

// socket.on('connect') / socket.connected  →  session.on('open') / session.state === 'open'.
session.on('open', () => console.log(`connected (state ${session.state})`));
// socket.on('disconnect') + automatic reconnection  →  session.on('reconnecting', info).
session.on('reconnecting', (info) => console.log(`disconnected, retry in ${info.delay} ms`));
on('chat', (text) => console.log(`chat ${text}`));

// The echo server sends the message back: our own "ack" arrives with its id.
const ack = await emitWithAck('chat', 'hello');
console.log(`ack ${JSON.stringify(ack)}`);
// socket.disconnect()  →  session.close().
const closed = await session.close();
console.log(`closed ${closed.code} clean=${closed.wasClean}`);
