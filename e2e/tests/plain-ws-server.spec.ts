import { expect, test } from './fixtures.js';
import { freePort, startPlainWs, type PlainWsServer } from './plain-ws.js';

// First contact (issue 11 #3, #4): the built `keel` in Chromium against a plain `ws` server that
// knows nothing of Keel (e2e/server/plain-ws.mjs, a child process per test), not the bundled one.

let plain: PlainWsServer | undefined;
test.afterEach(async () => {
  await plain?.stop();
  plain = undefined;
});

/** The messages the plain server received, in order, on its connection `id`. */
const receivedOn = (server: PlainWsServer, id: number): (string | number[])[] =>
  server.events.flatMap((event) => ('message' in event && event.message === id ? [event.data] : []));
const connections = (server: PlainWsServer): number => server.events.filter((event) => 'connection' in event).length;
const closes = (server: PlainWsServer): number => server.events.filter((event) => 'close' in event).length;

const sessionEvents = (page: import('@playwright/test').Page) =>
  page.evaluate(() => ({ events: harness.sessions[0].events, times: harness.sessions[0].times }));

// Default heartbeat (packages/session): interval 25 s + timeout 10 s. The page's clock is Playwright's
// fake one, so three times that passes at once; the WebSocket itself stays real.
const quietForMs = 3 * (25_000 + 10_000);

for (const mode of ['quiet', 'echo'] as const) {
  test(`a ${mode} plain ws server, quiet for longer than heartbeat interval + timeout: a default session sends nothing the app did not send and keeps its one connection`, async ({
    page,
  }) => {
    await page.clock.install();
    await page.goto('/pages/harness.html');
    await expect(page.locator('#status')).toHaveText('ready');
    plain = await startPlainWs(mode);
    const server = plain;
    await page.evaluate((url) => void harness.open(url), `ws://127.0.0.1:${server.port}/`);
    await expect.poll(async () => (await sessionEvents(page)).events).toContain('open websocket ');
    if (mode === 'echo') {
      await page.evaluate(() => void harness.sessions[0].session.send('from the app'));
      await expect.poll(() => page.evaluate(() => harness.sessions[0].received)).toEqual(['from the app']);
    }

    await page.clock.runFor(quietForMs);

    // A last message from the app: WebSocket keeps order, so anything the session sent on its own
    // before it has reached the server by the time this one has.
    await page.evaluate(() => void harness.sessions[0].session.send('last'));
    await expect.poll(() => server.events.some((event) => 'message' in event && event.data === 'last')).toBe(true);
    expect(receivedOn(server, 1)).toEqual(mode === 'echo' ? ['from the app', 'last'] : ['last']);
    expect(connections(server)).toBe(1);
    expect(closes(server)).toBe(0);
    const { events } = await sessionEvents(page);
    expect(events.filter((event) => event.startsWith('reconnecting') || event.startsWith('close'))).toEqual([]);
    expect(await page.evaluate(() => harness.sessions[0].session.state)).toBe('open');
  });
}

for (const protocols of [undefined, ['chat.v2', 'chat.v1']]) {
  test(`server down at page load, then up: opens over native WebSocket within one backoff delay${protocols ? ', with protocols (the session does not end)' : ''}`, async ({
    page,
  }) => {
    const port = await freePort();
    await page.goto('/pages/harness.html');
    await expect(page.locator('#status')).toHaveText('ready');
    await page.evaluate(([url, offered]) => void harness.open(url, offered ? { protocols: offered } : {}), [
      `ws://127.0.0.1:${port}/`,
      protocols,
    ] as const);
    // Two failed attempts: the old rule took that for a proxy and switched to SockJS.
    await expect
      .poll(async () => (await sessionEvents(page)).events.filter((event) => event.startsWith('reconnecting')).length)
      .toBeGreaterThanOrEqual(2);
    // Scenario timing, not knowledge: the server stays down 1 s more (more refused attempts).
    await page.waitForTimeout(1000);
    plain = await startPlainWs('echo', port);
    const server = plain;

    await expect
      .poll(async () => (await sessionEvents(page)).events.filter((event) => event.startsWith('open')))
      .toEqual([`open websocket ${protocols?.[0] ?? ''}`]);
    const { events, times } = await sessionEvents(page);
    // Within one backoff delay: at most the attempt already under way when the server came up
    // failed; the next one (after one delay) opened.
    const failedAfterUp = events.filter((event, index) => event.startsWith('reconnecting') && times[index]! > server.upAt);
    expect(failedAfterUp.length).toBeLessThanOrEqual(1);
    // Never SockJS (a plain server has none), never the end of the session.
    expect(events.filter((event) => event.startsWith('transport') || event.startsWith('close'))).toEqual([]);
    expect(events.filter((event) => event.startsWith('fallback')).every((event) => event === 'fallback no-sockjs-endpoint')).toBe(true);
    expect(connections(server)).toBe(1);
    await page.evaluate(() => void harness.sessions[0].session.send('after the outage'));
    await expect.poll(() => page.evaluate(() => harness.sessions[0].received)).toEqual(['after the outage']);
  });
}

test('a plain ws server behind a proxy that blocks WebSocket: SockJS is skipped (no-sockjs-endpoint) and the session keeps trying WebSocket', async ({
  page,
}) => {
  plain = await startPlainWs('blocked');
  const server = plain;
  await page.goto('/pages/harness.html');
  await expect(page.locator('#status')).toHaveText('ready');
  await page.evaluate((url) => void harness.open(url), `ws://127.0.0.1:${server.port}/feed`);
  // The page (another origin) looked at /feed/info: a 404 without CORS headers, still an answer.
  await expect.poll(async () => (await sessionEvents(page)).events).toContain('fallback no-sockjs-endpoint');
  expect(server.events).toContainEqual({ http: '/feed/info' });
  const refusedBefore = server.events.filter((event) => 'refused' in event).length;
  expect(refusedBefore).toBeGreaterThanOrEqual(2);
  // Native attempts go on; nothing ends the session and it never switches to SockJS.
  await expect.poll(() => server.events.filter((event) => 'refused' in event).length).toBeGreaterThan(refusedBefore);
  const { events } = await sessionEvents(page);
  expect(events.filter((event) => event.startsWith('transport') || event.startsWith('close') || event.startsWith('open'))).toEqual([]);
  expect(await page.evaluate(() => harness.sessions[0].session.state)).not.toBe('closed');
});
