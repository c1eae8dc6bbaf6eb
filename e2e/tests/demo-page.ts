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

/**
 * One user per name, each in a browser context of its own on `baseURL` (a demo process started by
 * the test), joined to `room`; waits until each session is open.
 */
export async function openUsers(browser: Browser, baseURL: string, names: string[], room: string): Promise<Page[]> {
  const pages: Page[] = [];
  for (const name of names) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto(`/?name=${name}&room=${room}`);
    await expect(page.getByTestId('state')).toHaveText('open');
    pages.push(page);
  }
  return pages;
}

/**
 * Waits until every page is open again, has nothing pending and shows `count` confirmed lines
 * (after a server process was lost), and returns each page's confirmed texts.
 */
export async function settledTexts(pages: Page[], count: number): Promise<string[][]> {
  for (const page of pages) {
    await expect(page.getByTestId('state')).toHaveText('open', { timeout: 30_000 });
    await expect(page.locator('[data-testid=messages] li.pending')).toHaveCount(0, { timeout: 30_000 });
    await expect.poll(async () => (await confirmedTexts(page)).length, { timeout: 30_000 }).toBe(count);
  }
  return Promise.all(pages.map((page) => confirmedTexts(page)));
}

/** The server-confirmed lines' message numbers, in display order. */
export function confirmedSeqs(page: Page): Promise<number[]> {
  return page
    .locator('[data-testid=messages] li.message:not(.pending)')
    .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.seq)));
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
