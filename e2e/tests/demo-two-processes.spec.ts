import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { RedisProcess } from '../../packages/server/test/helpers/redis-server.js';
import { expect, test } from './fixtures.js';
import { confirmedSeqs, confirmedTexts, openUsers, say, settledTexts } from './demo-page.js';
import { startDemo, type DemoProcess } from './demo-process.js';

// Issue 15: the demo as two processes sharing one Redis (REDIS_URL) behind demo/round-robin-proxy.mjs;
// a user's lines survive the loss (SIGKILL) of either process.

const proxyScript = fileURLToPath(new URL('../../demo/round-robin-proxy.mjs', import.meta.url));

interface ProxyProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the round-robin proxy on a free port in front of `backends`, and waits for its URL. */
function startProxy(backends: string[]): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [proxyScript, '0', ...backends], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code, signal) => reject(new Error(`round-robin-proxy.mjs exited (${code ?? signal}):\n${output}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = /round-robin proxy: (http:\/\/\S+)/.exec(output);
      if (found) {
        resolve({
          url: found[1]!,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
            await exited;
          },
        });
      }
    });
  });
}

/** How many chat connections a demo process holds (its /control/status, asked directly). */
async function chatLinks(demo: DemoProcess): Promise<number> {
  const status = (await (await fetch(`${demo.url}/control/status`)).json()) as { peers: { endpoint: string }[] };
  return status.peers.filter((peer) => peer.endpoint === 'chat').length;
}

let redis: RedisProcess | undefined;
let demos: DemoProcess[] = [];
let proxy: ProxyProcess | undefined;
let dataDir: string | undefined;
test.afterEach(async () => {
  await proxy?.stop();
  for (const demo of demos) await demo.kill('SIGTERM');
  await redis?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  [redis, demos, proxy, dataDir] = [undefined, [], undefined, undefined];
});

test('two processes behind the round-robin proxy: after one is killed (SIGKILL) every line reaches both users once, in order', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  redis = await RedisProcess.start();
  // Unused with REDIS_URL: a folder of its own so that nothing lands in demo/.data.
  dataDir = mkdtempSync(join(tmpdir(), 'keel-demo-data-'));
  for (let i = 0; i < 2; i++) demos.push(await startDemo(0, dataDir, { REDIS_URL: redis.url }));
  proxy = await startProxy(demos.map((demo) => new URL(demo.url).host));

  const pages = await openUsers(browser, proxy.url, ['ada', 'bob'], 'two');
  const [ada, bob] = pages as [Page, Page];
  await say(ada, 'before the kill');
  await say(bob, 'bob before the kill');
  for (const page of pages) await expect.poll(() => confirmedTexts(page)).toEqual(['before the kill', 'bob before the kill']);

  // Kill a process that holds at least one of the two users (the proxy may have put both on one).
  const links = await Promise.all(demos.map((demo) => chatLinks(demo)));
  expect(links[0]! + links[1]!).toBe(2);
  const victim = links[0]! > 0 ? 0 : 1;
  await demos[victim]!.kill('SIGKILL');
  const typed = { ada: ['ada 1 after the kill', 'ada 2 after the kill'], bob: ['bob 1 after the kill', 'bob 2 after the kill'] };
  for (let i = 0; i < 2; i++) {
    await say(ada, typed.ada[i]!);
    await say(bob, typed.bob[i]!);
  }

  const all = ['before the kill', 'bob before the kill', ...typed.ada, ...typed.bob];
  const seen = await settledTexts(pages, all.length);
  // Each line exactly once; each user's lines in the order typed; both users see one order.
  for (const texts of seen) {
    expect([...texts].sort()).toEqual([...all].sort());
    expect(texts.slice(0, 2)).toEqual(['before the kill', 'bob before the kill']);
    expect(texts.filter((text) => /^ada \d/.test(text))).toEqual(typed.ada);
    expect(texts.filter((text) => /^bob \d/.test(text))).toEqual(typed.bob);
  }
  expect(seen[1]).toEqual(seen[0]);
  // One numbering for both processes: 1..6, none reused or skipped.
  for (const page of pages) expect(await confirmedSeqs(page)).toEqual([1, 2, 3, 4, 5, 6]);
  // Both users are now served by the process left.
  expect(await chatLinks(demos[1 - victim]!)).toBe(2);
});
