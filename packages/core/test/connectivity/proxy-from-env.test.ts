import { describe, expect, it } from 'vitest';
import { KeelError } from '../../src/protocol/errors.js';
import {
  matchesNoProxy,
  parseNoProxy,
  parseProxyUrl,
  proxyFromEnvironment,
  redactCredentials,
  selectProxy,
  type Environment,
} from '../../src/node/connectivity/proxy-from-env.js';

const wss = new URL('wss://api.example.com/socket');
const ws = new URL('ws://api.example.com/socket');

describe('proxyFromEnvironment', () => {
  const table: Array<[name: string, target: URL, env: Environment, expected: string | undefined]> = [
    ['nothing set', wss, {}, undefined],
    ['wss reads HTTPS_PROXY', wss, { HTTPS_PROXY: 'http://secure-proxy:3128' }, 'http://secure-proxy:3128/'],
    ['wss reads https_proxy', wss, { https_proxy: 'http://lower:3128' }, 'http://lower:3128/'],
    ['lower case wins over upper case', wss, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, 'http://lower:1/'],
    ['lower case wins for http_proxy too', ws, { http_proxy: 'http://lower:1', HTTP_PROXY: 'http://upper:2' }, 'http://lower:1/'],
    ['an empty lower case value falls back to upper case', wss, { https_proxy: '', HTTPS_PROXY: 'http://upper:2' }, 'http://upper:2/'],
    ['blank counts as unset', wss, { https_proxy: '   ' }, undefined],
    ['wss ignores HTTP_PROXY', wss, { HTTP_PROXY: 'http://plain:3128' }, undefined],
    ['ws reads HTTP_PROXY', ws, { HTTP_PROXY: 'http://plain:3128' }, 'http://plain:3128/'],
    ['ws ignores HTTPS_PROXY', ws, { HTTPS_PROXY: 'http://secure:3128' }, undefined],
    ['ALL_PROXY is the fallback for wss', wss, { ALL_PROXY: 'http://all:8080' }, 'http://all:8080/'],
    ['all_proxy is the fallback for ws', ws, { all_proxy: 'http://all:8080' }, 'http://all:8080/'],
    ['the scheme variable wins over ALL_PROXY', wss, { ALL_PROXY: 'http://all:1', HTTPS_PROXY: 'http://secure:2' }, 'http://secure:2/'],
    ['a value without scheme means http://', wss, { HTTPS_PROXY: 'proxy.corp:3128' }, 'http://proxy.corp:3128/'],
    ['an https:// proxy is kept', wss, { HTTPS_PROXY: 'https://proxy.corp' }, 'https://proxy.corp/'],
    ['credentials are kept', wss, { HTTPS_PROXY: 'http://u%40x:p%3Aw@proxy:3128' }, 'http://u%40x:p%3Aw@proxy:3128/'],
    ['https: targets behave as wss:', new URL('https://h/'), { HTTPS_PROXY: 'http://s:1' }, 'http://s:1/'],
    ['ws+unix: is never proxied', new URL('ws+unix:/tmp/s.sock'), { ALL_PROXY: 'http://all:1' }, undefined],
  ];
  it.each(table)('%s', (_name, target, env, expected) => {
    expect(proxyFromEnvironment(target, env)?.href).toBe(expected);
  });

  it('refuses a SOCKS proxy instead of silently going direct', () => {
    expect(() => proxyFromEnvironment(wss, { ALL_PROXY: 'socks5://127.0.0.1:1080' })).toThrow(
      expect.objectContaining({ code: 'ERR_PROXY' }),
    );
  });

  it('reports an unparsable proxy URL as ERR_INVALID_URL without leaking its credentials', () => {
    let caught: unknown;
    try {
      proxyFromEnvironment(wss, { HTTPS_PROXY: 'http://user:secret@bad host:1' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KeelError);
    expect((caught as KeelError).code).toBe('ERR_INVALID_URL');
    expect((caught as KeelError).message).not.toContain('secret');
  });
});

describe('parseNoProxy / matchesNoProxy', () => {
  const table: Array<[noProxy: string, target: string, expected: boolean]> = [
    ['', 'wss://example.com', false],
    ['*', 'wss://anything.test:9', true],
    [' * ', 'ws://x', true],
    ['example.com', 'wss://example.com', true],
    ['example.com', 'wss://a.example.com', true],
    ['example.com', 'wss://a.b.example.com/x', true],
    ['example.com', 'wss://badexample.com', false],
    ['example.com', 'wss://example.com.evil.test', false],
    ['.example.com', 'wss://example.com', true],
    ['.example.com', 'wss://a.example.com', true],
    ['*.example.com', 'wss://a.example.com', true],
    ['*.example.com', 'wss://example.com', true],
    ['EXAMPLE.COM', 'wss://Example.Com', true],
    ['example.com.', 'wss://example.com', true],
    ['example.com', 'wss://example.com./', true],
    ['other.test,example.com', 'wss://example.com', true],
    ['other.test example.com', 'wss://example.com', true],
    ['other.test, \t example.com', 'wss://example.com', true],
    ['other.test', 'wss://example.com', false],
    ['example.com:8443', 'wss://example.com:8443', true],
    ['example.com:8443', 'wss://example.com', false],
    ['example.com:443', 'wss://example.com', true],
    ['example.com:80', 'ws://example.com', true],
    ['example.com:80', 'wss://example.com', false],
    ['example.com:8443', 'wss://a.example.com:8443', true],
    ['10.1.2.3', 'ws://10.1.2.3', true],
    ['10.1.2.3', 'ws://10.1.2.30', false],
    ['10.1.2.3:8080', 'ws://10.1.2.3:8080', true],
    ['10.1.2.3:8080', 'ws://10.1.2.3', false],
    ['1.2.3', 'ws://10.1.2.3', false],
    ['::1', 'ws://[::1]:9000', true],
    ['[::1]', 'ws://[::1]', true],
    ['[::1]:9000', 'ws://[::1]:9000', true],
    ['[::1]:9000', 'ws://[::1]:9001', false],
    ['0:0:0:0:0:0:0:1', 'ws://[::1]', true],
    ['10.0.0.0/8', 'ws://10.200.3.4', true],
    ['10.0.0.0/8', 'ws://11.0.0.1', false],
    ['192.168.0.0/16', 'ws://192.168.255.1', true],
    ['fd00::/8', 'ws://[fd12::1]', true],
    ['fd00::/8', 'ws://[fe80::1]', false],
    ['10.0.0.0/8', 'ws://ten.example', false],
    ['localhost', 'ws://localhost:1234', true],
    ['localhost', 'ws://127.0.0.1', false],
    ['127.0.0.1', 'ws://localhost', false],
    ['bücher.example', 'wss://xn--bcher-kva.example', true],
  ];
  it.each(table)('NO_PROXY=%j, target %s → %s', (noProxy, target, expected) => {
    expect(matchesNoProxy(new URL(target), noProxy)).toBe(expected);
  });

  it('parses each entry kind and skips garbage', () => {
    expect(parseNoProxy('*, .a.test, b.test:81, 10.0.0.1, [::1]:82, 10.0.0.0/8, 10.0.0.0/99, [oops, host:999999')).toEqual([
      { kind: 'all' },
      { kind: 'domain', domain: 'a.test', port: undefined },
      { kind: 'domain', domain: 'b.test', port: 81 },
      { kind: 'ip', address: '10.0.0.1', port: undefined },
      { kind: 'ip', address: '::1', port: 82 },
      { kind: 'cidr', network: '10.0.0.0', prefix: 8 },
    ]);
  });
});

describe('selectProxy', () => {
  const env: Environment = { HTTPS_PROXY: 'http://env-proxy:3128', NO_PROXY: 'internal.test' };

  it('uses the environment by default and honours NO_PROXY', () => {
    expect(selectProxy(wss, { env })?.href).toBe('http://env-proxy:3128/');
    expect(selectProxy(new URL('wss://svc.internal.test'), { env })).toBeUndefined();
  });

  it('lets no_proxy (lower case) win over NO_PROXY', () => {
    expect(selectProxy(wss, { env: { ...env, no_proxy: 'example.com' } })).toBeUndefined();
    expect(selectProxy(new URL('wss://svc.internal.test'), { env: { ...env, no_proxy: 'example.com' } })?.href).toBe(
      'http://env-proxy:3128/',
    );
  });

  it('proxy: false ignores the environment', () => {
    expect(selectProxy(wss, { env, proxy: false })).toBeUndefined();
  });

  it('an explicit proxy wins over the environment and ignores the environment NO_PROXY', () => {
    expect(selectProxy(new URL('wss://svc.internal.test'), { env, proxy: 'http://explicit:8080' })?.href).toBe('http://explicit:8080/');
  });

  it('an explicit noProxy applies to an explicit proxy and replaces the environment one', () => {
    expect(selectProxy(wss, { env, proxy: new URL('http://explicit:8080'), noProxy: 'example.com' })).toBeUndefined();
    expect(selectProxy(new URL('wss://svc.internal.test'), { env, noProxy: 'other.test' })?.href).toBe('http://env-proxy:3128/');
  });
});

describe('parseProxyUrl / redactCredentials', () => {
  it('rejects a proxy URL without host and unsupported schemes', () => {
    expect(() => parseProxyUrl('ftp://proxy:21')).toThrow(expect.objectContaining({ code: 'ERR_PROXY' }));
    expect(() => parseProxyUrl('http://')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_URL' }));
  });

  it('copies a URL object rather than aliasing it', () => {
    const given = new URL('http://proxy:1');
    const parsed = parseProxyUrl(given);
    parsed.port = '2';
    expect(given.port).toBe('1');
  });

  it('hides credentials', () => {
    expect(redactCredentials('http://user:secret@proxy:3128/')).toBe('http://***@proxy:3128/');
    expect(redactCredentials('http://proxy:3128/')).toBe('http://proxy:3128/');
  });
});
