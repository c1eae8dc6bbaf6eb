import { expect, snapshot, test } from './fixtures.js';
import { cdnJoinAndSay, confirmedTexts, openChat, say } from './demo-page.js';

const longWord = `https://example.com/${'a-very-long-path-segment-'.repeat(12)}end`;
const longText = `${'This is a long message that has to wrap across several lines of the chat instead of widening it. '.repeat(4)}\nA second line.`;

test('the join form before joining', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('state')).toHaveText('open');
  await expect(page.getByTestId('transport')).toHaveText('WebSocket');
  await expect(page.getByTestId('join')).toBeVisible();
  await snapshot(page, 'demo-join-form');
});

test('long messages wrap inside the chat, on a desktop and a narrow screen', async ({ page }) => {
  await openChat(page, { name: 'ada', room: 'long-messages' });
  await say(page, longText);
  await say(page, longWord);
  await say(page, 'short one');
  await expect.poll(() => confirmedTexts(page)).toEqual([longText, longWord, 'short one']);
  await expect(page.getByTestId('rtt')).toHaveText(/^\d+ ms$/, { timeout: 20_000 });
  const overflow = () => page.getByTestId('messages').evaluate((list) => ({ scroll: list.scrollWidth, client: list.clientWidth }));
  const wide = await overflow();
  expect(wide.scroll).toBeLessThanOrEqual(wide.client);
  const lines = await page
    .locator('[data-testid=messages] li.message .body')
    .first()
    .evaluate((body) => Math.round(body.getBoundingClientRect().height / parseFloat(getComputedStyle(body).lineHeight)));
  expect(lines).toBeGreaterThan(2);
  await snapshot(page, 'demo-open-long-messages');

  await page.setViewportSize({ width: 390, height: 800 });
  const narrow = await overflow();
  expect(narrow.scroll).toBeLessThanOrEqual(narrow.client);
  await snapshot(page, 'demo-narrow-screen');
});

test('the script-tag page, open', async ({ page }) => {
  await page.goto('/cdn.html');
  await cdnJoinAndSay(page, 'tim', longWord);
  await expect(page.getByTestId('messages').locator('li:not(.notice)')).toHaveCount(1);
  await snapshot(page, 'cdn-open');
});
