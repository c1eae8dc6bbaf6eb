import type { Page } from '@playwright/test';
import { expect, snapshot, test, type Server } from './fixtures.js';
import { confirmedTexts, openChat, say } from './demo-page.js';

/**
 * The demo's reconnect delays are capped at 10 s (full jitter), so after the server is back the
 * next attempt may still be up to 10 s away: a reconnect is awaited that long plus a margin.
 */
const reconnectTimeout = { timeout: 30_000 };

/** Three messages typed by ada while her connection is down; bob must get each once, in order. */
const typedWhileDown = ['one (typed while down)', 'two (typed while down)', 'three (typed while down)'];

async function typeWhileDown(ada: Page): Promise<void> {
  await expect(ada.getByTestId('state')).not.toHaveText('open');
  for (const text of typedWhileDown) await say(ada, text);
  // The demo resumes its sessions: the queue also holds what was sent and not yet acknowledged (the
  // line before the outage, when the cut came before its batched ack).
  await expect(ada.getByTestId('queued')).toHaveText(new RegExp(`^(${typedWhileDown.length}|${typedWhileDown.length + 1})$`));
  await expect(ada.locator('[data-testid=messages] li.pending')).toHaveCount(typedWhileDown.length);
}

async function expectDeliveredOnceInOrder(ada: Page, bob: Page, before: string[]): Promise<void> {
  const expected = [...before, ...typedWhileDown];
  await expect.poll(() => confirmedTexts(bob), reconnectTimeout).toEqual(expected);
  await expect.poll(() => confirmedTexts(ada)).toEqual(expected);
  await expect(ada.getByTestId('queued')).toHaveText('0');
  await expect(ada.locator('[data-testid=messages] li.pending')).toHaveCount(0);
}

async function twoUsers(server: Server, ada: Page, bob: Page): Promise<void> {
  await openChat(ada, { name: 'ada' });
  await openChat(bob, { name: 'bob' });
  await say(ada, 'before the outage');
  await expect.poll(() => confirmedTexts(bob)).toEqual(['before the outage']);
  expect((await server.status()).peers).toHaveLength(2);
}

test.describe('reconnect', () => {
  test('after the server drops every connection, messages typed while down arrive once, in order', async ({ page, browser, server }) => {
    const bobContext = await browser.newContext({ baseURL: server.url });
    const bob = await bobContext.newPage();
    await twoUsers(server, page, bob);
    // Keep the server unreachable after the drop, so there is time to type: upgrades are refused.
    await server.control('refuse-upgrades', { on: 1 });
    await server.control('drop-all');
    await typeWhileDown(page);
    await expect(page.getByTestId('reconnect')).toContainText('attempt');
    await server.control('refuse-upgrades', { on: 0 });
    await expect(page.getByTestId('state')).toHaveText('open', reconnectTimeout);
    // An outage after a successful native open is not a blocking proxy: still WebSocket.
    await expect(page.getByTestId('transport')).toHaveText('WebSocket');
    await expectDeliveredOnceInOrder(page, bob, ['before the outage']);
    await bobContext.close();
  });

  test('after a server restart, messages typed while down arrive once, in order', async ({ page, browser, server }) => {
    const bobContext = await browser.newContext({ baseURL: server.url });
    const bob = await bobContext.newPage();
    await twoUsers(server, page, bob);
    await server.control('restart', { downMs: 4000 });
    await expect(page.getByTestId('state')).toHaveText(/reconnecting|connecting/);
    await typeWhileDown(page);
    await snapshot(page, 'demo-reconnecting-queued');
    await expect(page.getByTestId('state')).toHaveText('open', reconnectTimeout);
    await expectDeliveredOnceInOrder(page, bob, ['before the outage']);
    await expect(page.getByTestId('transport')).toHaveText('WebSocket');
    await bobContext.close();
  });

  test('a server close in 4500-4999 is retried; one in 4000-4499 ends the session', async ({ page, server }) => {
    await openChat(page, { name: 'ada' });
    await server.control('close', { code: 4500, reason: 'try again' });
    await expect(page.getByTestId('log')).toContainText('closed 4500');
    await expect(page.getByTestId('state')).toHaveText('open');
    await say(page, 'back again');
    await expect.poll(() => confirmedTexts(page)).toEqual(['back again']);
    await server.control('close', { code: 4001, reason: 'kicked' });
    await expect(page.getByTestId('state')).toHaveText('closed');
    await expect(page.getByTestId('log')).toContainText('session closed: 4001');
    await expect(page.getByTestId('send')).toBeDisabled();
    await snapshot(page, 'demo-closed-4001');
  });
});
