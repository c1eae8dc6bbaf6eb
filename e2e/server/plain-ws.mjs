#!/usr/bin/env node
// A plain `ws` server that knows nothing of Keel: no SockJS, no heartbeat opt-in, no application
// ping, no in-band subprotocols. What a front-end team's own server looks like. The first-contact
// tests (e2e/tests/plain-ws-server.spec.ts) start one per test as a child process:
//
//   node e2e/server/plain-ws.mjs --mode echo|quiet|blocked [--port N]
//
// echo sends every message back; quiet never sends anything; blocked is the echo server as seen
// through a proxy that blocks WebSocket: every upgrade gets 403, other requests 404. Subprotocols: `ws`'s default (the
// first one the client offers). Port 0 (the default) picks a free port. Everything that happens
// is printed as one JSON object per line on stdout, for the test to read:
//   {"listening":port}  {"connection":id,"protocol":"..."}  {"message":id,"data":"..."}  {"close":id,"code":n}
//   {"http":"/path"} (a plain HTTP request)  {"refused":"/path"} (an upgrade refused in blocked mode)
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const mode = flag('--mode', 'echo');
if (!['echo', 'quiet', 'blocked'].includes(mode)) throw new Error(`--mode echo|quiet|blocked, not ${mode}`);
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

let nextId = 1;
const http = createServer((request, response) => {
  print({ http: request.url });
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
});
const wss = new WebSocketServer({ noServer: true });
http.on('upgrade', (request, socket, head) => {
  if (mode !== 'blocked') return wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  print({ refused: request.url });
  socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
});
http.listen(Number(flag('--port', '0')), '127.0.0.1', () => print({ listening: http.address().port }));
wss.on('connection', (ws) => {
  ws.on('error', () => ws.terminate());
  const id = nextId++;
  print({ connection: id, protocol: ws.protocol });
  ws.on('message', (data, isBinary) => {
    print({ message: id, data: isBinary ? [...data] : data.toString() });
    if (mode === 'echo') ws.send(data, { binary: isBinary });
  });
  ws.on('close', (code) => print({ close: id, code }));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(0));
