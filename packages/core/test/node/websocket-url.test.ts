import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/protocol/errors.js';
import { parseWebSocketUrl } from '../../src/node/websocket-url.js';

/** The WHATWG WebSocket constructor's URL steps (HTML §9.3.1 "new WebSocket(url, protocols)", steps 1-6), plus ws+unix:. */

function rejection(input: string): unknown {
  try {
    parseWebSocketUrl(input);
  } catch (error) {
    return error;
  }
  return null;
}

describe('parseWebSocketUrl', () => {
  it.each([
    ['ws://example.com/chat?room=1', 'ws://example.com/chat?room=1', '/chat?room=1', 'example.com'],
    ['wss://example.com', 'wss://example.com/', '/', 'example.com'],
    // Step 4: http: and https: become ws: and wss:.
    ['http://example.com/a', 'ws://example.com/a', '/a', 'example.com'],
    ['https://example.com:8443/a', 'wss://example.com:8443/a', '/a', 'example.com:8443'],
    // RFC 6455 §4.1: the Host header carries the port only when it is not the scheme's default.
    ['ws://example.com:80/', 'ws://example.com/', '/', 'example.com'],
    ['wss://example.com:443/', 'wss://example.com/', '/', 'example.com'],
    ['ws://example.com:443/', 'ws://example.com:443/', '/', 'example.com:443'],
    // IPv6 literals stay in brackets in the Host header (RFC 3986 §3.2.2).
    ['ws://[::1]:9000/x', 'ws://[::1]:9000/x', '/x', '[::1]:9000'],
    // The query stays in the resource, percent-encoded as the URL parser leaves it.
    ['ws://h/p a?q=a b', 'ws://h/p%20a?q=a%20b', '/p%20a?q=a%20b', 'h'],
  ])('%s: url %s, resource %s, Host %s', (input, href, resource, hostHeader) => {
    const parsed = parseWebSocketUrl(input);
    expect(parsed.url.href).toBe(href);
    expect(parsed.resource).toBe(resource);
    expect(parsed.hostHeader).toBe(hostHeader);
  });

  it('accepts a URL object as well as a string', () => {
    expect(parseWebSocketUrl(new URL('ws://example.com/a')).resource).toBe('/a');
  });

  it('maps ws+unix: URLs to the socket resource and the Host header localhost', () => {
    const parsed = parseWebSocketUrl('ws+unix:/tmp/app.sock:/chat?room=1');
    expect(parsed.resource).toBe('/chat?room=1');
    expect(parsed.hostHeader).toBe('localhost');
  });

  it.each([
    // Step 2: a string the URL parser rejects.
    ['not a url', /Invalid WebSocket URL/],
    // Step 5: another scheme.
    ['ftp://example.com/', /^Unsupported scheme ftp: \(ws:, wss:, ws\+unix:, or http: and https:/],
    // Step 6: a fragment, even an empty one.
    ['ws://example.com/#frag', /fragment/],
    ['ws://example.com/#', /fragment/],
    // ws+unix: rules (an empty socket path, a host where a path was meant).
    ['ws+unix://tmp/app.sock', /.+/],
    ['ws+unix:', /.+/],
  ])('rejects %s with UsageError ERR_INVALID_URL', (input, message) => {
    const error = rejection(input);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_URL' });
    expect((error as Error).message).toMatch(message);
  });
});
