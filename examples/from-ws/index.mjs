// Coming from `ws`: the same echo round trip with Keel's WebSocket on Node.
//   node index.mjs ws://127.0.0.1:8080/   (any WebSocket echo server)
// Prints one line per step and exits 0 after a clean close (1000).
import { WebSocket } from 'keel';

const url = process.argv[2] ?? 'ws://127.0.0.1:8080/';

// ws: new WebSocket(url, protocols, { headers, handshakeTimeout })  →  the same three arguments.
const ws = new WebSocket(url, [], { headers: { 'User-Agent': 'keel-example' }, handshakeTimeout: 5_000 });
// ws delivers Buffers by default; Keel follows the WHATWG default ('blob'), so ask for Buffers.
ws.binaryType = 'nodebuffer';

// ws: ws.on('open', ...)  →  addEventListener('open', ...) (or onopen).
ws.addEventListener('open', async () => {
  console.log(`open ${url}`);
  // ws: ws.send(data, (err) => ...)  →  send(data) then `await ws.drained()` (the socket took it).
  ws.send('hello');
  ws.send(Buffer.from([1, 2, 3]));
  await ws.drained();
  console.log('sent text and binary');
});

let received = 0;
// ws: ws.on('message', (data, isBinary) => ...)  →  'message' events; event.data is a string or a Buffer.
ws.addEventListener('message', (event) => {
  const data = event.data;
  console.log(`echo ${typeof data === 'string' ? JSON.stringify(data) : `Buffer(${data.length})`}`);
  received += 1;
  // ws: ws.close(code, reason)  →  the same.
  if (received === 2) ws.close(1000, 'done');
});

// ws: ws.on('close', (code, reason) => ...)  →  'close' events with code, reason, wasClean.
ws.addEventListener('close', (event) => {
  console.log(`close ${event.code} clean=${event.wasClean}`);
  process.exitCode = event.code === 1000 && received === 2 ? 0 : 1;
});
// ws: ws.on('error', err)  →  'error' events; event.error is a KeelError with a stable `code`.
ws.addEventListener('error', (event) => console.error(`error ${event.error.code} ${event.message}`));
