// A tiny round-robin TCP proxy for running the demo as two processes (README, "Two processes"):
// each new connection goes to the next backend; a backend that refuses the connection (its process
// is gone) is skipped, and the next one is tried, each at most once per connection.
//   node demo/round-robin-proxy.mjs 8080 127.0.0.1:8081 127.0.0.1:8082
// The first argument is the port to listen on (0 = any free one), on 127.0.0.1; it prints its URL.
import net from 'node:net';

const [listenPort, ...backends] = process.argv.slice(2);
if (listenPort === undefined || backends.length === 0) {
  console.error('usage: node demo/round-robin-proxy.mjs <port> <host:port> [<host:port>...]');
  process.exit(2);
}
const targets = backends.map((backend) => {
  const at = backend.lastIndexOf(':');
  return { host: backend.slice(0, at), port: Number(backend.slice(at + 1)) };
});
let next = 0;

/** Connects `client` to the next live backend, trying each backend at most once. */
function forward(client, tried = 0) {
  if (tried === targets.length) return client.destroy();
  const target = targets[next];
  next = (next + 1) % targets.length;
  const backend = net.connect(target);
  // Refused before it connected: that backend is down, try the next one.
  backend.once('error', () => forward(client, tried + 1));
  backend.once('connect', () => {
    backend.removeAllListeners('error');
    backend.on('error', () => client.destroy());
    client.on('error', () => backend.destroy());
    // One side gone ends the other (a killed backend ends every connection through it).
    backend.on('close', () => client.destroy());
    client.on('close', () => backend.destroy());
    client.pipe(backend);
    backend.pipe(client);
    client.resume();
  });
}

const server = net.createServer({ pauseOnConnect: true }, (client) => forward(client));
server.listen(Number(listenPort), '127.0.0.1', () => {
  console.log(`round-robin proxy: http://127.0.0.1:${server.address().port} -> ${backends.join(', ')}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(0));
