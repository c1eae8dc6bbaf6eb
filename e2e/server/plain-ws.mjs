#!/usr/bin/env node
// A plain `ws` server that knows nothing of Keel: no SockJS, no heartbeat opt-in, no application
// ping, no in-band subprotocols. What a front-end team's own server looks like. The first-contact
// tests (e2e/tests/plain-ws-server.spec.ts) start one per test as a child process:
//
//   node e2e/server/plain-ws.mjs --mode echo|quiet [--port N]
//
// echo sends every message back; quiet never sends anything. Subprotocols: `ws`'s default (the
// first one the client offers). Port 0 (the default) picks a free port. Everything that happens
// is printed as one JSON object per line on stdout, for the test to read:
//   {"listening":port}  {"connection":id,"protocol":"..."}  {"message":id,"data":"..."}  {"close":id,"code":n}
import { WebSocketServer } from 'ws';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const mode = flag('--mode', 'echo');
if (mode !== 'echo' && mode !== 'quiet') throw new Error(`--mode echo|quiet, not ${mode}`);
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

let nextId = 1;
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(flag('--port', '0')) }, () => print({ listening: wss.address().port }));
wss.on('connection', (ws) => {
  const id = nextId++;
  print({ connection: id, protocol: ws.protocol });
  ws.on('message', (data, isBinary) => {
    print({ message: id, data: isBinary ? [...data] : data.toString() });
    if (mode === 'echo') ws.send(data, { binary: isBinary });
  });
  ws.on('close', (code) => print({ close: id, code }));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(0));
