import { expect, isSockjsChunk, recordRequests, test } from './fixtures.js';
import { openChat, say, confirmedTexts } from './demo-page.js';

test.describe('native WebSocket', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/pages/harness.html');
    await expect(page.locator('#status')).toHaveText('ready');
  });

  test('connects and echoes text and binary messages', async ({ page, server }) => {
    const result = await page.evaluate(async (url) => {
      const index = harness.open(url, { protocols: ['keel.echo.v1'] });
      const { session, received } = harness.sessions[index];
      await new Promise<void>((resolve) => session.once('open', () => resolve()));
      session.send('hello, Keel ✓');
      session.send(new Uint8Array([0, 1, 2, 127, 128, 255]));
      const deadline = Date.now() + 10_000;
      while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return { transport: session.transport, state: session.state, received };
    }, `${server.wsUrl}/echo`);
    expect(result.transport).toBe('websocket');
    expect(result.state).toBe('open');
    expect(result.received).toEqual(['hello, Keel ✓', [0, 1, 2, 127, 128, 255]]);
    const { peers } = await server.status();
    expect(peers).toEqual([expect.objectContaining({ transport: 'websocket', endpoint: 'echo', protocol: 'keel.echo.v1' })]);
  });

  test('selects the first offered subprotocol the server supports', async ({ page, server }) => {
    const protocol = await page.evaluate(async (url) => {
      const { session } = harness.sessions[harness.open(url, { protocols: ['keel.unknown.v9', 'keel.chat.v1'] })];
      await new Promise<void>((resolve) => session.once('open', () => resolve()));
      return session.protocol;
    }, `${server.wsUrl}/chat`);
    expect(protocol).toBe('keel.chat.v1');
    expect((await server.status()).peers).toEqual([expect.objectContaining({ transport: 'websocket', protocol: 'keel.chat.v1' })]);
  });

  test('the demo chat runs on WebSocket and never fetches the SockJS chunk', async ({ page }) => {
    const requests = recordRequests(page);
    await openChat(page, { name: 'ada' });
    await expect(page.getByTestId('transport')).toHaveText('WebSocket');
    await expect(page.getByTestId('protocol')).toHaveText('keel.chat.v1');
    await say(page, 'first message over WebSocket');
    await expect.poll(() => confirmedTexts(page)).toEqual(['first message over WebSocket']);
    expect(requests.some((path) => path.endsWith('.js'))).toBe(true);
    expect(requests.filter(isSockjsChunk)).toEqual([]);
  });
});

declare global {
  // The harness page's globals (e2e/pages/harness.ts), as seen from page.evaluate().
  const harness: {
    open(url: string, options?: Record<string, unknown>): number;
    sessions: {
      session: {
        readonly state: string;
        readonly transport: string;
        readonly protocol: string;
        send(data: string | Uint8Array): string;
        once(event: 'open', listener: () => void): void;
      };
      received: (string | number[])[];
      events: string[];
      times: number[];
    }[];
  };
}
