import { ConnectivityInputError } from './connectivity-errors.js';

/** Where a `ws+unix:` URL points. */
export interface UnixSocketTarget {
  /** Filesystem path of the Unix domain socket (percent-decoded). */
  socketPath: string;
  /** Request target of the handshake (RFC 6455 §3 resource name): path plus query, `/` when none. */
  resource: string;
  /** Value for the `Host` header: Unix sockets have no host, so `localhost` (what `ws` sends). */
  hostHeader: string;
}

/** Whether `url` is a `ws+unix:` URL. */
export function isUnixSocketUrl(url: URL): boolean {
  return url.protocol === 'ws+unix:';
}

/**
 * Splits a `ws+unix:` URL into socket path and request resource, with the rule of the `ws`
 * package: the path runs to the first `:`, the resource is what follows it (plus the query).
 *
 * | URL | socketPath | resource |
 * |---|---|---|
 * | `ws+unix:/tmp/app.sock` | `/tmp/app.sock` | `/` |
 * | `ws+unix:/tmp/app.sock:/chat?room=1` | `/tmp/app.sock` | `/chat?room=1` |
 * | `ws+unix:///tmp/app.sock:/chat` | `/tmp/app.sock` | `/chat` |
 *
 * Unlike `ws`, colons after the first stay in the resource (`:/a:b` → `/a:b`), and the socket
 * path is percent-decoded (`%20` → space). Throws `ERR_INVALID_URL` for another scheme, a host
 * (`ws+unix://tmp/sock` is a common typo for `ws+unix:///tmp/sock`), an empty socket path, a
 * fragment (RFC 6455 §3 forbids one) or bad percent-encoding.
 */
export function parseUnixSocketUrl(input: string | URL): UnixSocketTarget {
  let url: URL;
  try {
    url = input instanceof URL ? input : new URL(input);
  } catch (cause) {
    throw new ConnectivityInputError('ERR_INVALID_URL', `Invalid URL: ${String(input)}`, { cause });
  }
  if (url.protocol !== 'ws+unix:') throw new ConnectivityInputError('ERR_INVALID_URL', `Not a ws+unix: URL: ${url.href}`);
  if (url.host !== '') {
    throw new ConnectivityInputError(
      'ERR_INVALID_URL',
      `A ws+unix: URL has no host (got "${url.host}"); write ws+unix:///path/to.sock or ws+unix:/path/to.sock`,
    );
  }
  if (url.hash !== '') throw new ConnectivityInputError('ERR_INVALID_URL', 'WebSocket URLs must not contain a fragment (RFC 6455 §3)');
  const pathAndResource = url.pathname;
  const separator = pathAndResource.indexOf(':');
  const encodedPath = separator === -1 ? pathAndResource : pathAndResource.slice(0, separator);
  const rawResource = separator === -1 ? '' : pathAndResource.slice(separator + 1);
  let socketPath: string;
  try {
    socketPath = decodeURIComponent(encodedPath);
  } catch (cause) {
    throw new ConnectivityInputError('ERR_INVALID_URL', `Malformed percent-encoding in the socket path of ${url.href}`, { cause });
  }
  if (socketPath === '' || socketPath === '/')
    throw new ConnectivityInputError('ERR_INVALID_URL', `The ws+unix: URL names no socket path: ${url.href}`);
  if (socketPath.includes('\0')) throw new ConnectivityInputError('ERR_INVALID_URL', 'The socket path contains a NUL byte');
  const path = rawResource === '' ? '/' : rawResource.startsWith('/') ? rawResource : `/${rawResource}`;
  return { socketPath, resource: `${path}${url.search}`, hostHeader: 'localhost' };
}

/** Builds the `ws+unix:` URL of `socketPath` and `resource` (inverse of {@link parseUnixSocketUrl}). */
export function formatUnixSocketUrl(socketPath: string, resource: string): URL {
  const encodedPath = socketPath
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
  return new URL(`ws+unix:${encodedPath}:${resource.startsWith('/') ? resource : `/${resource}`}`);
}
