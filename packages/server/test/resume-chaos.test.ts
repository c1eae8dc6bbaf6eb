import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { connect } from '@keel/core';
import { resumable, type OpenInfo } from '@keel/session';
import { TcpProxy } from '../../core/test/session/helpers/tcp-proxy.js';
import { seededRandom, testSeed } from '../../core/test/session/helpers/seeded-random.js';
import { until } from '../../core/test/session/helpers/ws-server.js';
import { KeelRig } from './helpers/rig.js';

// Issue 15's chaos test: a TCP proxy between a Keel Node client and @keel/server cuts the
// connection every 250–750 ms while 3,000 messages go each way. Resumption must deliver every one
// exactly once and in order, in both directions. Bounded: at most 90 s, then the test fails.

const TOTAL = 3000;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first index where `got` differs from 0..n-1 with `prefix`, and counts of lost and duplicated. */
function audit(got: readonly string[], prefix: string, n: number) {
  const seen = new Map<string, number>();
  for (const m of got) seen.set(m, (seen.get(m) ?? 0) + 1);
  let lost = 0;
  for (let i = 0; i < n; i++) if (!seen.has(`${prefix}${i}`)) lost++;
  const duplicated = [...seen.values()].reduce((sum, count) => sum + count - 1, 0);
  const inOrder = got.every((m, i) => m === `${prefix}${i}`);
  return { lost, duplicated, inOrder };
}

describe('resume chaos: a proxy cuts every 250–750 ms', () => {
  it(`${TOTAL} messages each way between a Node client and @keel/server: 0 lost, 0 duplicated, in order, both ways`, async () => {
    const seed = testSeed();
    onTestFailed(() => console.error(`resume chaos: seed ${seed} (replay the cut times with KEEL_TEST_SEED=${seed})`));
    const rand = seededRandom(seed);
    const server = await KeelRig.start({ resume: { windowMs: 60_000 } });
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(
      () => server.stop(),
      () => proxy.close(),
    );
    const session = connect(proxy.url, {
      resume: resumable(),
      reconnect: { initialDelay: 10, maxDelay: 50, minUptime: 50 },
      heartbeat: false,
      keepProcessAlive: false,
    });
    cleanups.push(() => (session.state === 'closed' ? Promise.resolve() : session.close()));
    const opens: OpenInfo[] = [];
    const received: string[] = [];
    session.on('open', (info) => opens.push(info));
    session.on('message', (data) => received.push(String(data)));
    await until(() => session.state === 'open' && server.sessions.length === 1);
    const serverSession = server.session;
    const serverReceived = server.received.get(serverSession.id) as string[];

    const deadline = Date.now() + 90_000;
    let cuts = 0;
    let cutting = true;
    const cutter = (async () => {
      while (cutting && Date.now() < deadline) {
        // Scenario timing, not knowledge: the next cut falls 250–750 ms later (seeded).
        await sleep(250 + rand() * 500);
        if (!cutting) break;
        proxy.cut();
        cuts++;
      }
    })();
    // Both sides send at a pace that spans many cuts (about 6 s); the client stays within its queue's bounds.
    const clientSends = (async () => {
      for (let i = 0; i < TOTAL && Date.now() < deadline;) {
        if (session.queued > 500) {
          // Pacing: lets the queue drain below its bound.
          await sleep(5);
          continue;
        }
        for (let k = 0; k < 5 && i < TOTAL; k++) session.send(`c${i++}`);
        // Pacing: five messages every 10 ms, so the traffic spans many cuts.
        await sleep(10);
      }
    })();
    const serverSends = (async () => {
      for (let i = 0; i < TOTAL && Date.now() < deadline;) {
        for (let k = 0; k < 5 && i < TOTAL; k++) serverSession.send(`s${i++}`);
        // Pacing, as the client's.
        await sleep(10);
      }
    })();
    await Promise.all([clientSends, serverSends]);
    await until(() => received.length >= TOTAL && serverReceived.length >= TOTAL, Math.max(1, deadline - Date.now()));
    cutting = false;
    await cutter;
    // A barrier each way, message number TOTAL, sent once the cuts stopped: it travels after
    // anything still to be replayed on the same ordered session, so once both arrived every
    // message sent before them (a late duplicate included) has arrived.
    session.send(`c${TOTAL}`);
    serverSession.send(`s${TOTAL}`);
    await until(() => received.includes(`s${TOTAL}`) && serverReceived.includes(`c${TOTAL}`));

    const down = audit(received, 's', TOTAL + 1);
    const up = audit(serverReceived, 'c', TOTAL + 1);
    const resumes = opens.filter((o) => o.resumed).length;
    console.log(
      `resume chaos (seed ${seed}): ${cuts} cuts, ${resumes} resumes; barrier included, client→server ${serverReceived.length}/${TOTAL + 1} (lost ${up.lost}, duplicated ${up.duplicated}); server→client ${received.length}/${TOTAL + 1} (lost ${down.lost}, duplicated ${down.duplicated})`,
    );
    expect({ down, up }).toEqual({ down: { lost: 0, duplicated: 0, inOrder: true }, up: { lost: 0, duplicated: 0, inOrder: true } });
    expect(cuts).toBeGreaterThanOrEqual(5);
    expect(resumes).toBeGreaterThanOrEqual(3);
    expect(opens.every((o) => o.delivery === 'exactly-once')).toBe(true);
    expect(server.sessions).toHaveLength(1);
  });
});
