import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tuning } from '../../src/protocol/config.js';
import { onReadOptions, setNextReadBuffer, sharedReadBuffer } from '../../src/node/socket-read-buffers.js';

/** socket-read-buffers.ts: where `onread` sockets read, unit and over a real TCP socket. */

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

describe('socket read buffers', () => {
  it('shares one buffer of tuning.sharedReadBufferSize bytes', () => {
    expect(sharedReadBuffer()).toBe(sharedReadBuffer());
    expect(sharedReadBuffer().length).toBe(tuning.sharedReadBufferSize);
  });

  it('hands the buffer chosen by setNextReadBuffer to the next read only, then the shared one again', () => {
    const options = onReadOptions(() => true);
    const buffer = options.buffer as () => Uint8Array;
    expect(buffer()).toBe(sharedReadBuffer());
    const own = new Uint8Array(16);
    setNextReadBuffer(own);
    expect(buffer()).toBe(own);
    expect(buffer()).toBe(sharedReadBuffer());
  });

  it('delivers a real socket reads to the callback, with the socket as this, into the buffer chosen after each read', async () => {
    const payload = Buffer.from('0123456789'.repeat(10));
    const server = net.createServer((peer) => {
      peer.end(payload);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.push(() => server.close());
    const own = Buffer.alloc(7);
    const reads: Array<{ self: unknown; shared: boolean; own: boolean; bytes: string }> = [];
    let socket: net.Socket | null = null;
    const options = onReadOptions(function (this: net.Socket, bytesRead, buffer) {
      reads.push({
        self: this,
        shared: buffer === sharedReadBuffer(),
        own: buffer === own,
        bytes: Buffer.from(buffer.subarray(0, bytesRead)).toString(),
      });
      // Read after read, into a 7-byte buffer of this socket's own.
      setNextReadBuffer(own);
      return true;
    });
    const { port } = server.address() as net.AddressInfo;
    setNextReadBuffer(own);
    socket = net.connect({ host: '127.0.0.1', port, onread: options });
    cleanup.push(() => socket?.destroy());
    await once(socket, 'end');
    expect(reads.map((read) => read.bytes).join('')).toBe(payload.toString());
    expect(reads.every((read) => read.self === socket)).toBe(true);
    // 100 bytes at most 7 at a time: the chosen buffer bounds every read.
    expect(reads.every((read) => read.own && !read.shared && read.bytes.length <= 7)).toBe(true);
    expect(reads.length).toBeGreaterThanOrEqual(Math.ceil(payload.length / 7));
  });
});
