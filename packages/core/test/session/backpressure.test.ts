import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { connect } from '@keel/core';
import type { Session } from '@keel/session';
import { Inflater } from '../../src/node/deflate/inflater.js';
import { ClientProtocol } from '../../src/protocol/client-protocol.js';
import { until } from './helpers/ws-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Watches the Node WebSocket's read side from outside: socket reads handed to the engine (plain
 * TCP reads go through onread into receiveData or receiveInto) and inflations still running.
 * The spies call the real methods.
 */
function watchReads(): { reads: () => number; inflating: () => number } {
  const receiveData = vi.spyOn(ClientProtocol.prototype, 'receiveData');
  const receiveInto = vi.spyOn(ClientProtocol.prototype, 'receiveInto');
  let inflating = 0;
  const inflate = Inflater.prototype.inflate;
  vi.spyOn(Inflater.prototype, 'inflate').mockImplementation(function (this: Inflater, data, fin) {
    inflating++;
    const inflated = inflate.call(this, data, fin);
    inflated.then(
      () => inflating--,
      () => inflating--,
    );
    return inflated;
  });
  return { reads: () => receiveData.mock.calls.length + receiveInto.mock.calls.length, inflating: () => inflating };
}

/** The most a socket read hands over at once (core's OWN_READ_BUFFER_SIZE): the slack above high-water. */
const ONE_READ = 256 * 1024;
const COUNT = 2000;
const SIZE = 4096;

/**
 * A plain `ws` server that sends COUNT numbered text messages of SIZE characters as fast as it can.
 * The text is random base64, so permessage-deflate cannot shrink it below ~3/4: one compressed read
 * then inflates to at most ~4/3 of its size.
 */
async function floodServer(perMessageDeflate: boolean): Promise<{ url: string; backlog: () => number }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (peer) => {
    for (let i = 0; i < COUNT; i++)
      peer.send(
        `${String(i).padStart(6, '0')}${randomBytes(SIZE)
          .toString('base64')
          .slice(0, SIZE - 6)}`,
      );
  });
  cleanups.push(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/`,
    // Bytes the server's sockets could not hand to the kernel yet.
    backlog: () => [...wss.clients].reduce((sum, client) => sum + client.bufferedAmount, 0),
  };
}

/**
 * Resolves after `turns` turns of the event loop. setImmediate runs right after the poll phase, so
 * each turn is one poll phase in which a socket that still reads takes the data its kernel buffer
 * holds: an explicit flush, counted in chances to read, not in milliseconds.
 */
async function eventLoopTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
}

// Issue 12, slow consumer: the iterator buffered without bound (233 MiB under a 300 MiB flood).
describe('a slow for-await consumer on Node (TCP backpressure)', () => {
  // With permessage-deflate the Node WebSocket also pauses the socket while inflating: its resume
  // must not undo the session's pause.
  it.each([false, true])(
    'keeps the iterator under high-water + one read while a server floods (deflate %s), and every message arrives in order',
    async (deflate) => {
      const { url, backlog } = await floodServer(deflate);
      const { reads, inflating } = watchReads();
      const highWaterBytes = 64 * 1024;
      const session: Session = connect(url, {
        heartbeat: false,
        reconnect: false,
        websocket: { perMessageDeflate: deflate },
        iteratorBuffer: { highWaterBytes, lowWaterBytes: 16 * 1024 },
      });
      cleanups.push(async () => {
        if (session.state !== 'closed') await session.close();
      });
      let peak = 0;
      let paused = 0;
      let firstPause: () => void = () => {};
      const pausedOnce = new Promise<void>((resolve) => (firstPause = resolve));
      session.on('message', () => (peak = Math.max(peak, session.buffered.bytes)));
      session.on('backpressure', (info) => {
        if (!info.high || !info.readingPaused) return;
        paused++;
        firstPause();
      });
      // The loop exists from the start (it buffers), but reads only once reading was paused: a slow
      // consumer whatever the relative speed of the server, the inflater and this process.
      const iterator = session[Symbol.asyncIterator]();
      await pausedOnce;
      // What was read before the pause is inflated and delivered (with deflate, the pipeline pauses
      // the socket itself while inflating and resumes it after, unless the session paused it).
      await until(() => inflating() === 0);
      // The server still holds part of the flood, so TCP flow control has filled the client's
      // kernel buffer (loopback): a socket still reading takes a read at the next turn. Nothing
      // may be read; anything read would also pile up in the loop and show in the peak.
      expect(backlog()).toBeGreaterThan(0);
      const readsWhenPaused = reads();
      await eventLoopTurns(20);
      expect(reads()).toBe(readsWhenPaused);
      const seen: number[] = [];
      while (seen.length < COUNT) {
        const { value, done } = await iterator.next();
        if (done === true) break;
        peak = Math.max(peak, session.buffered.bytes + SIZE);
        seen.push(Number((value as string).slice(0, 6)));
        // Pacing, not knowledge: still slow, it yields to the event loop (and the socket) every ten messages.
        if (seen.length % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await iterator.return?.();
      expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => i));
      expect(paused).toBeGreaterThan(0);
      // Messages already read when reading pauses are kept: one read's worth (inflated: ≤ 1.5 reads).
      expect(peak).toBeLessThanOrEqual(highWaterBytes + (deflate ? 1.5 : 1) * ONE_READ + SIZE);
      console.log(
        `backpressure (deflate ${deflate}): ${COUNT} × ${SIZE} B, peak buffered ${peak} B (high-water ${highWaterBytes} B), paused ${paused} times`,
      );
    },
  );
});
