import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeel, startWsPeer, type WsPeer } from './ws-server.js';

// RFC 6455 §7: the closing handshake with ws, initiated by either side, with codes and reasons.

let peer: WsPeer;
beforeAll(async () => {
  peer = await startWsPeer({ ws: { perMessageDeflate: false } });
});
afterAll(() => peer.close());

describe('interop with ws: close codes', () => {
  it.each([
    [1000, 'normal'],
    [1001, 'going away'],
    [1003, ''],
    [1008, 'policy'],
    [1011, 'oops'],
    [3000, 'app'],
    [4999, 'é'.repeat(61)],
  ])('ws closes with %i: Keel echoes it and reports it, clean', async (code, reason) => {
    const { client, server } = await openKeel(peer);
    const serverClosed = new Promise<[number, string]>((resolve) =>
      server.once('close', (c: number, r: Buffer) => resolve([c, r.toString()])),
    );
    server.close(code, reason);
    const closed = await client.closed;
    expect([closed.code, closed.reason, closed.wasClean, closed.errorCode]).toEqual([code, reason, true, null]);
    // ws reports the code of the echo it received.
    expect((await serverClosed)[0]).toBe(code);
  });

  it('ws closes without a code: Keel reports 1005', async () => {
    const { client, server } = await openKeel(peer);
    server.close();
    expect(await client.closed).toMatchObject({ code: 1005, reason: '', wasClean: true });
  });

  it.each([
    [1000, 'bye'],
    [3000, ''],
    [4000, 'custom'],
    [4999, 'x'.repeat(123)],
  ])('Keel closes with %i: ws receives it, answers, clean close', async (code, reason) => {
    const { client, server } = await openKeel(peer);
    const serverClosed = new Promise<[number, string]>((resolve) =>
      server.once('close', (c: number, r: Buffer) => resolve([c, r.toString()])),
    );
    client.close(code, reason);
    expect(await serverClosed).toEqual([code, reason]);
    expect(await client.closed).toMatchObject({ code, reason, wasClean: true });
  });

  it('ws terminates the TCP connection: Keel reports 1006, not clean', async () => {
    const { client, server } = await openKeel(peer);
    server.terminate();
    expect(await client.closed).toMatchObject({ code: 1006, wasClean: false });
  });
});
