import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@keel/core';
import { resumable, type NotResumedInfo, type OpenInfo } from '@keel/session';
import { TcpProxy } from '../../core/test/session/helpers/tcp-proxy.js';
import { until } from '../../core/test/session/helpers/ws-server.js';
import { RedisProcess } from './helpers/redis-server.js';

// Issue 15: a server process killed (SIGKILL) and another started with the Redis store: the
// session resumes on the new process with nothing lost. Real processes, a real redis-server.
const fixture = fileURLToPath(new URL('./fixtures/resume-echo-server.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

beforeAll(() => {
  if (!existsSync(built)) throw new Error('packages/server/dist missing: run `pnpm build` first');
});

/** Starts the echo server process; resolves with its port once it listens. Killed by PID after the test. */
async function serverProcess(redisUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, REDIS_URL: redisUrl }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    await exited;
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server process did not start: ${out}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /\{"port":(\d+)\}/.exec(out);
      if (line !== null) {
        clearTimeout(timer);
        resolve(Number(line[1]));
      }
    });
  });
  return { child, port };
}

describe('Redis store: resuming on another server process', () => {
  it('a server process killed mid-stream and another started: the session resumes there with nothing lost or duplicated', async () => {
    const redis = await RedisProcess.start();
    cleanups.push(() => redis.stop());
    const first = await serverProcess(redis.url);
    const proxy = await TcpProxy.start(first.port);
    cleanups.push(() => proxy.close());
    const session = connect(proxy.url, {
      resume: resumable(),
      reconnect: { initialDelay: 10, maxDelay: 100, minUptime: 50 },
      heartbeat: false,
      keepProcessAlive: false,
    });
    cleanups.push(() => (session.state === 'closed' ? Promise.resolve() : session.close()));
    const opens: OpenInfo[] = [];
    const notResumed: NotResumedInfo[] = [];
    const echoes: string[] = [];
    session.on('open', (info) => opens.push(info));
    session.on('notResumed', (info) => notResumed.push(info));
    session.on('message', (data) => echoes.push(String(data)));
    await until(() => session.state === 'open');

    const total = 600;
    let second: { child: ChildProcess; port: number } | undefined;
    for (let i = 0; i < total; i++) {
      session.send(`c${i}`);
      // Pacing, not knowledge: spreads the sends so the kill below falls mid-stream.
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
      if (i === 250) {
        // The first process dies with messages in flight both ways; the next one shares only Redis.
        process.kill(first.child.pid as number, 'SIGKILL');
        second = await serverProcess(redis.url);
        proxy.targetPort = second.port;
      }
    }
    await until(() => echoes.length >= total, 30_000);
    // A barrier through the same ordered stream: once its echo is back, every echo the server sent
    // before it (a late duplicate included) has arrived.
    session.send('barrier');
    await until(() => echoes.includes('echo:barrier'));
    expect(echoes).toEqual([...Array.from({ length: total }, (_, i) => `echo:c${i}`), 'echo:barrier']);
    expect(notResumed).toEqual([]);
    expect(opens.at(-1)).toMatchObject({ resumed: true, delivery: 'exactly-once' });
    expect(second).toBeDefined();
  });
});
