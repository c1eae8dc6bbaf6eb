// Fuzzes the built @keel/core WebSocket against a hostile raw `node:net` server (issue 12).
//
//   pnpm build && node bench/fuzz-client.mjs --seconds 120 [--seed S] [--case N] [--concurrency 4]
//
// Not a test and not in CI. The server runs in a child process (so its buffers do not count in the
// client's memory figures) and plays, for every connection, a script chosen from the case seed in
// the request path: a handshake (mostly valid), then random frames (valid and invalid: bad UTF-8,
// reserved bits and opcodes, masked frames, bad fragmentation, over-long control frames, huge
// declared lengths, compressed frames and small zip bombs, Ping floods, garbage), written in random
// chunks with random pauses, a Close at a random place (or none) and a random ending (FIN, reset,
// or TCP held open: the closing window). The client pings on a timer, answers messages and closes
// at a random time, as a heartbeat and an application would.
//
// It records crashes (an uncaught exception or unhandled rejection in this process, or a Keel call
// made while readyState was OPEN that threw), hangs (no close event within --hang-ms of the
// connection's creation) and the peak heapUsed and arrayBuffers of this process. It prints its
// seed first; it exits 1 on a crash or a hang and prints how to replay the case.

import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { deflateRawSync } from 'node:zlib';

// ---- Arguments -------------------------------------------------------------------------------

function parseArguments(argv) {
  const options = { seconds: 60, seed: undefined, case: undefined, concurrency: 4, hangMs: 20_000, server: false };
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index];
    const value = argv[index + 1];
    if (name === '--server') options.server = true;
    else if (name === '--seconds') ((options.seconds = Number(value)), (index += 1));
    else if (name === '--seed') ((options.seed = Number(value) >>> 0), (index += 1));
    else if (name === '--case') ((options.case = Number(value)), (index += 1));
    else if (name === '--concurrency') ((options.concurrency = Number(value)), (index += 1));
    else if (name === '--hang-ms') ((options.hangMs = Number(value)), (index += 1));
    else throw new Error(`Unknown argument ${name} (use --seconds N, --seed S, --case N, --concurrency C, --hang-ms MS)`);
  }
  if (!(options.seconds > 0) || !(options.concurrency >= 1) || !(options.hangMs > 0))
    throw new Error('--seconds, --concurrency and --hang-ms must be positive');
  return options;
}

// ---- Deterministic randomness ----------------------------------------------------------------

/** mulberry32: small, fast, good enough to pick fuzz cases; the same seed gives the same choices. */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    bytes: (length) => {
      const out = Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i += 1) out[i] = int(0, 255);
      return out;
    },
    /** Picks a key of `weights` with probability proportional to its weight. */
    weighted: (weights) => {
      const entries = Object.entries(weights);
      let roll = next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key;
      }
      return entries[entries.length - 1][0];
    },
  };
}

/** The seed of case `index` of a run seeded `seed` (a replay needs only the two numbers). */
function caseSeed(seed, index) {
  return createHash('sha256').update(`${seed}:${index}`).digest().readUInt32BE(0);
}

// ---- The hostile server (child process) --------------------------------------------------------

const Op = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 };

function frame(opcode, payload, { fin = true, rsv1 = false, rsv2 = false, rsv3 = false, mask = false, declared } = {}) {
  const length = declared ?? payload.length;
  const extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + (mask ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (rsv3 ? 0x10 : 0) | (opcode & 0x0f);
  header[1] = (mask ? 0x80 : 0) | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(length, 2);
  if (extended === 8) header.writeBigUInt64BE(BigInt(length), 2);
  // A masked frame from a server is invalid (RFC 6455 §5.1): the key is zero, the payload unchanged.
  return Buffer.concat([header, payload]);
}

const closePayload = (code, reason = Buffer.alloc(0)) => {
  const out = Buffer.alloc(2 + reason.length);
  out.writeUInt16BE(code, 0);
  reason.copy(out, 2);
  return out;
};

function randomText(rng, length) {
  const alphabet = ['a', 'b', ' ', '{', '"', 'é', '€', '𝄞', 'ß', '\n', '0'];
  let text = '';
  while (text.length < length) text += rng.pick(alphabet);
  return Buffer.from(text, 'utf8');
}

function randomLength(rng) {
  const band = rng.weighted({ small: 6, medium: 3, large: 1 });
  if (band === 'small') return rng.int(0, 125);
  if (band === 'medium') return rng.int(126, 65535);
  return rng.int(65536, 400_000);
}

/** Compressed message payload (RFC 7692 §7.2.1: the trailing 00 00 ff ff of a sync flush removed). */
function compress(bytes) {
  const deflated = deflateRawSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  return deflated.subarray(0, deflated.length - 4);
}

/** The frames of one case after the handshake, and how the server ends. */
function frameScript(rng, deflate, unbounded) {
  const out = [];
  const kinds = [];
  const steps = rng.int(1, 40);
  let closed = false;
  for (let step = 0; step < steps; step += 1) {
    const kind = rng.weighted({
      text: 10,
      binary: 10,
      badUtf8: 2,
      fragmented: 5,
      tinyFragments: 1,
      badContinuation: 2,
      ping: 5,
      pong: 2,
      pingFlood: 1,
      controlTooLong: 1,
      fragmentedControl: 1,
      reservedBits: 1,
      reservedOpcode: 1,
      masked: 1,
      hugeDeclared: 1,
      garbage: 1,
      compressed: deflate ? 6 : 0,
      badCompressed: deflate ? 1 : 0,
      zipBomb: deflate ? 1 : 0,
      close: 3,
    });
    kinds.push(kind);
    switch (kind) {
      case 'text':
        out.push(frame(Op.text, randomText(rng, randomLength(rng))));
        break;
      case 'binary':
        out.push(frame(Op.binary, rng.bytes(randomLength(rng))));
        break;
      case 'badUtf8': {
        const text = randomText(rng, rng.int(0, 200));
        out.push(
          frame(Op.text, Buffer.concat([text, rng.pick([Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80])])])),
        );
        break;
      }
      case 'fragmented': {
        const payload = rng.chance(0.5) ? randomText(rng, randomLength(rng)) : rng.bytes(randomLength(rng));
        const count = rng.int(2, 50);
        const size = Math.ceil(payload.length / count) || 1;
        for (let offset = 0, first = true; first || offset < payload.length; offset += size, first = false) {
          const last = offset + size >= payload.length;
          out.push(
            frame(
              first ? (payload.length > 0 && payload[0] < 0x80 && rng.chance(0.5) ? Op.text : Op.binary) : Op.continuation,
              payload.subarray(offset, offset + size),
              { fin: last },
            ),
          );
          if (rng.chance(0.1)) out.push(frame(Op.ping, rng.bytes(rng.int(0, 125))));
        }
        break;
      }
      case 'tinyFragments': {
        const count = rng.int(100, 20_000);
        out.push(frame(Op.binary, Buffer.from([1]), { fin: false }));
        for (let index = 1; index < count; index += 1)
          out.push(frame(Op.continuation, Buffer.from([index & 0xff]), { fin: index === count - 1 }));
        break;
      }
      case 'badContinuation':
        if (rng.chance(0.5)) out.push(frame(Op.continuation, rng.bytes(rng.int(0, 50))));
        else out.push(frame(Op.text, randomText(rng, 10), { fin: false }), frame(Op.binary, rng.bytes(10)));
        break;
      case 'ping':
        out.push(frame(Op.ping, rng.bytes(rng.int(0, 125))));
        break;
      case 'pong':
        out.push(frame(Op.pong, rng.bytes(rng.int(0, 125))));
        break;
      case 'pingFlood': {
        const count = rng.int(100, 5_000);
        const ping = frame(Op.ping, rng.bytes(125));
        for (let index = 0; index < count; index += 1) out.push(ping);
        break;
      }
      case 'controlTooLong':
        out.push(frame(rng.pick([Op.ping, Op.pong, Op.close]), rng.bytes(rng.int(126, 300))));
        break;
      case 'fragmentedControl':
        out.push(frame(Op.ping, rng.bytes(5), { fin: false }));
        break;
      case 'reservedBits':
        out.push(frame(Op.binary, rng.bytes(rng.int(0, 50)), { rsv1: !deflate && rng.chance(0.5), rsv2: rng.chance(0.5), rsv3: true }));
        break;
      case 'reservedOpcode':
        out.push(frame(rng.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), rng.bytes(rng.int(0, 20))));
        break;
      case 'masked':
        out.push(frame(Op.binary, rng.bytes(rng.int(0, 50)), { mask: true }));
        break;
      case 'hugeDeclared':
        // Declares far more than it sends (the rest never comes, or comes as the next frames' bytes).
        // Against a client without a message limit only lengths no Buffer can hold (> 4 GiB): the
        // engine may still reserve a declared length up front, and 2 GiB at a time would swamp the machine.
        out.push(
          frame(Op.binary, rng.bytes(rng.int(0, 64)), {
            declared: rng.pick(unbounded ? [5 * 2 ** 30, 2 ** 40] : [70_000, 1 << 20, 60 * 2 ** 20, 2 ** 31, 5 * 2 ** 30, 2 ** 40]),
          }),
        );
        break;
      case 'garbage':
        out.push(rng.bytes(rng.int(1, 64)));
        break;
      case 'compressed': {
        const text = rng.chance(0.5);
        const payload = text ? randomText(rng, randomLength(rng)) : rng.bytes(randomLength(rng));
        out.push(frame(text ? Op.text : Op.binary, compress(payload), { rsv1: true }));
        break;
      }
      case 'badCompressed':
        out.push(frame(Op.binary, rng.bytes(rng.int(1, 100)), { rsv1: true }));
        break;
      case 'zipBomb':
        out.push(frame(Op.binary, compress(Buffer.alloc(rng.pick([1 << 20, 8 << 20, 80 << 20]))), { rsv1: true }));
        break;
      case 'close': {
        const form = rng.weighted({ valid: 6, empty: 1, invalidCode: 1, oneByte: 1, badReason: 1 });
        if (form === 'valid')
          out.push(
            frame(
              Op.close,
              closePayload(rng.pick([1000, 1001, 1003, 1008, 1011, 3000, 4999]), randomText(rng, rng.int(0, 40)).subarray(0, 123)),
            ),
          );
        else if (form === 'empty') out.push(frame(Op.close, Buffer.alloc(0)));
        else if (form === 'invalidCode') out.push(frame(Op.close, closePayload(rng.pick([0, 999, 1004, 1005, 1006, 1015, 2999, 5000]))));
        else if (form === 'oneByte') out.push(frame(Op.close, Buffer.from([3])));
        else out.push(frame(Op.close, closePayload(1000, Buffer.from([0xff, 0xfe]))));
        closed = true;
        break;
      }
    }
    if (closed && rng.chance(0.7)) break;
  }
  // 'hold' keeps TCP open until the client ends it: after a Close, the closing window.
  const ending = rng.weighted({ end: 4, destroy: 1, hold: closed ? 4 : 2 });
  return { bytes: Buffer.concat(out), ending, kinds };
}

function handshakeAnswer(rng, request) {
  const key = /^sec-websocket-key:\s*(\S+)/im.exec(request)?.[1] ?? '';
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  const offered = /^sec-websocket-extensions:.*permessage-deflate/im.test(request);
  const form = rng.weighted({ valid: 40, wrongAccept: 1, refused: 1, garbage: 1, silent: 1 });
  const deflate = form === 'valid' && offered && rng.chance(0.6);
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade'];
  if (form === 'wrongAccept') lines.push('Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  else lines.push(`Sec-WebSocket-Accept: ${accept}`);
  if (deflate) lines.push('Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover');
  if (form === 'refused') return { head: Buffer.from('HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy'), deflate: false, open: false };
  if (form === 'garbage') return { head: rng.bytes(rng.int(1, 200)), deflate: false, open: false };
  if (form === 'silent') return { head: null, deflate: false, open: false };
  return { head: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), deflate, open: form === 'valid' };
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function play(socket, rng, request, seed) {
  const answer = handshakeAnswer(rng, request);
  if (answer.head === null) return; // never answers: the client's handshakeTimeout ends it
  const unbounded = /^GET \/\d+\?unbounded/.test(request);
  const script = answer.open ? frameScript(rng, answer.deflate, unbounded) : { bytes: Buffer.alloc(0), ending: rng.pick(['end', 'hold']) };
  // What this case plays, for the client's per-case memory report.
  process.send?.({ case: seed, kinds: answer.open ? script.kinds : ['bad handshake'], ending: script.ending, bytes: script.bytes.length });
  const bytes = Buffer.concat([answer.head, script.bytes]);
  let paused = 0;
  for (let offset = 0; offset < bytes.length && !socket.destroyed;) {
    const size = rng.weighted({ byte: 1, small: 3, medium: 3, whole: 1 });
    const length = size === 'byte' ? 1 : size === 'small' ? rng.int(2, 64) : size === 'medium' ? rng.int(65, 65536) : bytes.length;
    const chunk = bytes.subarray(offset, offset + length);
    offset += chunk.length;
    if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
    // Pauses let the client read between chunks; bounded per case so a case stays short.
    if (paused < 1_000 && rng.chance(0.05)) {
      const ms = rng.int(0, 30);
      paused += ms;
      await pause(ms);
    }
  }
  if (socket.destroyed) return;
  if (script.ending === 'end') socket.end();
  else if (script.ending === 'destroy') socket.resetAndDestroy();
  // 'hold': the socket stays open until the client ends it ('end' below) or destroys it.
}

function runServer() {
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    socket.on('error', () => undefined);
    // The client ended its side (after its Close, or on failure): the server ends too, as §7.1.1 expects.
    socket.on('end', () => socket.end());
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > 65536) socket.destroy();
        return;
      }
      socket.off('data', onData);
      socket.on('data', () => undefined); // what the client sends after the handshake is read and dropped
      const request = head.subarray(0, end).toString('latin1');
      const seed = Number(/^GET \/(\d+)/.exec(request)?.[1] ?? 0) >>> 0;
      play(socket, random(seed), request, seed).catch(() => socket.destroy());
    };
    socket.on('data', onData);
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
  process.on('disconnect', () => process.exit(0));
}

// ---- The client under test (this process) ----------------------------------------------------

async function runClient(options) {
  const { WebSocket, UsageError } = await import('@keel/core');
  const seed = options.seed ?? (Math.random() * 2 ** 32) >>> 0;
  console.log(
    `fuzz-client: seed ${seed}${options.case === undefined ? '' : `, case ${options.case}`}, ${options.seconds} s, concurrency ${options.concurrency}`,
  );

  const child = fork(new URL(import.meta.url), ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [{ port }] = await once(child, 'message');
  const scripts = new Map(); // case seed -> what the server played
  child.on('message', (message) => scripts.set(message.case, message));

  const active = new Map(); // case index -> { started }
  const crashes = [];
  const hangs = [];
  const closeCodes = new Map();
  const errorCodes = new Map();
  const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  let peakHeap = 0;
  let peakArrayBuffers = 0;
  /** The cases whose run grew arrayBuffers most (with concurrency > 1, shared with the others running). */
  const heaviest = [];
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
    if (usage.arrayBuffers > peakArrayBuffers) peakArrayBuffers = usage.arrayBuffers;
    // Growth over what the process held when the case started (memory is freed only by GC).
    for (const state of active.values()) {
      state.arrayBuffers = Math.max(state.arrayBuffers, usage.arrayBuffers - state.baseArrayBuffers);
      state.heapUsed = Math.max(state.heapUsed, usage.heapUsed - state.baseHeapUsed);
    }
  };
  const retire = (index, state) => {
    const script = scripts.get(state.seed);
    scripts.delete(state.seed);
    heaviest.push({ index, ...state, script });
    heaviest.sort((a, b) => b.arrayBuffers - a.arrayBuffers);
    heaviest.length = Math.min(heaviest.length, 5);
  };
  const sampler = setInterval(sample, 20);

  const recordCrash = (kind, error) => {
    crashes.push({
      kind,
      cases: [...active.keys()],
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      stack: error?.stack,
    });
  };
  process.on('uncaughtException', (error) => recordCrash('uncaughtException', error));
  process.on('unhandledRejection', (error) => recordCrash('unhandledRejection', error));

  /** A call a careful application makes only while readyState is OPEN: if it throws, Keel's state lied. */
  const whileOpen = (ws, index, action) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    try {
      action();
    } catch (error) {
      if (error instanceof UsageError && error.code === 'ERR_CONTROL_FRAME_TOO_LONG') return;
      crashes.push({
        kind: 'threw while OPEN',
        cases: [index],
        message: `${error.name}: ${error.message} (${error.code})`,
        stack: error.stack,
      });
    }
  };

  function runCase(index) {
    const rng = random(caseSeed(seed, index) ^ 0x9e3779b9);
    return new Promise((resolve) => {
      const timers = new Set();
      const later = (ms, fn) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          fn();
        }, ms);
        timers.add(timer);
      };
      // Sometimes no message size limit (maxMessageSize: Infinity), where > 4 GiB declared lengths once crashed.
      const unbounded = rng.chance(0.1);
      let ws;
      try {
        ws = new WebSocket(`ws://127.0.0.1:${port}/${caseSeed(seed, index)}${unbounded ? '?unbounded' : ''}`, [], {
          env: {},
          ...(unbounded ? { maxMessageSize: Number.POSITIVE_INFINITY } : {}),
          closeTimeout: 1_000,
          handshakeTimeout: 3_000,
          perMessageDeflate: rng.chance(0.7),
        });
      } catch (error) {
        recordCrash('constructor threw', error);
        resolve();
        return;
      }
      ws.binaryType = rng.pick(['nodebuffer', 'arraybuffer', 'blob']);
      const base = process.memoryUsage();
      active.set(index, {
        started: Date.now(),
        seed: caseSeed(seed, index),
        baseArrayBuffers: base.arrayBuffers,
        baseHeapUsed: base.heapUsed,
        arrayBuffers: 0,
        heapUsed: 0,
      });
      const hang = setTimeout(() => {
        hangs.push({ case: index, readyState: ws.readyState });
        ws.terminate();
      }, options.hangMs);
      ws.onopen = () => {
        // A heartbeat: pings on a timer, as the session does.
        const pings = rng.int(0, 20);
        const every = rng.int(1, 50);
        for (let n = 1; n <= pings; n += 1) later(n * every, () => whileOpen(ws, index, () => ws.ping(rng.chance(0.5) ? 'hb' : undefined)));
        // The application closes at some point (if the server did not first).
        later(rng.int(0, 1_000), () => {
          const code = rng.pick([undefined, 1000, 4000]);
          try {
            ws.close(code, code !== undefined && rng.chance(0.3) ? 'bye' : undefined);
          } catch (error) {
            crashes.push({ kind: 'close() threw', cases: [index], message: `${error.name}: ${error.message}`, stack: error.stack });
          }
        });
      };
      ws.onmessage = () => {
        if (rng.chance(0.2)) whileOpen(ws, index, () => ws.send(rng.chance(0.5) ? 'reply' : Buffer.alloc(rng.int(0, 2048))));
      };
      ws.onerror = (event) => count(errorCodes, event.error?.code ?? 'none');
      ws.onclose = (event) => {
        clearTimeout(hang);
        for (const timer of timers) clearTimeout(timer);
        count(closeCodes, event.code);
        const state = active.get(index);
        active.delete(index);
        if (state !== undefined) retire(index, state);
        resolve();
      };
    });
  }

  const deadline = Date.now() + options.seconds * 1_000;
  let next = options.case ?? 0;
  let done = 0;
  const single = options.case !== undefined;
  const worker = async () => {
    while ((single ? next === options.case : Date.now() < deadline) && crashes.length === 0 && hangs.length === 0) {
      const index = next;
      next += 1;
      await runCase(index);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: single ? 1 : options.concurrency }, worker));
  clearInterval(sampler);
  sample();
  child.kill();

  const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
  const histogram = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([key, value]) => `${key}×${value}`)
      .join(' ');
  console.log(`cases: ${done}`);
  console.log(`close codes: ${histogram(closeCodes)}`);
  console.log(`error codes: ${histogram(errorCodes)}`);
  console.log(`peak heapUsed: ${mib(peakHeap)} MiB, peak arrayBuffers: ${mib(peakArrayBuffers)} MiB`);
  console.log(
    `heaviest cases (growth of arrayBuffers / heapUsed while the case ran${options.concurrency > 1 && !single ? ', shared with the cases running beside it' : ''}):`,
  );
  for (const entry of heaviest) {
    const kinds = new Map();
    for (const kind of entry.script?.kinds ?? ['?']) count(kinds, kind);
    console.log(
      `  case ${entry.index}: ${mib(entry.arrayBuffers)} / ${mib(entry.heapUsed)} MiB — ${histogram(kinds)}, then ${entry.script?.ending ?? '?'}`,
    );
  }
  console.log(`crashes: ${crashes.length}, hangs: ${hangs.length}`);
  for (const crash of crashes.slice(0, 5)) {
    console.log(`CRASH (${crash.kind}) in case(s) ${crash.cases.join(', ')}: ${crash.message}\n${crash.stack ?? ''}`);
  }
  for (const hang of hangs.slice(0, 5))
    console.log(`HANG case ${hang.case}: no close event within ${options.hangMs} ms (readyState ${hang.readyState})`);
  const failed = [...crashes.flatMap((crash) => crash.cases), ...hangs.map((hang) => hang.case)];
  if (failed.length > 0) {
    console.log(`replay: node bench/fuzz-client.mjs --seed ${seed} --case ${failed[0]}`);
    process.exit(1);
  }
  console.log(`clean (seed ${seed})`);
  process.exit(0);
}

const options = parseArguments(process.argv.slice(2));
if (options.server) runServer();
else await runClient(options);
