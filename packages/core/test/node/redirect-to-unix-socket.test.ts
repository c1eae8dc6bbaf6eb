import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedirectError } from '@keel/core';
import { tlsFixtures } from '../connectivity/helpers/tls-fixtures.js';
import { outcome } from '../websocket-connectivity/helpers/client.js';
import { useFixture } from '../websocket-connectivity/helpers/fixture.js';
import { startRoutingServer } from '../websocket-connectivity/helpers/servers.js';

/**
 * Issue 12: with followRedirects, a network server (ws:/wss:) must not be able to send the
 * client, its request and its custom headers to a Unix socket of the local machine. Such a
 * redirect fails with RedirectError ERR_REDIRECT and nothing connects to the socket.
 */

const { defer, own, connect } = useFixture();

/** A raw `node:net` server on a Unix socket that only counts the connections it gets. */
async function countingUnixServer(): Promise<{ socketPath: string; connections: () => number }> {
  const dir = mkdtempSync(join(tmpdir(), 'keel-redirect-'));
  const socketPath = join(dir, 'local.sock');
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => undefined);
  });
  server.listen(socketPath);
  await once(server, 'listening');
  defer(async () => {
    for (const socket of accepted) socket.destroy();
    server.close();
    await once(server, 'close');
    rmSync(dir, { recursive: true, force: true });
  });
  return { socketPath, connections: () => accepted.length };
}

describe('handshake redirects into the local machine', () => {
  for (const secure of [false, true]) {
    const scheme = secure ? 'wss' : 'ws';
    it(`refuses a redirect from ${scheme}: to ws+unix: (ERR_REDIRECT) even with allowInsecureRedirect; nothing reaches the socket`, async () => {
      const local = await countingUnixServer();
      const origin = await own(startRoutingServer(secure ? { tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert } } : {}));
      origin.routes.set('/start', { redirect: 307, location: `ws+unix:${local.socketPath}:/admin` });
      const result = await outcome(
        connect(`${scheme}://${secure ? 'localhost' : '127.0.0.1'}:${origin.port}/start`, {
          followRedirects: true,
          allowInsecureRedirect: true,
          headers: { 'X-Api-Key': 'secret' },
          ...(secure ? { ca: tlsFixtures.ca } : {}),
        }),
      );
      expect(result.opened).toBe(false);
      expect(result.error).toBeInstanceOf(RedirectError);
      expect(result.error?.code).toBe('ERR_REDIRECT');
      expect((result.error as RedirectError).status).toBe(307);
      expect(result.close.code).toBe(1006);
      expect(origin.upgrades.map((upgrade) => upgrade.url)).toEqual(['/start']);
      expect(local.connections()).toBe(0);
    });
  }
});
