import net from 'node:net';
import tls from 'node:tls';
import type { ConnectDeadline } from './connect-deadline.js';
import type { ConnectDiagnostics } from './connect-diagnostics.js';
import { TlsError } from './connectivity-errors.js';

/** TLS settings for the origin or for an `https://` proxy (the subset of `tls.connect` Keel passes on). */
export interface TlsSettings {
  /** Trusted CA certificates (PEM). Default: Node's bundled root store. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /** Client certificate chain (PEM), for servers that require one. Default: none. */
  cert?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /** Private key of `cert` (PEM). Default: none. */
  key?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /** Passphrase of an encrypted `key`. Default: none. */
  passphrase?: string | undefined;
  /**
   * Reject a certificate that does not chain to `ca` or does not match the host name. Default
   * `true`, unless the environment variable `NODE_TLS_REJECT_UNAUTHORIZED` is `'0'`: then, as for
   * Node's `https`, `false` (and Node emits its one-time "insecure" process warning). An explicit
   * value always wins. `false` disables all verification and should be used only in tests.
   */
  rejectUnauthorized?: boolean | undefined;
  /**
   * Name sent as SNI and checked against the certificate. Default: the host of the URL (for an
   * IP literal no SNI is sent, as RFC 6066 §3 forbids it, and the IP is checked instead).
   */
  servername?: string | undefined;
  /** Lowest TLS version accepted, e.g. `'TLSv1.2'`. Default: Node's (`TLSv1.2`). */
  minVersion?: tls.SecureVersion | undefined;
  /** Highest TLS version offered. Default: Node's (`TLSv1.3`). */
  maxVersion?: tls.SecureVersion | undefined;
}

/** Options of {@link upgradeToTls}. */
export interface TlsUpgradeOptions extends TlsSettings {
  /** The name to verify the certificate against (and to send as SNI unless it is an IP literal). */
  servername: string;
  /** ALPN protocols to offer. Default: none (`['http/1.1']` is what a WebSocket handshake speaks). */
  ALPNProtocols?: string[] | undefined;
  /** `origin` (default) or `proxy`: which peer this is, for errors, stage and diagnostics. */
  peer?: 'origin' | 'proxy' | undefined;
  /** The attempt's deadline: the TLS socket is tracked, stage `tls` or `proxy-tls` is entered. Default: none. */
  deadline?: ConnectDeadline | undefined;
  /** Receives a `tls` event once the handshake completes. Default: none. */
  diagnostics?: ConnectDiagnostics | undefined;
}

/**
 * Runs a TLS client handshake over an established `socket` (a TCP socket, a proxy tunnel, or a
 * TLS socket to an `https://` proxy) and resolves with the TLS socket once it is secure. Bytes
 * already buffered in `socket` (e.g. unshifted by the tunnel) are fed to TLS by Node.
 *
 * Rejects with {@link TlsError} (`ERR_TLS`, `tlsCode` from OpenSSL/Node such as
 * `DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`) and destroys `socket`. Note that
 * with TLS 1.3 a server refusing the client certificate does so after the client's handshake has
 * completed: that failure arrives as the first socket error; map it with {@link toTlsError}.
 */
export function upgradeToTls(socket: net.Socket, options: TlsUpgradeOptions): Promise<tls.TLSSocket> {
  const peer = options.peer ?? 'origin';
  const stage = peer === 'proxy' ? 'proxy-tls' : 'tls';
  const { deadline, diagnostics } = options;
  if (deadline?.failure !== undefined) {
    socket.destroy();
    return Promise.reject(deadline.failure);
  }
  const name =
    options.servername.startsWith('[') && options.servername.endsWith(']') ? options.servername.slice(1, -1) : options.servername;
  const ipLiteral = net.isIP(name) !== 0;
  const tlsSocket = tls.connect({
    socket,
    // `host` is what the certificate is checked against when there is no servername.
    host: name,
    ...(ipLiteral ? {} : { servername: name }),
    // Without the option, tls.connect's own default applies: true unless NODE_TLS_REJECT_UNAUTHORIZED=0
    // (with Node's one-time warning), so Keel behaves like Node's https there.
    ...definedOnly({
      rejectUnauthorized: options.rejectUnauthorized,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      passphrase: options.passphrase,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      ALPNProtocols: options.ALPNProtocols,
    }),
  } as tls.ConnectionOptions);
  deadline?.track(tlsSocket);
  deadline?.untrack(socket);
  const secured = new Promise<tls.TLSSocket>((resolve, reject) => {
    const cleanup = (): void => {
      tlsSocket.off('secureConnect', onSecure);
      tlsSocket.off('error', onError);
      tlsSocket.off('close', onClose);
    };
    const onSecure = (): void => {
      cleanup();
      resolve(tlsSocket);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(toTlsError(error, peer, name));
    };
    const onClose = (): void => {
      cleanup();
      reject(new TlsError('ECONNRESET', peer, `TLS connection to ${name} closed before the handshake completed`));
    };
    tlsSocket.on('secureConnect', onSecure);
    tlsSocket.on('error', onError);
    tlsSocket.on('close', onClose);
  });
  const settled = deadline === undefined ? secured : deadline.race(stage, secured);
  return settled.then(
    (secure) => {
      diagnostics?.publish('tls', () => ({
        type: 'tls',
        peer,
        servername: name,
        protocol: secure.getProtocol(),
        alpnProtocol: secure.alpnProtocol ?? null,
      }));
      return secure;
    },
    (error: unknown) => {
      tlsSocket.destroy();
      socket.destroy();
      deadline?.untrack(tlsSocket);
      throw error;
    },
  );
}

/**
 * Maps an error of a TLS socket to {@link TlsError}, keeping Node's code as `tlsCode`
 * (`ERR_TLS_UNKNOWN` when it has none). Already mapped errors are returned unchanged.
 */
export function toTlsError(error: Error, peer: 'origin' | 'proxy', servername: string): TlsError {
  if (error instanceof TlsError) return error;
  const code: unknown = (error as { code?: unknown }).code;
  const tlsCode = typeof code === 'string' ? code : 'ERR_TLS_UNKNOWN';
  const who = peer === 'proxy' ? `proxy ${servername}` : servername;
  return new TlsError(tlsCode, peer, `TLS handshake with ${who} failed: ${tlsCode}: ${firstLine(error.message)}`, { cause: error });
}

/** Whether a socket error is a TLS failure (OpenSSL alert or certificate error) rather than a network one. */
export function isTlsFailure(error: Error): boolean {
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || certificateCodes.has(code);
}

const certificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
]);

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
