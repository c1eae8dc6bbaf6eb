// The three clients measured side by side: @keel/core, ws (pure JS) and a raw-socket ceiling.
// Each adapter exposes the same operations; every loop is bounded by a count and a deadline.
// Import this module only after WS_NO_BUFFER_UTIL / WS_NO_UTF_8_VALIDATE are set (run.mjs does).
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { OP_BINARY, OP_CLOSE, OP_PING, buildBatch, frame, handshakeRequest } from './frames.mjs';

const now = () => performance.now();
const CLOSE_WAIT_MS = 3000;

/** Messages written per tick before awaiting drain: about 256 KiB, at least one message. */
export function batchSize(size) {
  return Math.max(1, Math.floor((256 * 1024) / size));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Opens and closes `count` connections with `parallel` of them in flight at once (each worker
 * does open then closing handshake, then the next), bounded by `ms`. Resolves with the number
 * done, the wall-clock time and this process's CPU time (the server runs in another process, so
 * the CPU time is the client's own work, less disturbed by a busy machine than the wall time).
 */
async function connectLoop(openAndClose, { count, parallel, ms }) {
  const t0 = now();
  const cpu0 = process.cpuUsage();
  const deadline = t0 + ms;
  let started = 0;
  let done = 0;
  const worker = async () => {
    while (started < count && now() < deadline) {
      started++;
      await openAndClose();
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { connections: done, seconds: (now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function parsePong(text) {
  const [messages, bytes, firstLength] = text.split(' ').map(Number);
  return { messages, bytes, firstLength };
}

// ---------------------------------------------------------------- ws and @keel/core

/**
 * Builds the receive/send/echo operations once, over a small shim of what differs between
 * libraries (how to open, listen, send a batch and await its drain, ping, close), so that both
 * libraries run exactly the same loops.
 */
function libraryClient(name, shim) {
  return {
    name,
    open: shim.open,
    connect: (url, options) => connectLoop(async () => shim.close(await shim.open(url)), options),
    async receive(url, { count, ms }) {
      const ws = await shim.open(url);
      const result = await new Promise((resolve) => {
        let messages = 0;
        let bytes = 0;
        const t0 = now();
        const finish = () => {
          clearTimeout(timer);
          off();
          resolve({ messages, bytes, seconds: (now() - t0) / 1000, extensions: ws.extensions });
        };
        const off = shim.onMessage(ws, (length) => {
          bytes += length;
          if (++messages === count) finish();
        });
        const timer = setTimeout(finish, ms);
      });
      await shim.close(ws);
      return result;
    },
    async send(url, { count, ms, payloads }) {
      const ws = await shim.open(url);
      const batch = batchSize(payloads[0].length);
      const t0 = now();
      const deadline = t0 + ms;
      let sent = 0;
      let bytes = 0;
      while (sent < count && now() < deadline) {
        const k = Math.min(batch, count - sent);
        for (let j = 0; j < k; j++) bytes += payloads[(sent + j) % payloads.length].length;
        await shim.sendBatch(ws, payloads, sent, k);
        sent += k;
      }
      const pong = shim.nextPong(ws).then((data) => parsePong(data.toString()));
      ws.ping();
      const server = await withTimeout(pong, 30_000, `${name} send marker`);
      const seconds = (now() - t0) / 1000;
      const extensions = ws.extensions;
      await shim.close(ws);
      return { messages: sent, bytes, seconds, server, extensions };
    },
    async echo(url, { payload, rounds, ms }) {
      const ws = await shim.open(url);
      const lat = await new Promise((resolve) => {
        const out = new Float64Array(rounds);
        let i = 0;
        const deadline = now() + ms;
        let t = now();
        shim.onMessage(ws, () => {
          out[i++] = now() - t;
          if (i < rounds && t < deadline) {
            t = now();
            ws.send(payload);
          } else resolve(out.subarray(0, i));
        });
        ws.send(payload);
      });
      await shim.close(ws);
      return lat;
    },
  };
}

export async function wsClient() {
  const { WebSocket } = await import('ws');
  return libraryClient('ws', {
    open: (url) =>
      withTimeout(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
        10_000,
        'ws open',
      ),
    close: (ws) =>
      withTimeout(
        new Promise((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', resolve);
          ws.close();
        }),
        CLOSE_WAIT_MS,
        'ws close',
      ).catch((err) => {
        console.error(`note: ${err.message}; terminated`);
        ws.terminate();
      }),
    onMessage(ws, fn) {
      // ws hands text over as a Buffer; a user of text messages turns it into a string.
      const listener = (data, isBinary) => fn(isBinary ? data.length : data.toString().length);
      ws.on('message', listener);
      return () => ws.off('message', listener);
    },
    // Await drain the ws way: the callback of the batch's last send (called once it is written).
    sendBatch(ws, payloads, from, k) {
      for (let j = 0; j < k - 1; j++) ws.send(payloads[(from + j) % payloads.length]);
      return new Promise((resolve, reject) =>
        ws.send(payloads[(from + k - 1) % payloads.length], (err) => (err ? reject(err) : resolve())),
      );
    },
    nextPong: (ws) => new Promise((resolve) => ws.once('pong', resolve)),
  });
}

/** `from`: another build's entry (a file URL), to compare builds in one run; default the workspace's @keel/core. */
export async function keelClient(from = '@keel/core') {
  const { WebSocket } = await import(from);
  return libraryClient('keel', {
    open: (url) =>
      withTimeout(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.binaryType = 'nodebuffer';
          ws.addEventListener('open', () => resolve(ws), { once: true });
          ws.addEventListener('error', (e) => reject(e.error ?? new Error(e.message)), { once: true });
        }),
        10_000,
        'keel open',
      ),
    close: (ws) =>
      withTimeout(
        new Promise((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.addEventListener('close', () => resolve(), { once: true });
          if (ws.readyState === WebSocket.OPEN) ws.close();
        }),
        CLOSE_WAIT_MS,
        'keel close',
      ).catch((err) => {
        console.error(`note: ${err.message}; terminated`);
        ws.terminate();
      }),
    onMessage(ws, fn) {
      const listener = (event) => fn(event.data.length);
      ws.addEventListener('message', listener);
      return () => ws.removeEventListener('message', listener);
    },
    sendBatch(ws, payloads, from, k) {
      for (let j = 0; j < k; j++) ws.send(payloads[(from + j) % payloads.length]);
      return ws.drained();
    },
    nextPong: (ws) => new Promise((resolve) => ws.addEventListener('pong', (event) => resolve(event.data), { once: true })),
  });
}

// ---------------------------------------------------------------- raw-socket ceiling

/** Opens a TCP connection and does the handshake; resolves with the socket and any bytes after the response. */
export function rawOpen(port, path) {
  return withTimeout(
    new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
      const { text, accept } = handshakeRequest(port, path);
      let head = Buffer.alloc(0);
      const onData = (chunk) => {
        head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        socket.off('error', reject);
        const response = head.subarray(0, end).toString('latin1');
        if (!response.startsWith('HTTP/1.1 101') || !response.includes(accept)) {
          socket.destroy();
          reject(new Error(`raw handshake failed: ${response.split('\r\n')[0]}`));
          return;
        }
        resolve({ socket, rest: head.subarray(end + 4) });
      };
      socket.on('data', onData);
      socket.once('error', reject);
      socket.once('connect', () => socket.write(text));
    }),
    10_000,
    'raw open',
  );
}

const MASK = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
const CLOSE_1000 = frame(0x80 | OP_CLOSE, Buffer.from([0x03, 0xe8]), MASK);

export function ceilingClient() {
  const pathOf = (url) => {
    const u = new URL(url);
    return { port: Number(u.port), path: u.pathname + u.search };
  };
  return {
    name: 'ceiling',
    // Only the two handshakes: the opening one, then a pre-built Close and the wait for the
    // server's Close and end of TCP (RFC 6455 §7.1.1: the server closes TCP first).
    connect(url, options) {
      const { port, path } = pathOf(url);
      return connectLoop(async () => {
        const { socket } = await rawOpen(port, path);
        await withTimeout(
          new Promise((resolve) => {
            socket.on('data', () => {});
            socket.once('close', resolve);
            socket.write(CLOSE_1000);
          }),
          CLOSE_WAIT_MS,
          'raw close',
        ).catch(() => socket.destroy());
      }, options);
    },
    async receive(url, { count, ms, wireFrameLength, size }) {
      const { port, path } = pathOf(url);
      const { socket, rest } = await rawOpen(port, path);
      const totalWire = count * wireFrameLength;
      const result = await new Promise((resolve) => {
        let wire = rest.length;
        const t0 = now();
        const finish = () => {
          clearTimeout(timer);
          socket.removeAllListeners('data');
          const messages = Math.floor(wire / wireFrameLength);
          resolve({ messages, bytes: messages * size, seconds: (now() - t0) / 1000 });
        };
        socket.on('data', (chunk) => {
          wire += chunk.length;
          if (wire >= totalWire) finish();
        });
        const timer = setTimeout(finish, ms);
        if (wire >= totalWire) finish();
      });
      socket.destroy();
      return result;
    },
    async send(url, { count, ms, payloads }) {
      const { port, path } = pathOf(url);
      const { socket } = await rawOpen(port, path);
      const size = payloads[0].length;
      const batch = batchSize(size);
      const b0 = 0x80 | OP_BINARY;
      const { buf, ends } = buildBatch(b0, payloads, batch, MASK);
      const t0 = now();
      const deadline = t0 + ms;
      let sent = 0;
      while (sent < count && now() < deadline) {
        const k = Math.min(batch, count - sent);
        const chunk = k === batch ? buf : buf.subarray(0, ends[k - 1]);
        await new Promise((resolve) => socket.write(chunk, resolve));
        sent += k;
      }
      const pong = new Promise((resolve) => {
        let acc = Buffer.alloc(0);
        socket.on('data', (chunk) => {
          acc = Buffer.concat([acc, chunk]);
          if (acc.length >= 2 && acc.length >= 2 + (acc[1] & 0x7f)) resolve(parsePong(acc.subarray(2, 2 + (acc[1] & 0x7f)).toString()));
        });
      });
      socket.write(frame(0x80 | OP_PING, Buffer.alloc(0), MASK));
      const server = await withTimeout(pong, 30_000, 'ceiling send marker');
      const seconds = (now() - t0) / 1000;
      socket.destroy();
      return { messages: sent, bytes: sent * size, seconds, server };
    },
    async echo(url, { payload, rounds, ms }) {
      const { port, path } = pathOf(url);
      const { socket } = await rawOpen(port, path);
      const out = frame(0x80 | OP_BINARY, payload, MASK);
      const expect = 2 + payload.length; // the echo is unmasked
      const lat = await new Promise((resolve) => {
        const res = new Float64Array(rounds);
        let i = 0;
        let got = 0;
        const deadline = now() + ms;
        let t = now();
        socket.on('data', (chunk) => {
          got += chunk.length;
          if (got < expect) return;
          got -= expect;
          res[i++] = now() - t;
          if (i < rounds && t < deadline) {
            t = now();
            socket.write(out);
          } else resolve(res.subarray(0, i));
        });
        socket.write(out);
      });
      socket.destroy();
      return lat;
    },
  };
}
