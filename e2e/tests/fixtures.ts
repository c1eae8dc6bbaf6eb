import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page, type Request } from '@playwright/test';

/** Where the demo's screenshots go (besides being attached to the test's artifacts). */
export const screenshotDir = fileURLToPath(new URL('../../.reports/screenshots/', import.meta.url));

export interface Server {
  readonly url: string;
  readonly wsUrl: string;
  /** POSTs /control/<action>?<query> and returns its JSON answer. */
  control(action: string, query?: Record<string, string | number>): Promise<Record<string, unknown>>;
  status(): Promise<{
    refuseUpgrades: boolean;
    peers: { id: number; transport: string; endpoint: string; protocol: string; blackholed: boolean }[];
  }>;
}

/** Requests a page made, for checking which chunks were fetched. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request: Request) => urls.push(new URL(request.url()).pathname));
  return urls;
}

/** The lazily loaded SockJS chunk of a Vite build (named after sockjs-client's module). */
export const isSockjsChunk = (path: string): boolean => /\/assets\/[^/]*sockjs[^/]*\.js$/i.test(path);

export const test = base.extend<{ server: Server }>({
  baseURL: async ({}, use) => {
    await use(process.env.KEEL_E2E_URL);
  },
  server: async ({ request }, use) => {
    const url = process.env.KEEL_E2E_URL;
    if (!url) throw new Error('KEEL_E2E_URL is not set: the global setup did not start the server');
    const server: Server = {
      url,
      wsUrl: url.replace(/^http/, 'ws'),
      async control(action, query = {}) {
        const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
        const response = await request.post(`${url}/control/${action}?${search}`);
        expect(response.ok(), `control ${action}`).toBe(true);
        return (await response.json()) as Record<string, unknown>;
      },
      async status() {
        const response = await request.get(`${url}/control/status`);
        return (await response.json()) as Awaited<ReturnType<Server['status']>>;
      },
    };
    // Every test starts from a clean server: no connections, no rooms, upgrades allowed.
    await server.control('reset');
    await use(server);
    await server.control('reset');
  },
});

/** Saves a screenshot of the page as .reports/screenshots/<name>.png and attaches it to the test. */
export async function snapshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = `${screenshotDir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

export { expect };
