import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectStageError } from '@keel/core';
import { startConnectProxy } from '../connectivity/helpers/connect-proxy.js';
import { openPipes, settleCount, stableCount } from '../connectivity/helpers/open-handles.js';
import { closeNormally, echo, opened, outcome } from './helpers/client.js';
import { useFixture } from './helpers/fixture.js';
import { startEchoServer, type EchoServer } from './helpers/servers.js';

const { defer, own, connect } = useFixture();
const unixServer = (socketPath: string): Promise<EchoServer> => own(startEchoServer({ socketPath }));

/** A fresh directory in os.tmpdir() (with a space in its name, to exercise percent-decoding). */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel ws-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The ws+unix: URL of `socketPath` (percent-encoded) followed by `:` and `resource`. */
function unixUrl(socketPath: string, resource?: string): string {
  const encoded = socketPath.split('/').map(encodeURIComponent).join('/');
  return resource === undefined ? `ws+unix:${encoded}` : `ws+unix:${encoded}:${resource}`;
}

describe('WebSocket over a Unix socket (ws+unix:)', () => {
  it('reaches a ws server on an http.Server listening on a socket path; the request path and query reach it', async () => {
    const socketPath = join(tempDir(), 'ws.sock');
    const server = await unixServer(socketPath);
    const ws = connect(unixUrl(socketPath, '/chat?room=1'));
    await opened(ws);
    expect(await echo(ws, 'over a pipe')).toBe('over a pipe');
    expect((await closeNormally(ws)).wasClean).toBe(true);
    expect(server.upgrades).toHaveLength(1);
    expect(server.upgrades[0]?.url).toBe('/chat?room=1');
    expect(server.upgrades[0]?.headers.host).toBe('localhost');
  });

  it('requests / when the URL names only the socket, and accepts the ws+unix:/// form', async () => {
    const socketPath = join(tempDir(), 'ws.sock');
    const server = await unixServer(socketPath);
    for (const url of [unixUrl(socketPath), `ws+unix://${unixUrl(socketPath, '/x/y').slice('ws+unix:'.length)}`]) {
      const ws = connect(url);
      await opened(ws);
      await closeNormally(ws);
    }
    expect(server.upgrades.map((upgrade) => upgrade.url)).toEqual(['/', '/x/y']);
  });

  it('is never proxied, even with a proxy in the environment', async () => {
    const socketPath = join(tempDir(), 'ws.sock');
    const server = await unixServer(socketPath);
    const proxy = await own(startConnectProxy());
    const ws = connect(unixUrl(socketPath, '/direct'), { env: { HTTP_PROXY: proxy.url.href, ALL_PROXY: proxy.url.href } });
    await opened(ws);
    await closeNormally(ws);
    expect(proxy.requests).toHaveLength(0);
    expect(server.upgrades).toHaveLength(1);
  });

  it('fails with ERR_CONNECT (ENOENT) when no socket exists at the path', async () => {
    const socketPath = join(tempDir(), 'missing.sock');
    const result = await outcome(connect(unixUrl(socketPath, '/')));
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(ConnectStageError);
    expect(result.error?.code).toBe('ERR_CONNECT');
    expect((result.error as ConnectStageError).systemCode).toBe('ENOENT');
    expect(result.close.code).toBe(1006);
  });

  it('leaves no pipe open after the connection closed', async () => {
    const socketPath = join(tempDir(), 'ws.sock');
    await unixServer(socketPath);
    const baseline = await stableCount(openPipes);
    const ws = connect(unixUrl(socketPath, '/'));
    await opened(ws);
    expect(openPipes()).toBeGreaterThan(baseline);
    await closeNormally(ws);
    expect(await settleCount(openPipes, baseline)).toBe(baseline);
  });
});
