import { describe, expect, it } from 'vitest';
import { RedirectError } from '../../src/node/connectivity/connectivity-errors.js';
import {
  decideRedirect,
  initialRedirectState,
  type RedirectDecision,
  type RedirectOptions,
  type RedirectRequest,
} from '../../src/node/connectivity/redirect-policy.js';

const on: RedirectOptions = { followRedirects: true };
const headers = {
  Authorization: 'Bearer secret',
  Cookie: 'sid=1',
  'Proxy-Authorization': 'Basic eA==',
  'X-Trace': 't1',
  Host: 'chat.example.com',
};

function follow(
  status: number,
  location: string | undefined,
  from: string,
  options: RedirectOptions = on,
  requestHeaders: Readonly<Record<string, string>> = headers,
): RedirectDecision & { follow: true } {
  const url = new URL(from);
  const request: RedirectRequest = { url, headers: requestHeaders };
  const decision = decideRedirect(
    { status, headers: location === undefined ? [] : [['location', location]] },
    request,
    initialRedirectState(url),
    options,
  );
  if (!decision.follow) throw new Error(`not followed: ${decision.reason}`);
  return decision;
}

function failure(run: () => unknown): RedirectError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RedirectError);
    return error as RedirectError;
  }
  throw new Error('expected a RedirectError');
}

describe('decideRedirect: where to go', () => {
  const table: Array<[status: number, location: string, from: string, to: string]> = [
    [301, '/v2/socket', 'wss://chat.example.com/socket', 'wss://chat.example.com/v2/socket'],
    [302, 'v2', 'wss://chat.example.com/a/socket?x=1', 'wss://chat.example.com/a/v2'],
    [303, '?room=2', 'ws://chat.example.com/socket?room=1', 'ws://chat.example.com/socket?room=2'],
    [307, '//other.example.com/s', 'wss://chat.example.com/socket', 'wss://other.example.com/s'],
    [308, 'https://other.example.com:8443/s', 'wss://chat.example.com/socket', 'wss://other.example.com:8443/s'],
    [301, 'http://chat.example.com/s', 'ws://chat.example.com/socket', 'ws://chat.example.com/s'],
    [301, 'wss://chat.example.com/s', 'ws://chat.example.com/socket', 'wss://chat.example.com/s'],
    [301, 'ws://chat.example.com:80/s', 'ws://chat.example.com:8080/socket', 'ws://chat.example.com/s'],
    [302, '/s#fragment', 'wss://chat.example.com/socket', 'wss://chat.example.com/s'],
    [302, ' /padded ', 'wss://chat.example.com/socket', 'wss://chat.example.com/padded'],
    [302, '/v2?x=1', 'ws+unix:/tmp/app.sock:/socket', 'ws+unix:/tmp/app.sock:/v2?x=1'],
    [302, 'next', 'ws+unix:/tmp/app.sock:/a/socket', 'ws+unix:/tmp/app.sock:/a/next'],
    [302, 'ws+unix:/tmp/other.sock:/x', 'ws+unix:/tmp/app.sock:/socket', 'ws+unix:/tmp/other.sock:/x'],
  ];
  it.each(table)('%i Location %j from %s → %s', (status, location, from, to) => {
    expect(follow(status, location, from).url.href).toBe(to);
  });
});

describe('decideRedirect: headers across origins', () => {
  it('keeps every header within the origin', () => {
    const decision = follow(302, '/elsewhere', 'wss://chat.example.com/socket');
    expect(decision.crossOrigin).toBe(false);
    expect(decision.headers).toEqual(headers);
    expect(decision.removedHeaders).toEqual([]);
  });

  it.each([
    ['another host', 'wss://other.example.com/socket'],
    ['a subdomain', 'wss://eu.chat.example.com/socket'],
    ['another port', 'wss://chat.example.com:8443/socket'],
    ['another scheme', 'ws://chat.example.com:443/socket'],
  ])('drops Authorization, Cookie, Proxy-Authorization and Host when leaving for %s', (_name, location) => {
    const decision = follow(307, location, 'wss://chat.example.com/socket', { followRedirects: true, allowInsecureRedirect: true });
    expect(decision.crossOrigin).toBe(true);
    expect(decision.headers).toEqual({ 'X-Trace': 't1' });
    expect(decision.removedHeaders).toEqual(['Authorization', 'Cookie', 'Proxy-Authorization', 'Host']);
  });

  it('matches header names in any case', () => {
    const decision = follow(307, 'wss://other.example.com/', 'wss://chat.example.com/', on, {
      authorization: 'a',
      COOKIE: 'c',
      'x-keep': 'k',
    });
    expect(decision.headers).toEqual({ 'x-keep': 'k' });
  });

  it('treats the default port and an explicit default port as one origin', () => {
    expect(follow(301, 'wss://chat.example.com:443/x', 'wss://chat.example.com/socket').crossOrigin).toBe(false);
  });

  it('treats another Unix socket as another origin', () => {
    expect(follow(302, 'ws+unix:/tmp/other.sock:/x', 'ws+unix:/tmp/app.sock:/socket').crossOrigin).toBe(true);
    expect(follow(302, '/x', 'ws+unix:/tmp/app.sock:/socket').crossOrigin).toBe(false);
  });
});

describe('decideRedirect: what is not followed', () => {
  const request = { url: new URL('wss://chat.example.com/'), headers: {} };
  const state = initialRedirectState(request.url);

  it('is off by default', () => {
    expect(decideRedirect({ status: 302, headers: [['location', '/x']] }, request, state)).toEqual({ follow: false, reason: 'disabled' });
  });

  it.each([200, 300, 304, 305, 400, 401, 404, 500])('status %i is not a redirect', (status) => {
    expect(decideRedirect({ status, headers: [['location', '/x']] }, request, state, on)).toEqual({
      follow: false,
      reason: 'not-a-redirect',
    });
  });
});

describe('decideRedirect: typed errors', () => {
  it('needs exactly one Location', () => {
    expect(failure(() => follow(302, undefined, 'wss://a.test/')).code).toBe('ERR_REDIRECT');
    expect(failure(() => follow(302, '  ', 'wss://a.test/')).code).toBe('ERR_REDIRECT');
    const url = new URL('wss://a.test/');
    const twice = failure(() =>
      decideRedirect(
        {
          status: 302,
          headers: [
            ['location', '/x'],
            ['location', '/y'],
          ],
        },
        { url, headers: {} },
        initialRedirectState(url),
        on,
      ),
    );
    expect(twice.code).toBe('ERR_REDIRECT');
    // The same value repeated is one Location.
    expect(
      decideRedirect(
        {
          status: 302,
          headers: [
            ['location', '/x'],
            ['location', '/x'],
          ],
        },
        { url, headers: {} },
        initialRedirectState(url),
        on,
      ).follow,
    ).toBe(true);
  });

  it.each([
    ['ftp://files.test/x', 'another scheme'],
    ['javascript:alert(1)', 'a script URL'],
    ['http://[bad', 'an unparsable URL'],
    ['ws+unix://host/x', 'a bad ws+unix URL'],
  ])('refuses Location %j (%s) with ERR_REDIRECT', (location) => {
    const error = failure(() => follow(302, location, 'wss://a.test/'));
    expect(error).toMatchObject({ code: 'ERR_REDIRECT', status: 302, location });
  });

  it('refuses a network URL redirected to ws+unix: with ERR_REDIRECT, even with allowInsecureRedirect', () => {
    const allowed = { followRedirects: true, allowInsecureRedirect: true };
    expect(failure(() => follow(302, 'ws+unix:/tmp/s.sock:/x', 'ws://a.test/', allowed))).toMatchObject({
      code: 'ERR_REDIRECT',
      status: 302,
    });
    expect(failure(() => follow(307, 'ws+unix:/tmp/s.sock', 'wss://a.test/', allowed)).code).toBe('ERR_REDIRECT');
    expect(follow(302, 'ws+unix:/tmp/other.sock:/x', 'ws+unix:/tmp/app.sock:/socket').url.href).toBe('ws+unix:/tmp/other.sock:/x');
  });

  it('refuses wss: to ws: unless allowed', () => {
    expect(failure(() => follow(301, 'ws://a.test/', 'wss://a.test/')).code).toBe('ERR_REDIRECT_DOWNGRADE');
    expect(failure(() => follow(301, 'http://a.test/', 'wss://a.test/')).code).toBe('ERR_REDIRECT_DOWNGRADE');
    expect(failure(() => follow(301, 'ws+unix:/tmp/s.sock', 'wss://a.test/')).code).toBe('ERR_REDIRECT_DOWNGRADE');
    expect(follow(301, 'ws://a.test/', 'wss://a.test/', { followRedirects: true, allowInsecureRedirect: true }).url.protocol).toBe('ws:');
  });

  it('stops a loop', () => {
    const first = new URL('wss://a.test/one');
    let state = initialRedirectState(first);
    const toTwo = decideRedirect({ status: 302, headers: [['location', '/two']] }, { url: first, headers: {} }, state, on);
    if (!toTwo.follow) throw new Error('expected to follow');
    state = toTwo.state;
    expect(state).toEqual({ count: 1, visited: ['wss://a.test/one', 'wss://a.test/two'] });
    const back = failure(() =>
      decideRedirect({ status: 302, headers: [['location', '/one#x']] }, { url: toTwo.url, headers: {} }, state, on),
    );
    expect(back).toMatchObject({ code: 'ERR_REDIRECT_LOOP', location: '/one#x' });
    expect(failure(() => follow(307, '/self', 'wss://a.test/self')).code).toBe('ERR_REDIRECT_LOOP');
  });

  it('counts redirects: default 10, configurable', () => {
    let url = new URL('wss://a.test/0');
    let state = initialRedirectState(url);
    for (let hop = 1; hop <= 10; hop += 1) {
      const decision = decideRedirect({ status: 302, headers: [['location', `/${hop}`]] }, { url, headers: {} }, state, on);
      if (!decision.follow) throw new Error('expected to follow');
      ({ url, state } = decision);
    }
    expect(state.count).toBe(10);
    const eleventh = failure(() => decideRedirect({ status: 302, headers: [['location', '/11']] }, { url, headers: {} }, state, on));
    expect(eleventh.code).toBe('ERR_TOO_MANY_REDIRECTS');
    expect(failure(() => follow(302, '/x', 'wss://a.test/', { followRedirects: true, maxRedirects: 0 })).code).toBe(
      'ERR_TOO_MANY_REDIRECTS',
    );
    expect(() => follow(302, '/x', 'wss://a.test/', { followRedirects: true, maxRedirects: -1 })).toThrow(RangeError);
  });
});
