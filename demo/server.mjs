// Starts the demo: the bundled server (e2e/server) serving the chat built in demo/dist and the
// script-tag page demo/cdn.html, and prints the URL. PORT picks the port (default 8080; 0 = any free).
// The chat's history is kept on disk in DATA_DIR (default demo/.data, created if missing), so it
// survives a restart of this process, even a kill.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startKeelServer } from '@keel/e2e/server';

const here = new URL('./', import.meta.url);
if (!existsSync(new URL('dist/index.html', here))) {
  console.error('demo/dist is missing: run `pnpm --filter ./demo build` (scripts/demo.sh does it).');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 8080);
const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('.data/', here));
const log = (line) => console.log(`[server] ${line}`);
const server = await startKeelServer({ port, log, dataDir }).catch((error) => {
  // 8080 taken by something else: any free port will do, the URL is printed below.
  if (error.code !== 'EADDRINUSE' || process.env.PORT !== undefined) throw error;
  return startKeelServer({ port: 0, log, dataDir });
});
console.log('');
console.log(`  Keel chat demo:   ${server.url}/`);
console.log(`  script-tag page:  ${server.url}/cdn.html`);
console.log(`  open it in two windows (or ?name=ada&room=lobby), Ctrl+C to stop`);
console.log(`  chat history:     ${dataDir}`);
console.log('');
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close().then(() => process.exit(0)));
