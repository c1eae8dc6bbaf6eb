import { describe, expect, it } from 'vitest';
import { TlsError, type WebSocketOptions } from '@keel/core';
import { tlsFixtures } from '../connectivity/helpers/tls-fixtures.js';
import { outcome, roundTrip as exchange, type Outcome } from './helpers/client.js';
import { useFixture } from './helpers/fixture.js';
import { startEchoServer, type EchoServer, type EchoTlsOptions } from './helpers/servers.js';

const { own, connect } = useFixture();
const serverIdentity: EchoTlsOptions = { key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert };
const tlsServer = (settings: EchoTlsOptions = serverIdentity): Promise<EchoServer> => own(startEchoServer({ tls: settings }));

async function roundTrip(url: string, options: WebSocketOptions): Promise<void> {
  expect(await exchange(connect(url, options), 'secret')).toEqual({ echoed: 'secret', wasClean: true });
}

/** Expects a TLS failure before open: ERR_TLS (a TlsError) carrying `tlsCode`, close 1006. */
function expectTlsFailure(result: Outcome, tlsCode: string | RegExp): void {
  expect(result.opened).toBe(false);
  expect(result.error).toBeInstanceOf(TlsError);
  expect(result.error?.code).toBe('ERR_TLS');
  const actual = (result.error as TlsError).tlsCode;
  if (typeof tlsCode === 'string') expect(actual).toBe(tlsCode);
  else expect(actual).toMatch(tlsCode);
  expect((result.error as TlsError).peer).toBe('origin');
  expect(result.close.code).toBe(1006);
  expect(result.close.wasClean).toBe(false);
  expect(result.close.error).toBe(result.error);
}

describe('WebSocket over TLS (wss://)', () => {
  it('trusts a server certificate signed by the `ca` option and sends the host as SNI', async () => {
    const server = await tlsServer();
    await roundTrip(`wss://localhost:${server.port}/a`, { ca: tlsFixtures.ca });
    expect(server.servernames).toEqual(['localhost']);
    expect(server.upgrades[0]?.headers.host).toBe(`localhost:${server.port}`);
  });

  it('checks an IP literal against the certificate IP SANs and sends no SNI for it (RFC 6066 §3)', async () => {
    const server = await tlsServer();
    await roundTrip(`wss://127.0.0.1:${server.port}/`, { ca: tlsFixtures.ca });
    expect(server.servernames).toEqual([false]);
  });

  it('refuses a certificate from a CA it was not given (Node roots only)', async () => {
    const server = await tlsServer();
    const result = await outcome(connect(`wss://localhost:${server.port}/`, {}));
    expectTlsFailure(result, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(server.upgrades).toHaveLength(0);
  });

  it('refuses an untrusted self-signed certificate', async () => {
    const server = await tlsServer({ key: tlsFixtures.selfSignedKey, cert: tlsFixtures.selfSignedCert });
    const result = await outcome(connect(`wss://localhost:${server.port}/`, { ca: tlsFixtures.ca }));
    expectTlsFailure(result, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(server.upgrades).toHaveLength(0);
  });

  it('refuses a certificate for another host name (hostname mismatch)', async () => {
    const server = await tlsServer({ key: tlsFixtures.wrongHostKey, cert: tlsFixtures.wrongHostCert });
    const result = await outcome(connect(`wss://localhost:${server.port}/`, { ca: tlsFixtures.ca }));
    expectTlsFailure(result, 'ERR_TLS_CERT_ALTNAME_INVALID');
    expect(server.upgrades).toHaveLength(0);
  });

  it('verifies against `servername` (and sends it as SNI) when given, keeping the URL host in Host', async () => {
    const server = await tlsServer({ key: tlsFixtures.wrongHostKey, cert: tlsFixtures.wrongHostCert });
    await roundTrip(`wss://127.0.0.1:${server.port}/`, { ca: tlsFixtures.ca, servername: 'wrong.example' });
    expect(server.servernames).toEqual(['wrong.example']);
    expect(server.upgrades[0]?.headers.host).toBe(`127.0.0.1:${server.port}`);
  });

  it('accepts self-signed and wrong-host certificates with rejectUnauthorized: false', async () => {
    const selfSigned = await tlsServer({ key: tlsFixtures.selfSignedKey, cert: tlsFixtures.selfSignedCert });
    const wrongHost = await tlsServer({ key: tlsFixtures.wrongHostKey, cert: tlsFixtures.wrongHostCert });
    await roundTrip(`wss://localhost:${selfSigned.port}/`, { rejectUnauthorized: false });
    await roundTrip(`wss://localhost:${wrongHost.port}/`, { rejectUnauthorized: false });
    expect(selfSigned.upgrades).toHaveLength(1);
    expect(wrongHost.upgrades).toHaveLength(1);
  });

  describe('a server that requires a client certificate', () => {
    const mutual = (): Promise<EchoServer> =>
      tlsServer({ key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert, ca: tlsFixtures.ca, requestCert: true });

    it('opens with `cert` and `key` signed by the CA the server trusts', async () => {
      const server = await mutual();
      await roundTrip(`wss://localhost:${server.port}/mtls`, {
        ca: tlsFixtures.ca,
        cert: tlsFixtures.clientCert,
        key: tlsFixtures.clientKey,
      });
      expect(server.upgrades.map((upgrade) => upgrade.url)).toEqual(['/mtls']);
      expect(server.tlsClientErrors).toEqual([]);
    });

    it('fails with ERR_TLS carrying the TLS alert when no certificate is given', async () => {
      const server = await mutual();
      const result = await outcome(connect(`wss://localhost:${server.port}/mtls`, { ca: tlsFixtures.ca }));
      // TLS 1.3 reports the refusal as an alert after the client's handshake completed; TLS 1.2 during it.
      expectTlsFailure(result, /^ERR_SSL_(TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_HANDSHAKE_FAILURE)$/);
      expect(server.upgrades).toHaveLength(0);
      expect(server.tlsClientErrors).toHaveLength(1);
    });

    it('fails the same way over TLS 1.2, where the refusal comes during the handshake', async () => {
      const server = await mutual();
      const result = await outcome(connect(`wss://localhost:${server.port}/mtls`, { ca: tlsFixtures.ca, maxVersion: 'TLSv1.2' }));
      expectTlsFailure(result, /^ERR_SSL_/);
      expect(server.upgrades).toHaveLength(0);
    });

    it('does not open with a client certificate the server does not trust (self-signed)', async () => {
      const server = await mutual();
      const result = await outcome(
        connect(`wss://localhost:${server.port}/mtls`, {
          ca: tlsFixtures.ca,
          cert: tlsFixtures.selfSignedCert,
          key: tlsFixtures.selfSignedKey,
        }),
      );
      // Node's TLS server checks the client certificate after OpenSSL's handshake and destroys the
      // socket without an alert: all the client can see is the connection ending before the 101.
      expect(result.opened).toBe(false);
      expect(result.error?.code).toBe('ERR_CONNECTION_LOST');
      expect(result.close.code).toBe(1006);
      expect(server.upgrades).toHaveLength(0);
    });
  });
});
