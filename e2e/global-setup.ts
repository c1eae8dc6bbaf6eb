import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startKeelServer } from './server/keel-server.mjs';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the demo and the test pages against the built `keel` package (run `pnpm build` first),
 * then starts the bundled server on an ephemeral port. Tests find it in KEEL_E2E_URL, which
 * Playwright passes on to its workers.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await build({ configFile: here('../demo/vite.config.ts') });
  await build({ configFile: here('./vite.config.ts') });
  const server = await startKeelServer({ port: 0 });
  process.env.KEEL_E2E_URL = server.url;
  return () => server.close();
}
