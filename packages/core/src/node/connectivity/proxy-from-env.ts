import { BlockList, isIP, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { ConnectivityInputError } from './connectivity-errors.js';

/** Environment variables as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** How to choose the proxy for one target URL. */
export interface ProxySelectionOptions {
  /**
   * The proxy to use. A URL (`http://[user:password@]host[:port]` or `https://...`; a value
   * without a scheme means `http://`; the port defaults to 80 for `http:`, 443 for `https:`)
   * forces that proxy, `false` forces a direct connection and ignores the environment.
   * Default `undefined`: read the environment (see {@link proxyFromEnvironment}).
   */
  proxy?: string | URL | false | undefined;
  /**
   * Hosts to reach directly, in `NO_PROXY` syntax (see {@link matchesNoProxy}). Applies to an
   * explicit `proxy` too. Default `undefined`: `no_proxy`/`NO_PROXY` from the environment, and
   * no exclusions for an explicit `proxy`.
   */
  noProxy?: string | undefined;
  /** The environment to read. Default `process.env`; tests inject a plain object. */
  env?: Environment | undefined;
}

/**
 * The proxy to use for `target`, or `undefined` for a direct connection.
 *
 * `ws:`/`http:` targets read `http_proxy`/`HTTP_PROXY`, `wss:`/`https:` targets read
 * `https_proxy`/`HTTPS_PROXY`, both fall back to `all_proxy`/`ALL_PROXY`. As in curl, the lower
 * case name wins when both are set; an empty value counts as unset. `ws+unix:` targets are never
 * proxied. Throws `ERR_INVALID_URL` for a proxy URL that does not parse and `ERR_PROXY` for a
 * scheme other than `http:`/`https:` (a SOCKS proxy is refused rather than silently bypassed).
 */
export function selectProxy(target: URL, options: ProxySelectionOptions = {}): URL | undefined {
  if (options.proxy === false || target.protocol === 'ws+unix:') return undefined;
  const env = options.env ?? process.env;
  if (options.proxy !== undefined) {
    if (options.noProxy !== undefined && matchesNoProxy(target, options.noProxy)) return undefined;
    return parseProxyUrl(options.proxy);
  }
  const fromEnv = proxyFromEnvironment(target, env);
  if (fromEnv === undefined) return undefined;
  const noProxy = options.noProxy ?? readEnv(env, 'no_proxy');
  if (noProxy !== undefined && matchesNoProxy(target, noProxy)) return undefined;
  return fromEnv;
}

/**
 * The proxy the environment names for `target`'s scheme, ignoring `NO_PROXY`; `undefined` when
 * none is set or the scheme is not `ws:`, `wss:`, `http:` or `https:`.
 */
export function proxyFromEnvironment(target: URL, env: Environment = process.env): URL | undefined {
  const secure = target.protocol === 'wss:' || target.protocol === 'https:';
  const plain = target.protocol === 'ws:' || target.protocol === 'http:';
  if (!secure && !plain) return undefined;
  const value = readEnv(env, secure ? 'https_proxy' : 'http_proxy') ?? readEnv(env, 'all_proxy');
  return value === undefined ? undefined : parseProxyUrl(value);
}

/** Reads `name` (lower case) then `NAME`; blank values count as unset. */
function readEnv(env: Environment, lowerName: EnvName): string | undefined {
  // Every connection reads the environment (it may change at run time): no allocation here.
  const value = env[lowerName]?.trim();
  if (value !== undefined && value !== '') return value;
  const upper = env[upperNames[lowerName]]?.trim();
  return upper === undefined || upper === '' ? undefined : upper;
}

type EnvName = 'http_proxy' | 'https_proxy' | 'all_proxy' | 'no_proxy';
const upperNames: Readonly<Record<EnvName, string>> = {
  http_proxy: 'HTTP_PROXY',
  https_proxy: 'HTTPS_PROXY',
  all_proxy: 'ALL_PROXY',
  no_proxy: 'NO_PROXY',
};

/**
 * Parses a proxy URL. A value without `scheme://` means `http://` (as curl reads
 * `HTTP_PROXY=proxy:3128`). Only `http:` and `https:` proxies speak CONNECT.
 */
export function parseProxyUrl(value: string | URL): URL {
  let url: URL;
  if (value instanceof URL) {
    url = new URL(value.href);
  } else {
    const text = value.trim();
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    } catch (cause) {
      throw new ConnectivityInputError('ERR_INVALID_URL', `Invalid proxy URL: ${redactCredentials(text)}`, { cause });
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConnectivityInputError('ERR_PROXY', `Unsupported proxy scheme ${url.protocol} (only http: and https: proxies are supported)`);
  }
  if (url.hostname === '') throw new ConnectivityInputError('ERR_INVALID_URL', 'The proxy URL has no host');
  return url;
}

/** `value` with any `user:password@` replaced, for messages and diagnostics. */
export function redactCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}

/** One parsed `NO_PROXY` entry. */
export type NoProxyRule =
  | { readonly kind: 'all' }
  | { readonly kind: 'domain'; readonly domain: string; readonly port: number | undefined }
  | { readonly kind: 'ip'; readonly address: string; readonly port: number | undefined }
  | { readonly kind: 'cidr'; readonly network: string; readonly prefix: number };

/**
 * Parses a `NO_PROXY` value: entries separated by commas and/or white space, each one of
 * - `*`: every host;
 * - a host name or domain, with or without a leading `.` or `*.`: `example.com` matches
 *   `example.com` and every `*.example.com` (curl's rule);
 * - an IP literal (`10.1.2.3`, `::1`, `[::1]`), matched exactly (after normalisation);
 * - a CIDR block (`10.0.0.0/8`, `fd00::/8`), as curl ≥ 7.86 reads it;
 * - any of the host forms with `:port` (`example.com:8443`, `[::1]:8080`): only that port.
 * Entries that fit none of these are ignored, as other clients do.
 */
export function parseNoProxy(value: string): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const raw of value.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') {
      rules.push({ kind: 'all' });
      continue;
    }
    const rule = parseNoProxyEntry(entry);
    if (rule !== undefined) rules.push(rule);
  }
  return rules;
}

function parseNoProxyEntry(entry: string): NoProxyRule | undefined {
  const slash = entry.indexOf('/');
  if (slash !== -1) {
    const network = stripBrackets(entry.slice(0, slash));
    const prefixText = entry.slice(slash + 1);
    const family = isIP(network);
    if (family === 0 || !/^\d{1,3}$/.test(prefixText)) return undefined;
    const prefix = Number(prefixText);
    if (prefix > (family === 4 ? 32 : 128)) return undefined;
    return { kind: 'cidr', network, prefix };
  }
  let host = entry;
  let port: number | undefined;
  if (entry.startsWith('[')) {
    // `[v6]` or `[v6]:port`
    const close = entry.indexOf(']');
    if (close === -1) return undefined;
    host = entry.slice(1, close);
    const rest = entry.slice(close + 1);
    if (rest !== '') {
      if (!/^:\d{1,5}$/.test(rest)) return undefined;
      port = Number(rest.slice(1));
    }
  } else if (!isIPv6(entry)) {
    // A bare IPv6 literal has several colons and no port; anything else may end in `:port`.
    const match = /^(.*):(\d{1,5})$/.exec(entry);
    if (match !== null) {
      host = match[1] ?? '';
      port = Number(match[2]);
    }
  }
  if (port !== undefined && port > 65_535) return undefined;
  if (isIP(host) !== 0) return { kind: 'ip', address: host, port };
  const domain = domainToASCII(host.replace(/^\*?\.+/, '').replace(/\.$/, ''));
  if (domain === '') return undefined;
  return { kind: 'domain', domain, port };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The port a connection to `target` uses: the explicit one, else 443 for `wss:`/`https:`, 80 otherwise. */
export function effectivePort(target: URL): number {
  if (target.port !== '') return Number(target.port);
  return target.protocol === 'wss:' || target.protocol === 'https:' ? 443 : 80;
}

/** Whether `NO_PROXY` value `noProxy` says `target` is reached directly. See {@link parseNoProxy}. */
export function matchesNoProxy(target: URL, noProxy: string | readonly NoProxyRule[]): boolean {
  const rules = typeof noProxy === 'string' ? parseNoProxy(noProxy) : noProxy;
  if (rules.length === 0) return false;
  const host = stripBrackets(target.hostname.toLowerCase()).replace(/\.$/, '');
  const port = effectivePort(target);
  const family = isIP(host);
  for (const rule of rules) {
    switch (rule.kind) {
      case 'all':
        return true;
      case 'domain':
        if (family === 0 && portMatches(rule.port, port) && (host === rule.domain || host.endsWith(`.${rule.domain}`))) return true;
        break;
      case 'ip':
        if (family !== 0 && portMatches(rule.port, port) && sameAddress(host, family, rule.address)) return true;
        break;
      case 'cidr': {
        if (family === 0) break;
        const list = new BlockList();
        const ruleFamily = isIP(rule.network) === 4 ? 'ipv4' : 'ipv6';
        list.addSubnet(rule.network, rule.prefix, ruleFamily);
        if (list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
        break;
      }
    }
  }
  return false;
}

function portMatches(rulePort: number | undefined, port: number): boolean {
  return rulePort === undefined || rulePort === port;
}

/** Compares IP literals after normalisation (`::1` equals `0:0:0:0:0:0:0:1`). */
function sameAddress(host: string, family: number, address: string): boolean {
  const addressFamily = isIP(address);
  if (addressFamily !== family) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  list.addAddress(address, type);
  return list.check(host, type);
}
