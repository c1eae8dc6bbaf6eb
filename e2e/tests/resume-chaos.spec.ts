import { seededRandom, testSeed } from '../../packages/core/test/session/helpers/seeded-random.js';
import { expect, test } from './fixtures.js';
import { removeWebSocket } from './demo-page.js';

// Issue 15's browser chaos: a page on SockJS (no WebSocket in the window) resumes its session with
// the bundled server (@keel/server) while every SockJS connection is cut every 250–750 ms; 500
// messages go each way (/echo sends each one back): 0 lost, 0 duplicated, in order. Bounded: the
// cuts stop after 60 s whatever happened, then the test fails on what arrived.

const TOTAL = 500;

/** What the test reads back from the page (kept on window by the page-side script below). */
interface Chaos {
  index: number;
  opens: { transport: string; resumed: boolean; delivery: string }[];
  notResumed: number;
  sent: number;
}

test('over SockJS, cut every 250–750 ms: 500 messages each way arrive once, in order (resumed sessions)', async ({ page, server }) => {
  const seed = testSeed();
  const random = seededRandom(seed);
  // Printed first, so a failed run's output carries it whatever failed (Playwright shows a failed test's stdout).
  console.log(`SockJS resume chaos: seed ${seed} (replay the cut times with KEEL_TEST_SEED=${seed})`);
  await page.addInitScript(removeWebSocket);
  await page.goto('/pages/harness.html');
  await expect(page.locator('#status')).toHaveText('ready');
  await page.evaluate(
    ({ url, total }) => {
      type Session = {
        readonly state: string;
        on(event: string, listener: (info: never) => void): void;
        send(data: string): string;
      };
      const page = globalThis as unknown as {
        keel: { resumable(): unknown };
        harness: { open(url: string, options: Record<string, unknown>): number; sessions: { session: Session }[] };
        chaos: Chaos;
      };
      const index = page.harness.open(url, {
        resume: page.keel.resumable(),
        reconnect: { initialDelay: 50, maxDelay: 300, minUptime: 100 },
      });
      const { session } = page.harness.sessions[index] as { session: Session };
      const chaos: Chaos = { index, opens: [], notResumed: 0, sent: 0 };
      page.chaos = chaos;
      session.on('open', (info: { transport: string; resumed: boolean; delivery: string }) => chaos.opens.push(info));
      session.on('notResumed', () => chaos.notResumed++);
      void (async () => {
        // Paced over a few seconds, so that many cuts fall in the middle of the traffic.
        for (let i = 0; i < total; i++) {
          session.send(`c${i}`);
          chaos.sent++;
          if (i % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 40));
        }
      })();
    },
    { url: `${server.url}/echo`, total: TOTAL },
  );
  const received = () =>
    page.evaluate(() => {
      const { harness, chaos } = globalThis as unknown as { harness: { sessions: { received: unknown[] }[] }; chaos: Chaos };
      return (harness.sessions[chaos.index] as { received: unknown[] }).received;
    });

  const deadline = Date.now() + 60_000;
  let cuts = 0;
  while (Date.now() < deadline && (await received()).length < TOTAL) {
    // Scenario timing, not knowledge: the next cut falls 250–750 ms later (seeded).
    await page.waitForTimeout(250 + random() * 500);
    const { dropped } = await server.control('drop-all', { transport: 'sockjs' });
    if ((dropped as number) > 0) cuts++;
  }
  await expect.poll(async () => (await received()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(TOTAL);
  // A barrier, message number TOTAL, sent once the cuts stopped: its echo travels after anything
  // still to be replayed on the same ordered session, so once it is back every echo sent before it
  // (a late duplicate included) has arrived.
  await page.evaluate((total) => {
    const { harness, chaos } = globalThis as unknown as {
      harness: { sessions: { session: { send(data: string): string } }[] };
      chaos: Chaos;
    };
    (harness.sessions[chaos.index] as { session: { send(data: string): string } }).session.send(`c${total}`);
  }, TOTAL);
  await expect.poll(async () => (await received()).includes(`c${TOTAL}`), { timeout: 30_000 }).toBe(true);
  const got = await received();
  const chaos = await page.evaluate(() => (globalThis as unknown as { chaos: Chaos }).chaos);
  const unique = new Set(got);
  const lost = Array.from({ length: TOTAL }, (_, i) => `c${i}`).filter((m) => !unique.has(m)).length;
  console.log(
    `SockJS resume chaos: ${cuts} cuts, ${chaos.opens.length} opens, ${chaos.opens.filter((o) => o.resumed).length} resumes, ${got.length}/${TOTAL + 1} echoed, barrier included (lost ${lost}, duplicated ${got.length - unique.size})`,
  );
  expect(got).toEqual(Array.from({ length: TOTAL + 1 }, (_, i) => `c${i}`));
  expect(chaos.notResumed).toBe(0);
  expect(chaos.opens.every((o) => o.transport === 'sockjs' && o.delivery === 'exactly-once')).toBe(true);
  // Each SockJS connection waits up to 500 ms for an in-band offer before the hello (the endpoints
  // have subprotocols), so many cuts land before a handshake completes: at least one resume.
  expect(chaos.opens.filter((o) => o.resumed).length).toBeGreaterThanOrEqual(1);
  expect(cuts).toBeGreaterThanOrEqual(3);
});
