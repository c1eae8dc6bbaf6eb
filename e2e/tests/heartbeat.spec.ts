import { expect, test } from './fixtures.js';
import { openChat, removeWebSocket, say, confirmedTexts } from './demo-page.js';

// The demo's heartbeat, shortened through its URL parameters: a ping every second, and a link
// with no answer one second after a ping is dead. The session's bound is interval + timeout after
// the last sign of life, plus one more timeout when its timer fired late (it re-probes once rather
// than trust a throttled timer); the margin covers a loaded 2-core machine. The replacement adds
// at most the first reconnect delay (1 s) and a handshake.
const heartbeat = { heartbeat: 1000, heartbeatTimeout: 1000 };
const marginMs = 2000;
const detectionBoundMs = heartbeat.heartbeat + 2 * heartbeat.heartbeatTimeout + marginMs;
const replacementBoundMs = detectionBoundMs + 1000 + marginMs;

for (const transport of ['websocket', 'sockjs'] as const) {
  test(`a black-holed ${transport} connection is detected and replaced within the configured bound`, async ({ page, server }) => {
    if (transport === 'sockjs') await page.addInitScript(removeWebSocket);
    await openChat(page, { name: 'ada', query: heartbeat });
    await expect(page.getByTestId('rtt')).toHaveText(/^\d+ ms$/);
    const before = (await server.status()).peers;
    expect(before).toEqual([expect.objectContaining({ transport, blackholed: false })]);

    const blackHoledAt = Date.now();
    await server.control('black-hole');
    // The panel's log records the detection; the non-open state itself can be shorter than a
    // Playwright poll (the first retry may come within a few hundred ms), so it is not what we wait for.
    await expect(page.getByTestId('log')).toContainText('ERR_HEARTBEAT_TIMEOUT', { timeout: detectionBoundMs });
    const detectedAfter = Date.now() - blackHoledAt;
    await expect(page.getByTestId('state')).toHaveText('open', { timeout: replacementBoundMs - (Date.now() - blackHoledAt) });
    const replacedAfter = Date.now() - blackHoledAt;
    // In Prettier's stable shape: from the one-line form it needs two passes to settle.
    test.info().annotations.push({
      type: 'timing',
      description: `${transport}: dead link detected after ${detectedAfter} ms, replaced after ${replacedAfter} ms`,
    });

    const after = (await server.status()).peers.filter((peer) => !peer.blackholed);
    expect(after).toEqual([expect.objectContaining({ transport, blackholed: false })]);
    expect(after[0].id).not.toBe(before[0].id);
    await say(page, 'alive again');
    await expect.poll(() => confirmedTexts(page)).toEqual(['alive again']);
  });
}
