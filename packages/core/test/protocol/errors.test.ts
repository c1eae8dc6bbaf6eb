import { errorTaxonomy, KeelError as SessionKeelError } from '@keel/session';
import { describe, expect, it } from 'vitest';
import { ConnectStageError, ProxyError, RedirectError, TlsError } from '../../src/node/connectivity/connectivity-errors.js';
import { HandshakeError, KeelError, keelErrorFor, ProtocolError, UsageError, type KeelErrorCode } from '../../src/protocol/errors.js';

// The engine's and the Node layer's rows of the one taxonomy (@keel/session's error-taxonomy.ts).
const coreCodes = Object.keys(errorTaxonomy).filter((code): code is KeelErrorCode => {
  const { layer } = errorTaxonomy[code as keyof typeof errorTaxonomy];
  return layer === 'protocol' || layer === 'io';
});

describe("the engine's errors", () => {
  it('are the one KeelError hierarchy that @keel/session defines', () => {
    expect(KeelError).toBe(SessionKeelError);
    const errors = [
      new ProtocolError('ERR_MASKED_FRAME', 'x'),
      new HandshakeError('ERR_HANDSHAKE_ACCEPT', 'x'),
      new UsageError('ERR_INVALID_STATE', 'x'),
      new ConnectStageError('ERR_CONNECT', 'tcp', 'x'),
      new TlsError('CERT_HAS_EXPIRED', 'origin', 'x'),
      new ProxyError('ERR_PROXY_STATUS', 'x', { status: 407 }),
      new RedirectError('ERR_TOO_MANY_REDIRECTS', 'x', { status: 302, location: '/' }),
    ];
    for (const error of errors) expect(error, error.name).toBeInstanceOf(SessionKeelError);
  });

  it.each(coreCodes)("a ProtocolError with %s fails the connection with the taxonomy's close code", (code) => {
    expect(new ProtocolError(code, 'x').closeCode).toBe(errorTaxonomy[code].closeCode);
  });

  it.each(coreCodes)("keelErrorFor(%s) is a KeelError with the taxonomy's close code, the cause kept", (code) => {
    const cause = new Error('underlying');
    const error = keelErrorFor(code, 'x', { cause });
    expect(error).toBeInstanceOf(KeelError);
    expect([error.code, error.closeCode, error.cause]).toEqual([code, errorTaxonomy[code].closeCode, cause]);
  });

  it('a ProtocolError keeps its cause', () => {
    const cause = new RangeError('Array buffer allocation failed');
    expect(new ProtocolError('ERR_MESSAGE_TOO_BIG', 'x', { cause }).cause).toBe(cause);
  });

  it('a refused handshake or a refused call reports 1006: nothing was closed', () => {
    expect(new HandshakeError('ERR_HANDSHAKE_EXTENSION', 'x').closeCode).toBe(1006);
    expect(new UsageError('ERR_CONTROL_FRAME_TOO_LONG', 'x').closeCode).toBe(1006);
  });

  it("the Node layer's errors take their close code from the taxonomy", () => {
    expect(new ConnectStageError('ERR_CONNECT_TIMEOUT', 'tls', 'x').closeCode).toBe(errorTaxonomy.ERR_CONNECT_TIMEOUT.closeCode);
    expect(new TlsError('CERT_HAS_EXPIRED', 'proxy', 'x').closeCode).toBe(errorTaxonomy.ERR_TLS.closeCode);
  });
});
