import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeel, startWsPeer, type WsPeer } from './ws-server.js';

// RFC 6455 §5.5.2 and §5.5.3, both ways: ws pings Keel, Keel pings ws.

let peer: WsPeer;
beforeAll(async () => {
  peer = await startWsPeer({ ws: { perMessageDeflate: false } });
});
afterAll(() => peer.close());

const payloads = [Buffer.alloc(0), Buffer.from('ping'), Buffer.alloc(125, 0xab)];

describe('interop with ws: ping and pong', () => {
  it.each(payloads)('a ping from ws of %# is answered by Keel with the same payload', async (payload) => {
    const { client, server } = await openKeel(peer);
    const pong = new Promise<Buffer>((resolve) => server.once('pong', resolve));
    server.ping(payload);
    expect((await pong).equals(payload)).toBe(true);
    expect(client.pings.map((p) => p.toString('hex'))).toEqual([payload.toString('hex')]);
    client.close(1000);
    await client.closed;
  });

  it.each(payloads)('a ping from Keel of %# is answered by ws with the same payload', async (payload) => {
    const { client, server } = await openKeel(peer);
    const ping = new Promise<Buffer>((resolve) => server.once('ping', resolve));
    client.ping(payload);
    expect((await ping).equals(payload)).toBe(true);
    // The pong comes before the echo of the next message (ws answers in order).
    server.on('message', (data) => server.send(data));
    client.send('after');
    await client.received(1);
    expect(client.pongs.map((p) => p.toString('hex'))).toEqual([payload.toString('hex')]);
    client.close(1000);
    await client.closed;
  });

  it('an unsolicited pong from ws is reported', async () => {
    const { client, server } = await openKeel(peer);
    server.pong(Buffer.from('heartbeat'));
    server.send('after');
    await client.received(1);
    expect(client.pongs.map(String)).toEqual(['heartbeat']);
    client.close(1000);
    await client.closed;
  });
});
