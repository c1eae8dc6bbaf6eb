import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keelClient } from '../conformance/keel-client.js';
import { tlsFixtures } from '../connectivity/helpers/tls-fixtures.js';
import { echo, startWsPeer, type WsPeer } from './ws-server.js';

// wss:// against a ws server behind node:https with the test certificates of
// ../connectivity/fixtures: server-cert.pem (signed by ca-cert.pem, SAN 127.0.0.1 and localhost)
// and self-signed-cert.pem (no CA vouches for it).

let trusted: WsPeer;
let selfSigned: WsPeer;
beforeAll(async () => {
  trusted = await startWsPeer({ tls: { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert }, ws: { perMessageDeflate: false } });
  selfSigned = await startWsPeer({
    tls: { key: tlsFixtures.selfSignedKey, cert: tlsFixtures.selfSignedCert },
    ws: { perMessageDeflate: false },
  });
  trusted.wss.on('connection', echo);
  selfSigned.wss.on('connection', echo);
});
afterAll(async () => {
  await trusted.close();
  await selfSigned.close();
});

describe('interop with ws: wss://', () => {
  it('echoes over TLS when the test CA is trusted (ca option)', async () => {
    const client = keelClient(trusted.url, { ca: tlsFixtures.ca, perMessageDeflate: false });
    await client.opened;
    const big = Buffer.alloc(1 << 20, 0x42);
    client.send('over tls');
    client.send(big);
    await client.received(2);
    expect(client.messages[0]).toEqual({ kind: 'text', data: 'over tls' });
    expect(Buffer.from(client.messages[1]?.data ?? '').equals(big)).toBe(true);
    client.close(1000, 'done');
    expect(await client.closed).toMatchObject({ code: 1000, reason: 'done', wasClean: true });
  });

  it('echoes over TLS to localhost (SAN DNS:localhost)', async () => {
    const client = keelClient(trusted.url.replace('127.0.0.1', 'localhost'), { ca: tlsFixtures.ca, perMessageDeflate: false });
    await client.opened;
    client.send('by name');
    await client.received(1);
    expect(client.messages).toEqual([{ kind: 'text', data: 'by name' }]);
    client.close(1000);
    await client.closed;
  });

  it('fails with ERR_TLS when the server certificate is not trusted (no ca)', async () => {
    const client = keelClient(trusted.url, { perMessageDeflate: false });
    const closed = await client.closed;
    expect(client.events).not.toContain('open');
    expect(client.errors.map((e) => e.code)).toEqual(['ERR_TLS']);
    expect([closed.code, closed.wasClean, closed.errorCode]).toEqual([1006, false, 'ERR_TLS']);
    expect(trusted.wss.clients.size).toBe(0);
  });

  it('fails with ERR_TLS on a self-signed certificate, even with the test CA', async () => {
    const client = keelClient(selfSigned.url, { ca: tlsFixtures.ca, perMessageDeflate: false });
    const closed = await client.closed;
    expect(client.errors.map((e) => e.code)).toEqual(['ERR_TLS']);
    expect([closed.code, closed.wasClean]).toEqual([1006, false]);
  });

  it('connects to the self-signed server only when rejectUnauthorized is false', async () => {
    const client = keelClient(selfSigned.url, { rejectUnauthorized: false, perMessageDeflate: false });
    await client.opened;
    client.send('insecure but asked for');
    await client.received(1);
    expect(client.messages).toEqual([{ kind: 'text', data: 'insecure but asked for' }]);
    client.close(1000);
    await client.closed;
  });
});
