import { expect, recordRequests, test } from './fixtures.js';

test('the script-tag page chats through the global Keel with no bundler', async ({ page, server }) => {
  const requests = recordRequests(page);
  await page.goto('/cdn.html');
  expect(await page.evaluate(() => typeof (window as { Keel?: { connect?: unknown } }).Keel?.connect)).toBe('function');
  await expect(page.getByTestId('state')).toHaveText('open');
  await expect(page.getByTestId('transport')).toHaveText('WebSocket');
  await page.getByTestId('name').fill('tim');
  await page.getByTestId('join').click();
  await page.getByTestId('text').fill('sent from a plain <script> page');
  await page.getByTestId('send').click();
  await expect(page.getByTestId('messages').locator('li:not(.notice)')).toHaveText(['timsent from a plain <script> page']);
  // The page's only scripts: the CDN bundle (and no module graph, no Vite chunks).
  const scripts = requests.filter((path) => path.endsWith('.js'));
  expect(scripts).toEqual(['/keel/keel.min.js']);
  expect((await server.status()).peers).toEqual([expect.objectContaining({ transport: 'websocket', protocol: 'keel.chat.v1' })]);
});

test('the script-tag page falls back to SockJS without WebSocket', async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as { WebSocket?: unknown }).WebSocket;
  });
  await page.goto('/cdn.html');
  await expect(page.getByTestId('state')).toHaveText('open');
  await expect(page.getByTestId('transport')).toHaveText('SockJS');
  await page.getByTestId('name').fill('tim');
  await page.getByTestId('join').click();
  await page.getByTestId('text').fill('script tag over SockJS');
  await page.getByTestId('send').click();
  await expect(page.getByTestId('messages').locator('li:not(.notice)')).toHaveText(['timscript tag over SockJS']);
});
