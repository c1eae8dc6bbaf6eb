// The resume bench's server, forked by resume.mjs: a ws server on 127.0.0.1 (ephemeral port) with
// @keel/server (in-memory store). Per session: "go:N:S" → it sends N text messages of S bytes in
// batches; every other message is counted, and "count?" is answered with "count:N" (after the
// messages before it, which arrive in order).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { KeelServer } from '@keel/server';

const keel = new KeelServer();
keel.on('session', (session) => {
  let count = 0;
  session.on('message', (data) => {
    if (typeof data === 'string' && data.startsWith('go:')) return void blast(session, data);
    if (data === 'count?') return session.send(`count:${count}`);
    count++;
  });
});

/** Sends N messages of S bytes, ~256 KiB per tick so the socket drains between batches. */
async function blast(session, request) {
  const [, n, size] = request.split(':').map(Number);
  const payload = 'x'.repeat(size);
  const batch = Math.max(1, Math.floor(262_144 / size));
  for (let i = 0; i < n;) {
    for (let k = 0; k < batch && i < n; k++, i++) session.send(payload);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const http = createServer();
keel.attach(new WebSocketServer({ server: http, perMessageDeflate: false }));
http.listen(0, '127.0.0.1', () => process.send({ port: http.address().port }));
