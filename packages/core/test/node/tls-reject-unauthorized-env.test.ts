import { afterEach, describe, expect, it } from 'vitest';
import { TlsError } from '@keel/core';
import { tlsFixtures } from '../connectivity/helpers/tls-fixtures.js';
import { outcome, roundTrip } from '../websocket-connectivity/helpers/client.js';
import { useFixture } from '../websocket-connectivity/helpers/fixture.js';
import { startEchoServer } from '../websocket-connectivity/helpers/servers.js';

/**
 * Issue 12, decision: `NODE_TLS_REJECT_UNAUTHORIZED=0` is honoured like Node's `https` does
 * (Keel leaves the default to `tls.connect`): without a `rejectUnauthorized` option certificates
 * are not verified, and Node emits its one-time process warning. An explicit
 * `rejectUnauthorized: true` still verifies. Any other value verifies.
 */

const { own, connect } = useFixture();
const selfSigned = { key: tlsFixtures.selfSignedKey, cert: tlsFixtures.selfSignedCert };
const variable = 'NODE_TLS_REJECT_UNAUTHORIZED';
const original = process.env[variable];

afterEach(() => {
  if (original === undefined) delete process.env[variable];
  else process.env[variable] = original;
});

describe('NODE_TLS_REJECT_UNAUTHORIZED', () => {
  it("=0 without rejectUnauthorized: a self-signed server is accepted, with Node's one-time warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      if (warning.message.includes(variable)) warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    try {
      process.env[variable] = '0';
      const server = await own(startEchoServer({ tls: selfSigned }));
      for (const text of ['first', 'second']) {
        expect(await roundTrip(connect(`wss://localhost:${server.port}/`), text)).toEqual({ echoed: text, wasClean: true });
      }
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/insecure/);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('=0 with rejectUnauthorized: true: the option wins and the certificate is refused', async () => {
    process.env[variable] = '0';
    const server = await own(startEchoServer({ tls: selfSigned }));
    const result = await outcome(connect(`wss://localhost:${server.port}/`, { rejectUnauthorized: true }));
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(TlsError);
    expect((result.error as TlsError).tlsCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('=1 (or unset): certificates are verified', async () => {
    process.env[variable] = '1';
    const server = await own(startEchoServer({ tls: selfSigned }));
    const result = await outcome(connect(`wss://localhost:${server.port}/`));
    expect(result.error).toBeInstanceOf(TlsError);
    expect((result.error as TlsError).tlsCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(server.upgrades).toHaveLength(0);
  });
});
