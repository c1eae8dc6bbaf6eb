import type net from 'node:net';
import type { ConnectDeadline } from './connect-deadline.js';
import type { ConnectDiagnostics } from './connect-diagnostics.js';
import { ConnectivityInputError } from './connectivity-errors.js';
import { effectivePort, selectProxy, type Environment } from './proxy-from-env.js';
import { openTunnel } from './proxy-tunnel.js';
import { connectTcp, connectUnixSocket } from './tcp-connect.js';
import { upgradeToTls, type TlsSettings } from './tls-upgrade.js';
import { parseUnixSocketUrl } from './unix-socket-url.js';

/**
 * How to reach a WebSocket server: the connectivity part of the WebSocket options. Every field
 * is optional. The TLS fields (`ca`, `cert`, `key`, `passphrase`, `servername`,
 * `rejectUnauthorized` — default `true` —, `minVersion`, `maxVersion`) apply to the origin of a
 * `wss:` URL.
 */
export interface ConnectivityOptions extends TlsSettings {
  /**
   * HTTP proxy for `CONNECT`: a URL (`http://user:pass@proxy:3128`, `https://proxy:443`), or
   * `false` to ignore the environment. Default `undefined`: `HTTPS_PROXY` (wss), `HTTP_PROXY`
   * (ws), `ALL_PROXY`, minus `NO_PROXY` (see proxy-from-env.ts).
   */
  proxy?: string | URL | false | undefined;
  /** Hosts reached without the proxy, `NO_PROXY` syntax. Default: the `NO_PROXY` environment variable. */
  noProxy?: string | undefined;
  /** Environment read for proxy variables. Default `process.env`. */
  env?: Environment | undefined;
  /** Extra headers of the CONNECT request (e.g. `User-Agent`). Default: none. */
  proxyHeaders?: Readonly<Record<string, string>> | undefined;
  /** TLS settings for an `https://` proxy. Default: Node's CA store, verification on. */
  proxyTls?: TlsSettings | undefined;
  /** Largest answer to CONNECT accepted, in bytes. Default 16,384. */
  maxProxyResponseSize?: number | undefined;
  /** Custom DNS lookup, as `net.connect` takes it. Default `dns.lookup`. */
  lookup?: net.LookupFunction | undefined;
  /** Address family: 4, 6, or 0 for both. Default 0. */
  family?: 0 | 4 | 6 | undefined;
}

/** A connected stream to the origin, ready for the opening handshake. */
export interface OpenedConnection {
  /** TCP, Unix, tunnel or TLS socket, **paused**: attach the reader, then call `resume()`. */
  socket: net.Socket;
  /** Request target of the handshake's GET line (RFC 6455 §4.1: path and query, `/` when empty). */
  resource: string;
  /** Value of the `Host` header (RFC 6455 §4.1: host, and the port when not the default). */
  hostHeader: string;
  /** The proxy used, `undefined` for a direct connection. */
  proxy: URL | undefined;
  /** The socket reads through the `onread` given to openConnection (no 'data' events). */
  onread: boolean;
}

/**
 * Connects to the server of `url` (`ws:`, `wss:` or `ws+unix:`): direct TCP, a Unix socket, or
 * a `CONNECT` tunnel through the selected proxy, then TLS for `wss:` (SNI = `servername` or the
 * URL's host). All stages run under `deadline`, which the caller keeps for the handshake and
 * ends with `finish()`. On failure every socket opened here is destroyed, an `error` diagnostic
 * is published, and the typed error (`ERR_CONNECT`, `ERR_TLS`, `ERR_PROXY*`, `ERR_CONNECT_TIMEOUT`,
 * `ERR_ABORTED`, `ERR_INVALID_URL`) is thrown.
 */
export async function openConnection(
  url: URL,
  options: ConnectivityOptions,
  deadline: ConnectDeadline,
  diagnostics?: ConnectDiagnostics,
  onread?: net.OnReadOpts,
): Promise<OpenedConnection> {
  try {
    const opened = await connectByScheme(url, options, deadline, diagnostics, onread);
    opened.socket.pause();
    return opened;
  } catch (error) {
    diagnostics?.publishError(deadline.stage, error);
    throw error;
  }
}

async function connectByScheme(
  url: URL,
  options: ConnectivityOptions,
  deadline: ConnectDeadline,
  diagnostics: ConnectDiagnostics | undefined,
  onread: net.OnReadOpts | undefined,
): Promise<OpenedConnection> {
  if (url.protocol === 'ws+unix:') {
    const target = parseUnixSocketUrl(url);
    const socket = await connectUnixSocket({ socketPath: target.socketPath, deadline, diagnostics });
    return { socket, resource: target.resource, hostHeader: target.hostHeader, proxy: undefined, onread: false };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ConnectivityInputError('ERR_INVALID_URL', `Unsupported scheme ${url.protocol} (expected ws:, wss: or ws+unix:)`);
  }
  const port = effectivePort(url);
  const proxy = selectProxy(url, { proxy: options.proxy, noProxy: options.noProxy, env: options.env });
  // `onread` exists for plain TCP sockets only: TLS sockets and proxy tunnels keep 'data' events.
  const direct = proxy === undefined && url.protocol === 'ws:' ? onread : undefined;
  let socket: net.Socket =
    proxy === undefined
      ? await connectTcp({
          host: url.hostname,
          port,
          deadline,
          diagnostics,
          lookup: options.lookup,
          family: options.family,
          onread: direct,
        })
      : await openTunnel({
          proxy,
          targetHost: url.hostname,
          targetPort: port,
          headers: options.proxyHeaders,
          proxyTls: options.proxyTls,
          maxResponseSize: options.maxProxyResponseSize,
          deadline,
          diagnostics,
          lookup: options.lookup,
        });
  if (url.protocol === 'wss:') {
    socket = await upgradeToTls(socket, {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      passphrase: options.passphrase,
      rejectUnauthorized: options.rejectUnauthorized,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      servername: options.servername ?? url.hostname,
      peer: 'origin',
      deadline,
      diagnostics,
    });
  }
  return {
    socket,
    resource: `${url.pathname === '' ? '/' : url.pathname}${url.search}`,
    hostHeader: url.host,
    proxy,
    onread: direct !== undefined,
  };
}
