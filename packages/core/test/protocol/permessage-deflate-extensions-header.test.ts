import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandshakeError } from '../../src/protocol/errors.js';
import { isToken, parseExtensionsHeader, type ExtensionElement } from '../../src/protocol/permessage-deflate-extensions-header.js';

function parseError(value: string | readonly string[]): HandshakeError {
  try {
    parseExtensionsHeader(value);
  } catch (error) {
    expect(error).toBeInstanceOf(HandshakeError);
    return error as HandshakeError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('parseExtensionsHeader (RFC 6455 §9.1)', () => {
  const good: Array<[string, ExtensionElement[]]> = [
    ['permessage-deflate', [{ name: 'permessage-deflate', params: [] }]],
    [
      'permessage-deflate; client_max_window_bits',
      [{ name: 'permessage-deflate', params: [{ name: 'client_max_window_bits', value: null }] }],
    ],
    [
      'permessage-deflate;server_max_window_bits=10;client_no_context_takeover',
      [
        {
          name: 'permessage-deflate',
          params: [
            { name: 'server_max_window_bits', value: '10' },
            { name: 'client_no_context_takeover', value: null },
          ],
        },
      ],
    ],
    [
      'permessage-deflate; server_max_window_bits="10"',
      [{ name: 'permessage-deflate', params: [{ name: 'server_max_window_bits', value: '10' }] }],
    ],
    // quoted-pair unescapes to the token character
    ['x; a="\\1\\0"', [{ name: 'x', params: [{ name: 'a', value: '10' }] }]],
    // implied LWS around every separator (RFC 2616 §2.1)
    [
      ' \tfoo \t; a = b \t,\tbar ; c ',
      [
        { name: 'foo', params: [{ name: 'a', value: 'b' }] },
        { name: 'bar', params: [{ name: 'c', value: null }] },
      ],
    ],
    // RFC 7230 §7: empty list elements are ignored
    [
      ', foo, ,bar,',
      [
        { name: 'foo', params: [] },
        { name: 'bar', params: [] },
      ],
    ],
    // parameter order and repeated names are preserved for the validator to judge
    [
      'x; b; a=1; b',
      [
        {
          name: 'x',
          params: [
            { name: 'b', value: null },
            { name: 'a', value: '1' },
            { name: 'b', value: null },
          ],
        },
      ],
    ],
    ["x; t=!#$%&'*+-.^_`|~09AZaz", [{ name: 'x', params: [{ name: 't', value: "!#$%&'*+-.^_`|~09AZaz" }] }]],
  ];
  it.each(good)('parses %j', (header, expected) => {
    expect(parseExtensionsHeader(header)).toEqual(expected);
  });

  it('joins several header lines into one list (RFC 6455 §9.1)', () => {
    expect(parseExtensionsHeader(['foo; a', 'bar'])).toEqual([
      { name: 'foo', params: [{ name: 'a', value: null }] },
      { name: 'bar', params: [] },
    ]);
  });

  const bad: Array<[string, RegExp]> = [
    ['', /lists no extension/],
    [' , ,', /lists no extension/],
    ['foo bar', /expected ";" or "," after extension "foo", found "b" at index 4/],
    ['foo;', /expected a parameter name, found the end of the header/],
    ['foo; ;a', /expected a parameter name, found ";" at index 5/],
    ['foo; a=', /expected a value for parameter "a", found the end/],
    ['foo; a=,', /expected a value for parameter "a", found "," at index 7/],
    ['foo; a==b', /expected a value for parameter "a", found "=" at index 7/],
    ['foo; a=b=c', /expected ";" or "," after extension "foo", found "=" at index 8/],
    ['foo; a="10', /unterminated quoted-string starting at index 7/],
    ['foo; a="1\\', /unterminated quoted-pair/],
    ['foo; a="1 0"', /not a token once unquoted/],
    ['foo; a=""', /not a token once unquoted/],
    ['foo; a="a,b"', /not a token once unquoted/],
    ['foo; a="x\u0001"', /invalid character 0x01 in a quoted-string at index 9/],
    ['f(o)o', /expected ";" or "," after extension "f", found "\(" at index 1/],
    ['; a', /expected an extension name, found ";" at index 0/],
    ['foo; a=b c', /found "c" at index 9/],
    ['fo\u00e9', /found 0xe9 at index 2/],
  ];
  it.each(bad)('rejects %j with ERR_HANDSHAKE_EXTENSION', (header, message) => {
    const error = parseError(header);
    expect(error.code).toBe('ERR_HANDSHAKE_EXTENSION');
    expect(error.message).toMatch(message);
  });

  it('parses any list it can be given in canonical form back to the same elements', () => {
    const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,8}$/);
    const param = fc.record({ name: token, value: fc.option(token, { nil: null }) });
    const element = fc.record({ name: token, params: fc.array(param, { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 4 }), fc.boolean(), (elements, quote) => {
        const header = elements
          .map((e) =>
            [e.name, ...e.params.map((p) => (p.value === null ? p.name : `${p.name}=${quote ? `"${p.value}"` : p.value}`))].join('; '),
          )
          .join(', ');
        expect(parseExtensionsHeader(header)).toEqual(elements);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isToken', () => {
  it.each([
    ['permessage-deflate', true],
    ['10', true],
    ['', false],
    ['a b', false],
    ['a"b', false],
    ['a,b', false],
    ['é', false],
  ])('%j → %s', (value, expected) => {
    expect(isToken(value)).toBe(expected);
  });
});
