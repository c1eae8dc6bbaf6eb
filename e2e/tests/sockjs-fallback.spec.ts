import { expect, isSockjsChunk, recordRequests, snapshot, test } from './fixtures.js';
import { confirmedTexts, openChat, removeWebSocket, say } from './demo-page.js';

test.describe('SockJS fallback', () => {
  test('without window.WebSocket the chat works over SockJS, fetching the SockJS chunk', async ({ page, server }) => {
    await page.addInitScript(removeWebSocket);
    const requests = recordRequests(page);
    await openChat(page, { name: 'grace' });
    await expect(page.getByTestId('transport')).toHaveText('SockJS');
    // In-band negotiation with the bundled server stands in for Sec-WebSocket-Protocol.
    await expect(page.getByTestId('protocol')).toHaveText('keel.chat.v1');
    await say(page, 'hello from a page without WebSocket');
    await expect.poll(() => confirmedTexts(page)).toEqual(['hello from a page without WebSocket']);
    expect(requests.filter(isSockjsChunk)).toHaveLength(1);
    expect((await server.status()).peers).toEqual([
      expect.objectContaining({ transport: 'sockjs', endpoint: 'chat', protocol: 'keel.chat.v1' }),
    ]);
    await snapshot(page, 'demo-sockjs-no-websocket');
  });

  test('when the server refuses upgrades the chat falls back to SockJS', async ({ page, server }) => {
    await server.control('refuse-upgrades', { on: 1 });
    const requests = recordRequests(page);
    await openChat(page, { name: 'linus' });
    await expect(page.getByTestId('transport')).toHaveText('SockJS');
    await say(page, 'behind a proxy that blocks WebSocket');
    await expect.poll(() => confirmedTexts(page)).toEqual(['behind a proxy that blocks WebSocket']);
    expect(requests.filter(isSockjsChunk)).toHaveLength(1);
    // sockjs-client's own WebSocket transport is refused too: the session runs over HTTP streaming or polling.
    expect(requests.some((path) => /\/chat\/\d+\/[^/]+\/xhr/.test(path))).toBe(true);
    const { peers } = await server.status();
    expect(peers.map((peer) => peer.transport)).toEqual(['sockjs']);
  });

  test('a binary send over SockJS is refused with a typed error, text still flows', async ({ page, server }) => {
    await page.addInitScript(removeWebSocket);
    await page.goto('/pages/harness.html');
    await expect(page.locator('#status')).toHaveText('ready');
    const result = await page.evaluate(async (url) => {
      const { session, received } = harness.sessions[harness.open(url, {})];
      await new Promise<void>((resolve) => session.once('open', () => resolve()));
      let code = 'none';
      try {
        session.send(new Uint8Array([1, 2, 3]));
      } catch (error) {
        code = (error as { code?: string }).code ?? 'untyped';
      }
      session.send('text is fine');
      const deadline = Date.now() + 10_000;
      while (received.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return { code, transport: session.transport, received };
    }, `${server.wsUrl}/echo`);
    expect(result.transport).toBe('sockjs');
    expect(result.code).toMatch(/^ERR_/);
    expect(result.received).toEqual(['text is fine']);
  });
});
