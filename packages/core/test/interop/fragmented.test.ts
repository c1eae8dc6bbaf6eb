import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket as WsSocket } from 'ws';
import { openKeel, startWsPeer, type WsPeer } from './ws-server.js';

// ws sends a message in pieces with `fin: false` (RFC 6455 §5.4): Keel assembles them.

let peer: WsPeer;
beforeAll(async () => {
  peer = await startWsPeer({ ws: { perMessageDeflate: false } });
});
afterAll(() => peer.close());

/** Sends `pieces` as one fragmented message; `binary` for the first frame's opcode. */
function sendFragmented(socket: WsSocket, pieces: ReadonlyArray<string | Buffer>, binary: boolean): void {
  pieces.forEach((piece, i) => socket.send(piece, { binary, fin: i === pieces.length - 1 }));
}

describe('interop with ws: fragmented messages from the server', () => {
  it.each([2, 3, 16, 1000])('text in %i fragments, a code point split between two', async (count) => {
    const { client, server } = await openKeel(peer);
    const whole = Buffer.from('fragment ✓ 😀 '.repeat(count * 3));
    // Cut at byte offsets, so some cuts fall inside multi-byte characters.
    const pieces = Array.from({ length: count }, (_, i) =>
      whole.subarray(Math.floor((whole.length * i) / count), Math.floor((whole.length * (i + 1)) / count)),
    );
    sendFragmented(server, pieces, false);
    await client.received(1);
    expect(client.messages).toEqual([{ kind: 'text', data: whole.toString() }]);
    client.close(1000);
    await client.closed;
  });

  it.each([2, 64, 4096])('binary of 1 MiB in %i fragments', async (count) => {
    const { client, server } = await openKeel(peer);
    const whole = Buffer.alloc(1 << 20);
    for (let i = 0; i < whole.length; i++) whole[i] = (i * 7) & 0xff;
    const size = whole.length / count;
    sendFragmented(
      server,
      Array.from({ length: count }, (_, i) => whole.subarray(i * size, (i + 1) * size)),
      true,
    );
    await client.received(1);
    expect(client.messages[0]?.kind).toBe('binary');
    expect(Buffer.from(client.messages[0]?.data ?? '').equals(whole)).toBe(true);
    client.close(1000);
    await client.closed;
  });

  it('empty fragments, and a ping between fragments', async () => {
    const { client, server } = await openKeel(peer);
    server.send('', { fin: false });
    server.send('ab', { fin: false });
    server.ping('mid');
    server.send('', { fin: false });
    server.send('c', { fin: true });
    const pong = new Promise<Buffer>((resolve) => server.once('pong', resolve));
    await client.received(1);
    expect(client.messages).toEqual([{ kind: 'text', data: 'abc' }]);
    expect((await pong).toString()).toBe('mid');
    client.close(1000);
    await client.closed;
  });

  it('a fragmented message, then single-frame messages', async () => {
    const { client, server } = await openKeel(peer);
    sendFragmented(server, ['x', 'y', 'z'], false);
    server.send('single');
    server.send(Buffer.from([1, 2, 3]));
    await client.received(3);
    expect(client.messages).toEqual([
      { kind: 'text', data: 'xyz' },
      { kind: 'text', data: 'single' },
      { kind: 'binary', data: Buffer.from([1, 2, 3]) },
    ]);
    client.close(1000);
    await client.closed;
  });
});
