#!/usr/bin/env node
// Starts the bundled server and prints its URL:  node e2e/server/start.mjs [--port N] [--quiet]
// Port 0 (the default) picks a free port; the demo script passes PORT from the environment.
import { startKeelServer } from './keel-server.mjs';

const args = process.argv.slice(2);
const flag = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const port = Number(flag('--port') ?? process.env.PORT ?? 0);
const quiet = args.includes('--quiet');

const server = await startKeelServer({ port, log: quiet ? undefined : (line) => console.log(`[keel-server] ${line}`) });
console.log(`Keel demo server: ${server.url}/`);
console.log(`  chat (Vite build):  ${server.url}/`);
console.log(`  chat (script tag):  ${server.url}/cdn.html`);
console.log(`  endpoints:          ${server.url.replace('http', 'ws')}/echo and /chat (WebSocket, and SockJS on the same paths)`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
