import type net from 'node:net';
import type tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectDeadline } from '../../src/node/connectivity/connect-deadline.js';
import { TlsError } from '../../src/node/connectivity/connectivity-errors.js';
import { connectTcp } from '../../src/node/connectivity/tcp-connect.js';
import { isTlsFailure, toTlsError, upgradeToTls, type TlsUpgradeOptions } from '../../src/node/connectivity/tls-upgrade.js';
import { openTcpSockets, settleCount } from './helpers/open-handles.js';
import { readUntil, startTlsEchoOrigin, type TestOrigin } from './helpers/origins.js';
import { tlsFixtures } from './helpers/tls-fixtures.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await settleCount(openTcpSockets, 0);
});

async function origin(options: { key?: Buffer; cert?: Buffer; requestCert?: boolean } = {}): Promise<TestOrigin> {
  const server = await startTlsEchoOrigin({
    key: options.key ?? tlsFixtures.serverKey,
    cert: options.cert ?? tlsFixtures.serverCert,
    // Only a server that checks client certificates holds the CA (it would also send it in its chain).
    ...(options.requestCert === true ? { ca: tlsFixtures.ca, requestCert: true } : {}),
  });
  cleanups.push(() => server.close());
  return server;
}

async function tlsTo(server: TestOrigin, options: TlsUpgradeOptions): Promise<tls.TLSSocket> {
  const deadline = new ConnectDeadline();
  const tcp = await connectTcp({ host: '127.0.0.1', port: server.port, deadline });
  try {
    const secure = await upgradeToTls(tcp, { ...options, deadline });
    cleanups.push(() => {
      secure.destroy();
    });
    return secure;
  } finally {
    deadline.finish();
  }
}

async function tlsFailure(server: TestOrigin, options: TlsUpgradeOptions): Promise<TlsError> {
  try {
    await tlsTo(server, options);
  } catch (error) {
    expect(error).toBeInstanceOf(TlsError);
    return error as TlsError;
  }
  throw new Error('expected the TLS handshake to fail');
}

function nextError(socket: net.Socket): Promise<Error> {
  return new Promise((resolve) => {
    socket.once('error', resolve);
    socket.resume();
  });
}

describe('upgradeToTls', () => {
  it('verifies the origin against the test CA and sends the name as SNI', async () => {
    const server = await origin();
    const secure = await tlsTo(server, { servername: 'localhost', ca: tlsFixtures.ca });
    expect(secure.authorized).toBe(true);
    expect(await readUntil(secure, '\n')).toBe('hello localhost\n');
    expect(server.servernames).toEqual(['localhost']);
  });

  it('sends no SNI for an IP literal and verifies the IP against the certificate', async () => {
    const server = await origin();
    const secure = await tlsTo(server, { servername: '127.0.0.1', ca: tlsFixtures.ca });
    expect(secure.authorized).toBe(true);
    expect(await readUntil(secure, '\n')).toBe('hello -\n');
    expect(server.servernames).toEqual([false]);
  });

  it('presents the client certificate a server requires', async () => {
    const server = await origin({ requestCert: true });
    const secure = await tlsTo(server, {
      servername: 'localhost',
      ca: tlsFixtures.ca,
      cert: tlsFixtures.clientCert,
      key: tlsFixtures.clientKey,
    });
    expect(await readUntil(secure, '\n')).toBe('hello localhost\n');
    expect(server.clientErrors).toEqual([]);
  });

  it('without the client certificate, TLS 1.3 reports the refusal as the first socket error', async () => {
    const server = await origin({ requestCert: true });
    // TLS 1.3 (RFC 8446 §4.4.2.4): the server checks the client certificate after the client finished its handshake.
    const secure = await tlsTo(server, { servername: 'localhost', ca: tlsFixtures.ca });
    expect(secure.getProtocol()).toBe('TLSv1.3');
    const error = toTlsError(await nextError(secure), 'origin', 'localhost');
    expect(error).toMatchObject({ code: 'ERR_TLS', tlsCode: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', peer: 'origin' });
    expect(server.clientErrors).toEqual(['ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE']);
  });

  it('without the client certificate, TLS 1.2 fails the handshake itself', async () => {
    const server = await origin({ requestCert: true });
    const error = await tlsFailure(server, { servername: 'localhost', ca: tlsFixtures.ca, maxVersion: 'TLSv1.2' });
    expect(error.tlsCode).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  it('refuses a self-signed certificate', async () => {
    const server = await origin({ key: tlsFixtures.selfSignedKey, cert: tlsFixtures.selfSignedCert });
    const error = await tlsFailure(server, { servername: 'localhost', ca: tlsFixtures.ca });
    expect(error).toMatchObject({ code: 'ERR_TLS', tlsCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(error.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('refuses a certificate from a CA it was not given', async () => {
    const server = await origin();
    const error = await tlsFailure(server, { servername: 'localhost' });
    expect(error.tlsCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('refuses a chain whose root it was not given', async () => {
    // This server sends its CA along with its certificate.
    const server = await origin({ requestCert: true });
    const error = await tlsFailure(server, { servername: 'localhost', cert: tlsFixtures.clientCert, key: tlsFixtures.clientKey });
    expect(error.tlsCode).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('refuses a certificate for another host name', async () => {
    const server = await origin({ key: tlsFixtures.wrongHostKey, cert: tlsFixtures.wrongHostCert });
    const error = await tlsFailure(server, { servername: 'localhost', ca: tlsFixtures.ca });
    expect(error.tlsCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('accepts that certificate when the servername option names its host', async () => {
    const server = await origin({ key: tlsFixtures.wrongHostKey, cert: tlsFixtures.wrongHostCert });
    const secure = await tlsTo(server, { servername: 'wrong.example', ca: tlsFixtures.ca });
    expect(secure.authorized).toBe(true);
    expect(await readUntil(secure, '\n')).toBe('hello wrong.example\n');
    expect(server.servernames).toEqual(['wrong.example']);
  });

  it('rejectUnauthorized: false accepts an untrusted certificate and says so', async () => {
    const server = await origin({ key: tlsFixtures.selfSignedKey, cert: tlsFixtures.selfSignedCert });
    const secure = await tlsTo(server, { servername: 'localhost', rejectUnauthorized: false });
    expect(secure.authorized).toBe(false);
    expect(String(secure.authorizationError)).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('leaves no socket open after a refused handshake', async () => {
    const server = await origin({ key: tlsFixtures.selfSignedKey, cert: tlsFixtures.selfSignedCert });
    const before = await settleCount(openTcpSockets, 0);
    await tlsFailure(server, { servername: 'localhost', ca: tlsFixtures.ca });
    expect(await settleCount(openTcpSockets, before)).toBe(before);
  });
});

describe('isTlsFailure / toTlsError', () => {
  const withCode = (code: string): Error => Object.assign(new Error(code), { code });
  it.each([
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', true],
    ['ERR_TLS_CERT_ALTNAME_INVALID', true],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', true],
    ['CERT_HAS_EXPIRED', true],
    ['ECONNRESET', false],
    ['EPIPE', false],
  ])('%s → %s', (code, expected) => {
    expect(isTlsFailure(withCode(code))).toBe(expected);
  });

  it('keeps the TLS code and the cause, and returns a TlsError unchanged', () => {
    const cause = withCode('CERT_HAS_EXPIRED');
    const mapped = toTlsError(cause, 'proxy', 'proxy.test');
    expect(mapped).toMatchObject({ code: 'ERR_TLS', tlsCode: 'CERT_HAS_EXPIRED', peer: 'proxy', cause });
    expect(toTlsError(mapped, 'origin', 'x')).toBe(mapped);
    expect(toTlsError(new Error('no code'), 'origin', 'x').tlsCode).toBe('ERR_TLS_UNKNOWN');
  });
});
