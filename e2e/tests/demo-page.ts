import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect } from './fixtures.js';

export interface ChatOptions {
  readonly name: string;
  readonly room?: string;
  /** Extra URL parameters of the demo (heartbeat, heartbeatTimeout…). */
  readonly query?: Record<string, string | number>;
}

/** Opens the demo chat, joined to a room, and waits until the session is open. */
export async function openChat(page: Page, options: ChatOptions): Promise<void> {
  const query = new URLSearchParams({ name: options.name, room: options.room ?? 'lobby' });
  for (const [key, value] of Object.entries(options.query ?? {})) query.set(key, String(value));
  await page.goto(`/?${query}`);
  await expect(page.getByTestId('state')).toHaveText('open');
  await expect(page.getByTestId('members')).toContainText(options.name);
}

/** Types a message and presses Enter, as a user would. */
export async function say(page: Page, text: string): Promise<void> {
  await page.getByTestId('text').fill(text);
  await page.getByTestId('text').press('Enter');
}

/** The texts of the room's messages as confirmed by the server, in display order. */
export function confirmedTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid=messages] li.message:not(.pending) .body').allTextContents();
}

/** A fresh browser context (its own cookies and storage: another user); without WebSocket when asked. */
export async function userContext(browser: Browser, transport: 'websocket' | 'sockjs'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: process.env.KEEL_E2E_URL, viewport: { width: 1100, height: 720 } });
  if (transport === 'sockjs') await context.addInitScript(removeWebSocket);
  return context;
}

/** Runs in the page before its scripts: a browser (or a policy) without WebSocket. */
export function removeWebSocket(): void {
  delete (window as { WebSocket?: unknown }).WebSocket;
}

/** On the script-tag page (demo/cdn.html): waits for the session, joins as `name`, sends `text`. */
export async function cdnJoinAndSay(page: Page, name: string, text: string): Promise<void> {
  await expect(page.getByTestId('state')).toHaveText('open');
  await page.getByTestId('name').fill(name);
  await page.getByTestId('join').click();
  await page.getByTestId('text').fill(text);
  await page.getByTestId('send').click();
}
