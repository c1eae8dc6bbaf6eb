// Starts the demo: the bundled server (e2e/server) serving the chat built in demo/dist and the
// script-tag page demo/cdn.html, and prints the URL. PORT picks the port (default 8080; 0 = any free).
// The chat's history is kept on disk in DATA_DIR (default demo/.data, created if missing), so it
// survives a restart of this process, even a kill.
// With REDIS_URL (redis://127.0.0.1:6379) set, the chat and the resumable sessions are kept in that
// Redis instead, shared with every other demo process using it: run two behind
// demo/round-robin-proxy.mjs and a user's lines survive the loss of either (README, "Two processes").
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startKeelServer } from '@keel/e2e/server';
import { connectRedisSharing } from '@keel/e2e/server/redis';

const here = new URL('./', import.meta.url);
if (!existsSync(new URL('dist/index.html', here))) {
  console.error('demo/dist is missing: run `pnpm --filter ./demo build` (scripts/demo.sh does it).');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 8080);
const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('.data/', here));
const log = (line) => console.log(`[server] ${line}`);
const shared = process.env.REDIS_URL ? await connectRedisSharing(process.env.REDIS_URL, log) : undefined;
const options = shared ? { log, chat: shared.chat, resumeStore: shared.resumeStore } : { log, dataDir };
const server = await startKeelServer({ port, ...options }).catch((error) => {
  // 8080 taken by something else: any free port will do, the URL is printed below.
  if (error.code !== 'EADDRINUSE' || process.env.PORT !== undefined) throw error;
  return startKeelServer({ port: 0, ...options });
});
console.log('');
console.log(`  Keel chat demo:   ${server.url}/`);
console.log(`  script-tag page:  ${server.url}/cdn.html`);
console.log(`  open it in two windows (or ?name=ada&room=lobby), Ctrl+C to stop`);
console.log(`  chat history:     ${shared ? process.env.REDIS_URL : dataDir}`);
console.log('');
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(
    signal,
    () =>
      void server.close().then(() => {
        shared?.close();
        process.exit(0);
      }),
  );
