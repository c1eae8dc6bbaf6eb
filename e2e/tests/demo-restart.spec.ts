import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { confirmedSeqs, confirmedTexts, openUsers, say, settledTexts } from './demo-page.js';
import { startDemo, type DemoProcess } from './demo-process.js';
import { freePort } from './plain-ws.js';

// Issue 11 #6: the demo with its server process really killed (SIGKILL) and started again, on the
// same port with the same data folder — not the bundled server's in-memory restart.

let demo: DemoProcess | undefined;
let dataDir: string | undefined;
test.afterEach(async () => {
  await demo?.kill('SIGTERM');
  demo = undefined;
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

test('killed with SIGKILL and started again: every line typed while down reaches both users once, in order, and history survives', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  dataDir = mkdtempSync(join(tmpdir(), 'keel-demo-data-'));
  const port = await freePort();
  demo = await startDemo(port, dataDir);
  const pages = await openUsers(browser, demo.url, ['ada', 'bob'], 'restart');
  const [ada, bob] = pages as [Page, Page];
  await expect(ada.getByTestId('members')).toHaveText('ada, bob');
  await say(ada, 'before the kill');
  for (const page of pages) await expect.poll(() => confirmedTexts(page)).toEqual(['before the kill']);

  await demo.kill('SIGKILL');
  for (const page of pages) await expect(page.getByTestId('state')).not.toHaveText('open');
  const typedWhileDown = { ada: ['ada 1 while down', 'ada 2 while down'], bob: ['bob 1 while down', 'bob 2 while down'] };
  for (const [page, lines] of [
    [ada, typedWhileDown.ada],
    [bob, typedWhileDown.bob],
  ] as const) {
    for (const line of lines) await say(page, line);
    await expect(page.locator('[data-testid=messages] li.pending')).toHaveCount(lines.length);
  }

  demo = await startDemo(port, dataDir);
  const all = ['before the kill', ...typedWhileDown.ada, ...typedWhileDown.bob];
  const seen = await settledTexts(pages, all.length);
  // Each line exactly once; each user's lines in the order typed; both users see one order.
  for (const texts of seen) {
    expect([...texts].sort()).toEqual([...all].sort());
    expect(texts[0]).toBe('before the kill');
    expect(texts.filter((text) => text.startsWith('ada'))).toEqual(typedWhileDown.ada);
    expect(texts.filter((text) => text.startsWith('bob'))).toEqual(typedWhileDown.bob);
  }
  expect(seen[1]).toEqual(seen[0]);
  // Message numbers continue across the restart (1 before, then 2..5), never reused.
  for (const page of pages) expect(await confirmedSeqs(page)).toEqual([1, 2, 3, 4, 5]);

  // History survives: on disk, in order, and served to a member who comes back.
  const logged = readFileSync(join(dataDir, 'chat.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { text: string }).text);
  expect(logged).toEqual(seen[0]);
  await demo.kill('SIGKILL');
  demo = await startDemo(port, dataDir);
  const status = (await (await fetch(`${demo.url}/control/status`)).json()) as { rooms: Record<string, { seq: number }> };
  expect(status.rooms.restart?.seq).toBe(5);
  for (const page of pages) await expect(page.getByTestId('state')).toHaveText('open', { timeout: 30_000 });
  await say(bob, 'after the second restart');
  for (const page of pages) await expect.poll(() => confirmedSeqs(page), { timeout: 30_000 }).toEqual([1, 2, 3, 4, 5, 6]);
});
