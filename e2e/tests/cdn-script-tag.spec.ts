import { expect, recordRequests, test } from './fixtures.js';
import { cdnJoinAndSay, removeWebSocket } from './demo-page.js';

test('the script-tag page chats through the global Keel with no bundler', async ({ page, server }) => {
  const requests = recordRequests(page);
  await page.goto('/cdn.html');
  expect(await page.evaluate(() => typeof (window as { Keel?: { connect?: unknown } }).Keel?.connect)).toBe('function');
  await cdnJoinAndSay(page, 'tim', 'sent from a plain <script> page');
  await expect(page.getByTestId('transport')).toHaveText('WebSocket');
  await expect(page.getByTestId('messages').locator('li:not(.notice)')).toHaveText(['timsent from a plain <script> page']);
  // The page's only script: the CDN bundle (no module graph, no Vite chunks).
  expect(requests.filter((path) => path.endsWith('.js'))).toEqual(['/keel/keel.min.js']);
  expect((await server.status()).peers).toEqual([expect.objectContaining({ transport: 'websocket', protocol: 'keel.chat.v1' })]);
});

test('the script-tag page falls back to SockJS without WebSocket, loading keel-sockjs.min.js', async ({ page, server }) => {
  const requests = recordRequests(page);
  await page.addInitScript(removeWebSocket);
  await page.goto('/cdn.html');
  await cdnJoinAndSay(page, 'tim', 'script tag over SockJS');
  await expect(page.getByTestId('transport')).toHaveText('SockJS');
  await expect(page.getByTestId('messages').locator('li:not(.notice)')).toHaveText(['timscript tag over SockJS']);
  expect(requests.filter((path) => path.endsWith('.js'))).toEqual(['/keel/keel.min.js', '/keel/keel-sockjs.min.js']);
  expect((await server.status()).peers).toEqual([expect.objectContaining({ transport: 'sockjs', protocol: 'keel.chat.v1' })]);
});
