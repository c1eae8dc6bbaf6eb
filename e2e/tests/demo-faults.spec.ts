import { expect, test } from './fixtures.js';
import { confirmedTexts, openChat, say } from './demo-page.js';

// The demo page's connection log and its fault switches (issue 11 #6), against the bundled server.

const clockTime = /^\d\d:\d\d:\d\d$/;
const logLines = (page: import('@playwright/test').Page): Promise<string[]> => page.getByTestId('log').locator('li').allTextContents();

test('a first connection over SockJS (after refused upgrades) is logged as a connection, in the one time format', async ({
  page,
  server,
}) => {
  await server.control('refuse-upgrades', { on: 1 });
  await openChat(page, { name: 'ada', room: 'fault-log' });
  await expect(page.getByTestId('transport')).toHaveText('SockJS');
  await say(page, 'over SockJS');
  await expect.poll(() => confirmedTexts(page)).toEqual(['over SockJS']);
  const lines = await logLines(page);
  expect(lines.filter((line) => / (re)?connected over /.test(line))).toEqual([
    expect.stringMatching(/^\d\d:\d\d:\d\d connected over sockjs after \d+ failed attempts?$/),
  ]);
  for (const line of lines) expect(line.slice(0, 8)).toMatch(clockTime);
  await expect(page.locator('[data-testid=messages] li.message .when')).toHaveText([clockTime]);
});

test('the fault switches on the page: drop, restart, block and allow WebSocket', async ({ page, server }) => {
  await openChat(page, { name: 'bob', room: 'fault-switches' });
  await expect(page.getByTestId('transport')).toHaveText('WebSocket');
  const opens = async (): Promise<string[]> =>
    (await logLines(page)).filter((line) => / (re)?connected over /.test(line)).map((line) => line.slice(9));

  await page.getByTestId('fault-drop').click();
  await expect.poll(opens).toEqual([expect.stringMatching(/^reconnected over websocket/), 'connected over websocket']);

  await page.getByTestId('fault-restart').click();
  await expect.poll(async () => (await opens()).length, { timeout: 30_000 }).toBe(3);
  await expect(page.getByTestId('state')).toHaveText('open');

  await page.getByTestId('fault-block').click();
  await expect(page.getByTestId('fault-block')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('transport')).toHaveText('SockJS', { timeout: 30_000 });
  expect((await server.status()).refuseUpgrades).toBe(true);
  await say(page, 'while WebSocket is blocked');
  await expect.poll(() => confirmedTexts(page)).toEqual(['while WebSocket is blocked']);

  await page.getByTestId('fault-block').click();
  await expect(page.getByTestId('fault-block')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('transport')).toHaveText('WebSocket', { timeout: 30_000 });
  expect((await server.status()).refuseUpgrades).toBe(false);
});
