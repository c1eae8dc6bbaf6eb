import { expect, test } from './fixtures.js';
import { openChat, removeWebSocket, say, confirmedTexts } from './demo-page.js';

// The demo's heartbeat, shortened through its URL parameters: a ping every second, and a link
// with no answer one second after a ping is dead. Detection is bounded by interval + timeout;
// the replacement adds at most the first reconnect delay (1 s) and a handshake.
const heartbeat = { heartbeat: 1000, heartbeatTimeout: 1000 };
const detectionBoundMs = heartbeat.heartbeat + heartbeat.heartbeatTimeout;
const replacementBoundMs = detectionBoundMs + 1000 + 2000;

for (const transport of ['websocket', 'sockjs'] as const) {
  test(`a black-holed ${transport} connection is detected and replaced within the configured bound`, async ({ page, server }) => {
    if (transport === 'sockjs') await page.addInitScript(removeWebSocket);
    await openChat(page, { name: 'ada', query: heartbeat });
    await expect(page.getByTestId('rtt')).toHaveText(/^\d+ ms$/);
    const before = (await server.status()).peers;
    expect(before).toEqual([expect.objectContaining({ transport, blackholed: false })]);

    const blackHoledAt = Date.now();
    await server.control('black-hole');
    await expect(page.getByTestId('state')).not.toHaveText('open', { timeout: detectionBoundMs + 1000 });
    const detectedAfter = Date.now() - blackHoledAt;
    await expect(page.getByTestId('state')).toHaveText('open', { timeout: replacementBoundMs });
    const replacedAfter = Date.now() - blackHoledAt;
    test.info().annotations.push({ type: 'timing', description: `${transport}: dead link detected after ${detectedAfter} ms, replaced after ${replacedAfter} ms` });

    await expect(page.getByTestId('log')).toContainText('ERR_HEARTBEAT_TIMEOUT');
    const after = (await server.status()).peers.filter((peer) => !peer.blackholed);
    expect(after).toEqual([expect.objectContaining({ transport, blackholed: false })]);
    expect(after[0].id).not.toBe(before[0].id);
    await say(page, 'alive again');
    await expect.poll(() => confirmedTexts(page)).toEqual(['alive again']);
  });
}
