// The small example the README's demo command runs until the chat demo exists: it starts a
// local `ws` echo server on an ephemeral port, connects with Keel's Node WebSocket, sends a few
// messages and prints what comes back.
import { WebSocketServer } from 'ws';
import { WebSocket } from '@keel/core';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => server.once('listening', resolve));
server.on('connection', (peer) => peer.on('message', (data, isBinary) => peer.send(data, { binary: isBinary })));
const url = `ws://127.0.0.1:${server.address().port}/`;
console.log(`echo server listening on ${url}`);

const socket = new WebSocket(url);
socket.binaryType = 'arraybuffer';
const outgoing = ['hello from Keel', 'ünïcödé ✓', new Uint8Array([1, 2, 3, 4])];
let received = 0;
socket.addEventListener('open', () => {
  console.log('open');
  for (const message of outgoing) socket.send(message);
});
socket.addEventListener('message', (event) => {
  const shown = typeof event.data === 'string' ? JSON.stringify(event.data) : `<${event.data.byteLength} bytes>`;
  console.log(`received ${shown}`);
  if (++received === outgoing.length) socket.close(1000, 'done');
});
socket.addEventListener('close', (event) => {
  console.log(`closed: code ${event.code}, clean ${event.wasClean}`);
  server.close();
});
socket.addEventListener('error', (event) => console.error('error:', event.message));
