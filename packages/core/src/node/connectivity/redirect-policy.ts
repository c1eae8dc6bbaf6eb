import type { HeaderList } from '../../protocol/errors.js';
import { RedirectError } from './connectivity-errors.js';
import { redactCredentials } from './proxy-from-env.js';
import { formatUnixSocketUrl, parseUnixSocketUrl } from './unix-socket-url.js';

/** How handshake redirects are handled. Every field is optional. */
export interface RedirectOptions {
  /** Follow 301/302/303/307/308 answers to the handshake. Default `false`: a 3xx fails the handshake like any non-101 status. */
  followRedirects?: boolean | undefined;
  /** Most redirects followed in one connection attempt. Default 10. Exceeding it fails with `ERR_TOO_MANY_REDIRECTS`. */
  maxRedirects?: number | undefined;
  /**
   * Allow a redirect from `wss:` to `ws:`. Default `false`: `ERR_REDIRECT_DOWNGRADE`. A redirect from
   * `ws:`/`wss:` to `ws+unix:` is refused whatever this says (`ERR_REDIRECT`).
   */
  allowInsecureRedirect?: boolean | undefined;
}

/** Default of {@link RedirectOptions.maxRedirects}. */
export const defaultMaxRedirects = 10;

/**
 * Headers removed from the request when a redirect leaves the origin (names lower case). Proxy
 * credentials from the proxy URL never reach an origin (they go to the proxy only, in CONNECT);
 * a `Proxy-Authorization` the caller put in the request headers is dropped like `Authorization`.
 */
export const crossOriginSensitiveHeaders: readonly string[] = Object.freeze([
  'authorization',
  'cookie',
  'proxy-authorization',
  // The Host of the old origin would be wrong at the new one; the connect code sets it again.
  'host',
]);

/** The statuses followed as redirects (RFC 9110 §15.4; 300, 304 and 305 are not). */
export const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Redirects followed so far in one attempt. Start with {@link initialRedirectState}. */
export interface RedirectState {
  /** Redirects followed so far. */
  readonly count: number;
  /** Every URL requested so far (href, fragment removed), the first one included. */
  readonly visited: readonly string[];
}

/** The state before the first request to `url`. */
export function initialRedirectState(url: URL): RedirectState {
  return { count: 0, visited: [withoutFragment(url).href] };
}

/** The handshake answer being considered. */
export interface RedirectResponse {
  status: number;
  /** Response headers, names lower case (the engine's HeaderList). */
  headers: HeaderList;
}

/** The request that got the answer. */
export interface RedirectRequest {
  url: URL;
  /** The caller's extra request headers (any case). */
  headers: Readonly<Record<string, string>>;
}

/** What to do with a handshake answer. */
export type RedirectDecision =
  | {
      readonly follow: false;
      /** `not-a-redirect`: the status is not 301/302/303/307/308; `disabled`: `followRedirects` is off. */
      readonly reason: 'not-a-redirect' | 'disabled';
    }
  | {
      readonly follow: true;
      /** The next URL (`ws:`, `wss:` or `ws+unix:`, no fragment). */
      readonly url: URL;
      /** The headers to send to it. */
      readonly headers: Readonly<Record<string, string>>;
      /** The header names removed (as the caller spelled them). */
      readonly removedHeaders: readonly string[];
      /** Whether the new URL has another origin (scheme, host or port differ; RFC 6454 §4). */
      readonly crossOrigin: boolean;
      /** The state to pass with the next answer. */
      readonly state: RedirectState;
    };

/**
 * Decides whether and where to follow a 3xx answer to the opening handshake. Pure: no I/O.
 *
 * The `Location` is resolved against the current URL; `http:` becomes `ws:` and `https:`
 * becomes `wss:`; a relative `Location` from a `ws+unix:` URL stays on the same socket. When the
 * new URL has another origin, `Authorization`, `Cookie`, `Proxy-Authorization` and `Host` are
 * removed from the headers. Throws {@link RedirectError}: `ERR_REDIRECT` (no, several or a bad
 * `Location`; a scheme other than ws/wss/http/https/ws+unix), `ERR_REDIRECT_LOOP` (a URL
 * already requested in this attempt), `ERR_TOO_MANY_REDIRECTS` (more than `maxRedirects`),
 * `ERR_REDIRECT_DOWNGRADE` (`wss:` to a non-TLS URL without `allowInsecureRedirect`);
 * `ERR_REDIRECT` also for a network URL (`ws:`/`wss:`) redirected to `ws+unix:`, always.
 */
export function decideRedirect(
  response: RedirectResponse,
  request: RedirectRequest,
  state: RedirectState,
  options: RedirectOptions = {},
): RedirectDecision {
  if (!redirectStatuses.has(response.status)) return { follow: false, reason: 'not-a-redirect' };
  if (options.followRedirects !== true) return { follow: false, reason: 'disabled' };
  const { status } = response;
  const locations = response.headers.filter(([name]) => name === 'location').map(([, value]) => value.trim());
  const location = locations[0] ?? '';
  if (locations.length === 0 || location === '') {
    throw new RedirectError('ERR_REDIRECT', `Redirect ${status} without a Location header`, { status, location });
  }
  if (locations.some((other) => other !== location)) {
    throw new RedirectError('ERR_REDIRECT', `Redirect ${status} with conflicting Location headers`, { status, location });
  }
  const next = resolveLocation(location, request.url, status);
  const maxRedirects = options.maxRedirects ?? defaultMaxRedirects;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new RangeError(`maxRedirects must be an integer ≥ 0, got ${maxRedirects}`);
  if (state.visited.includes(next.href)) {
    throw new RedirectError('ERR_REDIRECT_LOOP', `Redirect loop: ${redactCredentials(next.href)} was already requested`, {
      status,
      location,
    });
  }
  if (state.count + 1 > maxRedirects) {
    throw new RedirectError('ERR_TOO_MANY_REDIRECTS', `More than ${maxRedirects} redirects`, { status, location });
  }
  if (request.url.protocol === 'wss:' && next.protocol !== 'wss:' && options.allowInsecureRedirect !== true) {
    throw new RedirectError(
      'ERR_REDIRECT_DOWNGRADE',
      `Refusing redirect from ${request.url.protocol} to ${next.protocol} (set allowInsecureRedirect to allow)`,
      {
        status,
        location,
      },
    );
  }
  if (next.protocol === 'ws+unix:' && request.url.protocol !== 'ws+unix:') {
    // A network server must not reach the local machine's sockets through the client (SSRF): only
    // a URL that is already a Unix socket may lead to one.
    throw new RedirectError('ERR_REDIRECT', `Refusing redirect from ${request.url.protocol} to a ws+unix: socket`, { status, location });
  }
  const crossOrigin = originOf(next) !== originOf(request.url);
  const removedHeaders: string[] = [];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (crossOrigin && crossOriginSensitiveHeaders.includes(name.toLowerCase())) removedHeaders.push(name);
    else headers[name] = value;
  }
  return {
    follow: true,
    url: next,
    headers,
    removedHeaders,
    crossOrigin,
    state: { count: state.count + 1, visited: [...state.visited, next.href] },
  };
}

/** Resolves `location` against `current` and maps it to a WebSocket URL. */
function resolveLocation(location: string, current: URL, status: number): URL {
  const fail = (message: string, cause?: unknown): never => {
    throw new RedirectError('ERR_REDIRECT', message, { status, location, ...(cause === undefined ? {} : { cause }) });
  };
  if (current.protocol === 'ws+unix:' && !/^[a-z][a-z0-9+.-]*:/i.test(location)) {
    // A relative Location from a Unix socket: resolve against the resource, keep the socket.
    const { socketPath, resource } = parseUnixSocketUrl(current);
    let resolved: URL;
    try {
      resolved = new URL(location, new URL(resource, 'http://localhost'));
    } catch (cause) {
      return fail(`Invalid Location ${JSON.stringify(location)}`, cause);
    }
    if (resolved.host !== 'localhost')
      return fail(`A relative Location from a ws+unix: URL cannot name a host: ${JSON.stringify(location)}`);
    return formatUnixSocketUrl(socketPath, `${resolved.pathname}${resolved.search}`);
  }
  let resolved: URL;
  try {
    // RFC 9110 §10.2.2: Location may be relative to the target URI. ws:/wss: are special schemes in the WHATWG URL parser, so resolution works on them directly.
    resolved = new URL(location, current.protocol === 'ws+unix:' ? undefined : current);
  } catch (cause) {
    return fail(`Invalid Location ${JSON.stringify(location)}`, cause);
  }
  switch (resolved.protocol) {
    case 'http:':
      resolved.protocol = 'ws:';
      break;
    case 'https:':
      resolved.protocol = 'wss:';
      break;
    case 'ws:':
    case 'wss:':
      break;
    case 'ws+unix:':
      try {
        parseUnixSocketUrl(resolved);
      } catch (cause) {
        return fail(`Invalid ws+unix: Location ${JSON.stringify(location)}`, cause);
      }
      break;
    default:
      return fail(`Unsupported scheme in Location: ${resolved.protocol}`);
  }
  return withoutFragment(resolved);
}

/** RFC 6455 §3: WebSocket URIs carry no fragment; one in Location (RFC 9110 §10.2.2) is dropped. */
function withoutFragment(url: URL): URL {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy;
}

/** The RFC 6454 origin (scheme, host, port) of a WebSocket URL; a Unix socket is its own origin. */
function originOf(url: URL): string {
  if (url.protocol === 'ws+unix:') return `ws+unix:${parseUnixSocketUrl(url).socketPath}`;
  const port = url.port !== '' ? url.port : url.protocol === 'wss:' ? '443' : '80';
  return `${url.protocol}//${url.hostname}:${port}`;
}
