// The bench server: a raw RFC 6455 server on node:net, run in its own process by run.mjs.
// It must never be the bottleneck, so it does the least each mode needs:
//   /recv?size=S&count=N[&text=1][&deflate=1]  blast N pre-built unmasked frames as fast as the socket drains
//   /send[?deflate=1]                          count data messages and payload bytes; answer a Ping with a
//                                              Pong carrying "messages bytes firstMessageLength"
//   /echo                                      unmask and echo every frame
//   /idle                                      accept and hold
// permessage-deflate (RFC 7692) is negotiated only when the path asks for it and the client offers it,
// always with server_no_context_takeover (§7.1.1.1) so that compressed frames can be pre-built once.
import net from 'node:net';
import zlib from 'node:zlib';
import {
  FrameParser,
  OP_BINARY,
  OP_CLOSE,
  OP_PING,
  OP_PONG,
  OP_TEXT,
  acceptFor,
  buildBatch,
  copyPayload,
  frame,
  headerLength,
  writeHeader,
} from './lib/frames.mjs';
import { binaryPayload, jsonMessages } from './lib/payloads.mjs';

const MAX_HEAD = 16 * 1024;
const BATCH_BYTES = 256 * 1024;
const SYNC_TAIL = 4; // 00 00 ff ff, stripped per RFC 7692 §7.2.1

let idle = 0;
const batches = new Map(); // pre-built receive batches by query string

function receiveBatch(size, text, deflate) {
  const key = `${size}/${text}/${deflate}`;
  let batch = batches.get(key);
  if (batch !== undefined) return batch;
  let payloads = text ? jsonMessages(size).map((s) => Buffer.from(s)) : [binaryPayload(size)];
  let b0 = 0x80 | (text ? OP_TEXT : OP_BINARY);
  if (deflate) {
    payloads = payloads.map((p) => {
      const z = zlib.deflateRawSync(p, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      return z.subarray(0, z.length - SYNC_TAIL);
    });
    b0 |= 0x40; // RSV1: compressed message (RFC 7692 §6)
  }
  const frameBytes = payloads.reduce((a, p) => a + p.length, 0) / payloads.length + 10;
  let count = Math.max(1, Math.floor(BATCH_BYTES / frameBytes));
  if (payloads.length > 1) count = Math.max(payloads.length, count - (count % payloads.length));
  batch = buildBatch(b0, payloads, count);
  batches.set(key, batch);
  return batch;
}

function startReceive(socket, q) {
  const size = Number(q.get('size'));
  const total = Number(q.get('count'));
  const { buf, ends } = receiveBatch(size, q.get('text') === '1', q.get('deflate') === '1');
  let sent = 0;
  let stopped = false;
  const pump = () => {
    while (!stopped && sent < total) {
      const k = Math.min(ends.length, total - sent);
      sent += k;
      const chunk = k === ends.length ? buf : buf.subarray(0, ends[k - 1]);
      if (!socket.write(chunk)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
  return () => {
    stopped = true;
  };
}

function handleFrames(socket, mode, deflate, stopSending) {
  let messages = 0;
  let bytes = 0;
  let firstLength = -1;
  let first = null; // pieces of the first data message (send mode), to check what the client sent
  let out = null;
  let outOff = 0;
  let op = 0;
  let fin = false;
  let rsv1 = false;
  let closed = false;
  const parser = new FrameParser({
    wantPayload(b0) {
      const o = b0 & 0x0f;
      return o >= 8 || mode === 'echo' || (mode === 'send' && firstLength < 0);
    },
    start(b0, len) {
      op = b0 & 0x0f;
      fin = (b0 & 0x80) !== 0;
      if (op < 8) {
        bytes += len;
        if (op !== 0) rsv1 = (b0 & 0x40) !== 0;
      }
      if (op >= 8 || mode === 'echo') {
        // The echo frame, unmasked: same first byte, payload copied in as it arrives.
        const hl = headerLength(len);
        out = Buffer.allocUnsafe(hl + len);
        outOff = writeHeader(out, 0, b0, len, false);
      } else if (mode === 'send' && firstLength < 0) {
        out = Buffer.allocUnsafe(len);
        outOff = 0;
      }
    },
    payload(buf, start, end, pos, mask) {
      copyPayload(out, buf, start, end, outOff + pos, mask);
    },
    end() {
      if (op >= 8) {
        controlFrame(op, out.subarray(outOff));
        return;
      }
      if (mode === 'echo') {
        if (!closed) socket.write(out);
      } else if (mode === 'send' && firstLength < 0) {
        (first ??= []).push(out);
        if (fin) {
          const whole = Buffer.concat(first);
          firstLength = rsv1 && deflate ? inflatedLength(whole) : whole.length;
          first = null;
        }
      }
      if (fin) messages++;
    },
  });

  function controlFrame(code, payload) {
    if (closed) return;
    if (code === OP_PING) {
      const body = mode === 'send' ? Buffer.from(`${messages} ${bytes} ${firstLength}`) : payload;
      socket.write(frame(0x80 | OP_PONG, body));
    } else if (code === OP_CLOSE) {
      // Echo the status code (RFC 6455 §5.5.1), then end TCP: the server closes first (§7.1.1).
      closed = true;
      stopSending();
      socket.end(frame(0x80 | OP_CLOSE, payload.subarray(0, 2)));
    }
  }
  return parser;
}

function inflatedLength(compressed) {
  try {
    const tail = Buffer.from([0, 0, 0xff, 0xff]); // appended back per RFC 7692 §7.2.2
    return zlib.inflateRawSync(Buffer.concat([compressed, tail]), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).length;
  } catch {
    return -2;
  }
}

function onConnection(socket) {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  let head = Buffer.alloc(0);
  const onHead = (chunk) => {
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    const endAt = head.indexOf('\r\n\r\n');
    if (endAt < 0) {
      if (head.length > MAX_HEAD) socket.destroy();
      return;
    }
    socket.off('data', onHead);
    const lines = head.subarray(0, endAt).toString('latin1').split('\r\n');
    const rest = head.subarray(endAt + 4);
    const [, target = '/'] = lines[0].split(' ');
    const headers = new Map();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const key = headers.get('sec-websocket-key');
    if (key === undefined) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const url = new URL(target, 'http://127.0.0.1');
    const mode = url.pathname.slice(1);
    const deflate =
      url.searchParams.get('deflate') === '1' && /(^|,)\s*permessage-deflate\b/.test(headers.get('sec-websocket-extensions') ?? '');
    let response =
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + `Sec-WebSocket-Accept: ${acceptFor(key)}\r\n`;
    if (deflate) response += 'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n';
    socket.write(response + '\r\n');
    if (mode === 'idle') {
      idle++;
      socket.once('close', () => idle--);
      socket.on('data', () => {});
      return;
    }
    let stop = () => {};
    const parser = handleFrames(socket, mode, deflate, () => stop());
    socket.on('data', (chunk) => parser.push(chunk));
    socket.once('close', () => stop());
    if (mode === 'recv') stop = startReceive(socket, url.searchParams);
    if (rest.length > 0) parser.push(rest);
  };
  socket.on('data', onHead);
}

const server = net.createServer({ noDelay: true }, onConnection);
server.maxConnections = 100_000;
server.listen({ host: '127.0.0.1', port: 0, backlog: 2048 }, () => {
  process.send({ type: 'listening', port: server.address().port });
});
process.on('message', (msg) => {
  if (msg.type === 'idleCount') process.send({ type: 'idleCount', n: idle });
});
process.on('disconnect', () => process.exit(0));
