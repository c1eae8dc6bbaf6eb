import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectDeadline } from '../../src/node/connectivity/connect-deadline.js';
import { connectUnixSocket } from '../../src/node/connectivity/tcp-connect.js';
import { formatUnixSocketUrl, isUnixSocketUrl, parseUnixSocketUrl } from '../../src/node/connectivity/unix-socket-url.js';
import { openPipes, settleCount, stableCount } from './helpers/open-handles.js';
import { readUntil } from './helpers/origins.js';

describe('parseUnixSocketUrl', () => {
  const table: Array<[url: string, socketPath: string, resource: string]> = [
    ['ws+unix:/tmp/app.sock', '/tmp/app.sock', '/'],
    ['ws+unix:/tmp/app.sock:/chat', '/tmp/app.sock', '/chat'],
    ['ws+unix:/tmp/app.sock:/chat?room=1&x=y', '/tmp/app.sock', '/chat?room=1&x=y'],
    ['ws+unix:/tmp/app.sock?room=1', '/tmp/app.sock', '/?room=1'],
    ['ws+unix:///tmp/app.sock:/chat', '/tmp/app.sock', '/chat'],
    ['ws+unix:///tmp/app.sock', '/tmp/app.sock', '/'],
    ['ws+unix:/tmp/app.sock:', '/tmp/app.sock', '/'],
    ['ws+unix:/tmp/app.sock:chat', '/tmp/app.sock', '/chat'],
    ['ws+unix:/tmp/app.sock:/a:b', '/tmp/app.sock', '/a:b'],
    ['ws+unix:/var/run/my%20app.sock:/x', '/var/run/my app.sock', '/x'],
    ['ws+unix:/var/run/my app.sock:/x', '/var/run/my app.sock', '/x'],
    ['ws+unix:relative.sock:/x', 'relative.sock', '/x'],
    ['WS+UNIX:/tmp/app.sock:/x', '/tmp/app.sock', '/x'],
  ];
  it.each(table)('%s → %s + %s', (url, socketPath, resource) => {
    expect(parseUnixSocketUrl(url)).toEqual({ socketPath, resource, hostHeader: 'localhost' });
    expect(parseUnixSocketUrl(new URL(url)).socketPath).toBe(socketPath);
  });

  it.each([
    ['ws://localhost/x', 'another scheme'],
    ['ws+unix://tmp/app.sock', 'a host (two slashes)'],
    ['ws+unix:/tmp/app.sock:/x#frag', 'a fragment'],
    ['ws+unix:', 'no path'],
    ['ws+unix:/', 'only a slash'],
    ['ws+unix::/x', 'an empty socket path'],
    ['ws+unix:/tmp/%E0%A4%A.sock', 'bad percent-encoding'],
    ['ws+unix:/tmp/a%00b.sock', 'a NUL byte'],
    ['not a url', 'no URL at all'],
  ])('rejects %s (%s) with ERR_INVALID_URL', (url) => {
    expect(() => parseUnixSocketUrl(url)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_URL' }));
  });

  it('formats the inverse URL, escaping colons and spaces in the path', () => {
    const url = formatUnixSocketUrl('/tmp/odd:name here.sock', '/chat?x=1');
    expect(isUnixSocketUrl(url)).toBe(true);
    expect(parseUnixSocketUrl(url)).toEqual({ socketPath: '/tmp/odd:name here.sock', resource: '/chat?x=1', hostHeader: 'localhost' });
    expect(isUnixSocketUrl(new URL('ws://x'))).toBe(false);
  });
});

describe('connectUnixSocket', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function unixServer(): Promise<{ path: string; server: net.Server }> {
    const dir = mkdtempSync(join(tmpdir(), 'keel-unix-'));
    const path = join(dir, 'echo.sock');
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('hello unix\n');
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    cleanups.push(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });
    return { path, server };
  }

  it('connects to the socket named by a ws+unix: URL', async () => {
    const { path } = await unixServer();
    const target = parseUnixSocketUrl(formatUnixSocketUrl(path, '/chat'));
    const deadline = new ConnectDeadline({ timeout: 10_000 });
    const socket = await connectUnixSocket({ socketPath: target.socketPath, deadline });
    deadline.finish();
    cleanups.push(() => {
      socket.destroy();
    });
    expect(await readUntil(socket, '\n')).toBe('hello unix\n');
    socket.write('over unix\n');
    expect(await readUntil(socket, 'unix\n')).toBe('over unix\n');
  });

  it('reports a missing socket as ERR_CONNECT ENOENT and leaves no pipe open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-unix-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const before = await stableCount(openPipes);
    const deadline = new ConnectDeadline();
    await expect(connectUnixSocket({ socketPath: join(dir, 'absent.sock'), deadline })).rejects.toMatchObject({
      code: 'ERR_CONNECT',
      stage: 'tcp',
      systemCode: 'ENOENT',
    });
    deadline.finish();
    expect(await settleCount(openPipes, before)).toBeLessThanOrEqual(before);
  });
});
