import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/protocol/errors.js';
import {
  WEBSOCKET_GUID,
  createKey,
  expectedAccept,
  formatHandshakeRequest,
  normalizeHeaders,
  validateRequestInput,
  type HandshakeRequestInput,
} from '../../src/protocol/handshake-request.js';
import { RFC_ACCEPT, RFC_KEY, acceptFor, ascii, countingFill, rfcFill, sha1, thrown } from './engine-fixtures.js';

function input(overrides: Partial<HandshakeRequestInput> = {}): HandshakeRequestInput {
  return {
    resource: '/chat',
    hostHeader: 'server.example.com',
    key: RFC_KEY,
    protocols: [],
    extensions: '',
    origin: undefined,
    headers: [],
    ...overrides,
  };
}

describe('Sec-WebSocket-Key and -Accept (RFC 6455 §4.1, §4.2.2)', () => {
  it('the key is 16 random bytes in base64', () => {
    expect(createKey(rfcFill())).toBe(RFC_KEY);
    expect(createKey(countingFill())).toBe('AAECAwQFBgcICQoLDA0ODw==');
    expect(Buffer.from(createKey(countingFill()), 'base64')).toHaveLength(16);
  });

  it('computes the §1.3 example accept value', () => {
    expect(WEBSOCKET_GUID).toBe('258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    expect(expectedAccept(RFC_KEY, sha1)).toBe(RFC_ACCEPT);
    expect(expectedAccept('AAECAwQFBgcICQoLDA0ODw==', sha1)).toBe(acceptFor('AAECAwQFBgcICQoLDA0ODw=='));
  });
});

describe('formatHandshakeRequest (RFC 6455 §4.1)', () => {
  it('writes the minimal request', () => {
    expect(formatHandshakeRequest(input())).toEqual(
      ascii(
        'GET /chat HTTP/1.1\r\n' +
          'Host: server.example.com\r\n' +
          'Upgrade: websocket\r\n' +
          'Connection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
          'Sec-WebSocket-Version: 13\r\n' +
          '\r\n',
      ),
    );
  });

  it('writes Origin, subprotocols in order, extensions and custom headers in order', () => {
    const request = input({
      resource: '/chat?room=1',
      hostHeader: '[::1]:8080',
      origin: 'http://example.com',
      protocols: ['chat', 'superchat'],
      extensions: 'permessage-deflate; client_max_window_bits',
      headers: [
        ['Authorization', 'Bearer abc'],
        ['X-Trace', 'é\tend'],
      ],
    });
    expect(formatHandshakeRequest(request)).toEqual(
      ascii(
        'GET /chat?room=1 HTTP/1.1\r\n' +
          'Host: [::1]:8080\r\n' +
          'Upgrade: websocket\r\n' +
          'Connection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
          'Sec-WebSocket-Version: 13\r\n' +
          'Origin: http://example.com\r\n' +
          'Sec-WebSocket-Protocol: chat, superchat\r\n' +
          'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n' +
          'Authorization: Bearer abc\r\n' +
          'X-Trace: \u00e9\tend\r\n' +
          '\r\n',
      ),
    );
  });
});

describe('normalizeHeaders', () => {
  it('accepts a record, a list of pairs or nothing', () => {
    expect(normalizeHeaders(undefined)).toEqual([]);
    expect(normalizeHeaders({ A: '1', B: '2' })).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(
      normalizeHeaders([
        ['Cookie', 'a=1'],
        ['Cookie', 'b=2'],
      ]),
    ).toEqual([
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
    ]);
  });
});

describe('validateRequestInput: rejects what would corrupt the request', () => {
  it('accepts ordinary input', () => {
    expect(() =>
      validateRequestInput(
        input({ headers: [['X-Ok', 'value with spaces, and "quotes"']], protocols: ['a', 'b.c', 'v1!'], origin: 'https://x' }),
      ),
    ).not.toThrow();
  });

  const cases: Array<[string, Partial<HandshakeRequestInput>, string]> = [
    ['CR in a header value', { headers: [['X-A', 'a\rb']] }, 'ERR_INVALID_HEADER'],
    ['LF in a header value', { headers: [['X-A', 'a\nInjected: 1']] }, 'ERR_INVALID_HEADER'],
    ['NUL in a header value', { headers: [['X-A', 'a\0b']] }, 'ERR_INVALID_HEADER'],
    ['a control character in a header value', { headers: [['X-A', 'a\x01b']] }, 'ERR_INVALID_HEADER'],
    ['a space in a header name', { headers: [['X A', 'v']] }, 'ERR_INVALID_HEADER'],
    ['a colon in a header name', { headers: [['X:A', 'v']] }, 'ERR_INVALID_HEADER'],
    ['an empty header name', { headers: [['', 'v']] }, 'ERR_INVALID_HEADER'],
    ['a non-ASCII header name', { headers: [['X-\u00e9', 'v']] }, 'ERR_INVALID_HEADER'],
    ['a header value above U+00FF', { headers: [['X-A', '\u20ac']] }, 'ERR_INVALID_HEADER'],
    ['Host', { headers: [['Host', 'evil']] }, 'ERR_INVALID_HEADER'],
    ['upgrade (any case)', { headers: [['upGRADE', 'h2c']] }, 'ERR_INVALID_HEADER'],
    ['Connection', { headers: [['Connection', 'close']] }, 'ERR_INVALID_HEADER'],
    ['Sec-WebSocket-Key', { headers: [['Sec-WebSocket-Key', 'x']] }, 'ERR_INVALID_HEADER'],
    ['Sec-WebSocket-Version', { headers: [['Sec-WebSocket-Version', '8']] }, 'ERR_INVALID_HEADER'],
    ['Sec-WebSocket-Protocol', { headers: [['Sec-WebSocket-Protocol', 'x']] }, 'ERR_INVALID_HEADER'],
    ['Sec-WebSocket-Extensions', { headers: [['Sec-WebSocket-Extensions', 'x']] }, 'ERR_INVALID_HEADER'],
    ['CR/LF in Origin', { origin: 'http://a\r\nX: 1' }, 'ERR_INVALID_HEADER'],
    ['NUL in Origin', { origin: 'http://a\0' }, 'ERR_INVALID_HEADER'],
    ['a control character in Origin', { origin: 'http://a\x01' }, 'ERR_INVALID_HEADER'],
    ['a character above U+00FF in Origin (it cannot be written as one byte)', { origin: 'http://\u20ac.example' }, 'ERR_INVALID_HEADER'],
    ['an empty subprotocol', { protocols: [''] }, 'ERR_INVALID_SUBPROTOCOL'],
    ['a subprotocol with a space', { protocols: ['a b'] }, 'ERR_INVALID_SUBPROTOCOL'],
    ['a subprotocol with a comma', { protocols: ['a,b'] }, 'ERR_INVALID_SUBPROTOCOL'],
    ['a subprotocol with a separator', { protocols: ['a/b'] }, 'ERR_INVALID_SUBPROTOCOL'],
    ['a duplicate subprotocol', { protocols: ['chat', 'chat'] }, 'ERR_INVALID_SUBPROTOCOL'],
    ['a resource not starting with /', { resource: 'chat' }, 'ERR_INVALID_URL'],
    ['a space in the resource', { resource: '/a b' }, 'ERR_INVALID_URL'],
    ['CR/LF in the resource', { resource: '/a\r\nX: 1' }, 'ERR_INVALID_URL'],
    ['a non-ASCII resource (RFC 3986 §3.3: percent-encode it)', { resource: '/\u20ac' }, 'ERR_INVALID_URL'],
    ['a control character in the resource', { resource: '/a\x7f' }, 'ERR_INVALID_URL'],
    ['a non-ASCII host (RFC 3986 §3.2.2: punycode it)', { hostHeader: 'b\u00fccher.example' }, 'ERR_INVALID_URL'],
    ['an empty host', { hostHeader: '' }, 'ERR_INVALID_URL'],
    ['CR/LF in the host', { hostHeader: 'a\r\nX: 1' }, 'ERR_INVALID_URL'],
  ];

  it.each(cases)('rejects %s', (_label, overrides, code) => {
    const error = thrown(() => validateRequestInput(input(overrides)));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe(code);
  });
});
