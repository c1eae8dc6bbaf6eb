import { describe, expect, it } from 'vitest';
import { HandshakeError, UsageError } from '../../src/protocol/errors.js';
import {
  formatPerMessageDeflateOffer,
  negotiatePerMessageDeflate,
  resolvePerMessageDeflateOffers,
  type PerMessageDeflateOption,
  type PerMessageDeflateParams,
} from '../../src/protocol/permessage-deflate-negotiation.js';

function offerHeader(option: PerMessageDeflateOption | undefined): string {
  return formatPerMessageDeflateOffer(resolvePerMessageDeflateOffers(option));
}

function negotiate(
  option: PerMessageDeflateOption | undefined,
  answer: string | readonly string[] | undefined,
): PerMessageDeflateParams | null {
  return negotiatePerMessageDeflate(answer, resolvePerMessageDeflateOffers(option));
}

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected a failure');
}

const defaults: PerMessageDeflateParams = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
};

describe('the client offer (RFC 7692 §5.1, §7.1)', () => {
  const cases: Array<[string, PerMessageDeflateOption | undefined, string]> = [
    ['undefined: the default offer', undefined, 'permessage-deflate; client_max_window_bits'],
    ['true: the default offer', true, 'permessage-deflate; client_max_window_bits'],
    ['{}: the default offer', {}, 'permessage-deflate; client_max_window_bits'],
    ['false: nothing', false, ''],
    ['[]: nothing', [], ''],
    ['clientMaxWindowBits false', { clientMaxWindowBits: false }, 'permessage-deflate'],
    ['clientMaxWindowBits 10', { clientMaxWindowBits: 10 }, 'permessage-deflate; client_max_window_bits=10'],
    [
      'every parameter',
      { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 8 },
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=8',
    ],
    [
      'several configurations in preference order',
      [{ serverMaxWindowBits: 10 }, { serverNoContextTakeover: true, clientMaxWindowBits: false }, {}],
      'permessage-deflate; server_max_window_bits=10; client_max_window_bits, permessage-deflate; server_no_context_takeover, permessage-deflate; client_max_window_bits',
    ],
  ];
  it.each(cases)('%s', (_name, option, expected) => {
    expect(offerHeader(option)).toBe(expected);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['serverMaxWindowBits 7', { serverMaxWindowBits: 7 }, /perMessageDeflate\.serverMaxWindowBits must be an integer from 8 to 15, got 7/],
    ['serverMaxWindowBits 16', { serverMaxWindowBits: 16 }, /serverMaxWindowBits must be an integer from 8 to 15, got 16/],
    ['serverMaxWindowBits 9.5', { serverMaxWindowBits: 9.5 }, /got 9.5/],
    ['serverMaxWindowBits "10"', { serverMaxWindowBits: '10' }, /serverMaxWindowBits must be an integer/],
    ['serverMaxWindowBits true', { serverMaxWindowBits: true }, /serverMaxWindowBits must be an integer/],
    ['clientMaxWindowBits 16', { clientMaxWindowBits: 16 }, /clientMaxWindowBits must be a boolean or an integer from 8 to 15, got 16/],
    ['clientMaxWindowBits NaN', { clientMaxWindowBits: Number.NaN }, /got NaN/],
    ['serverNoContextTakeover 1', { serverNoContextTakeover: 1 }, /serverNoContextTakeover must be a boolean/],
    ['clientNoContextTakeover "yes"', { clientNoContextTakeover: 'yes' }, /clientNoContextTakeover must be a boolean/],
    ['an unknown field', { threshold: 10 }, /unknown field "threshold"/],
    ['null', null, /perMessageDeflate must be an object/],
    ['a bad entry in a list', [{}, { serverMaxWindowBits: 20 }], /perMessageDeflate\[1\]\.serverMaxWindowBits/],
    ['a non-object in a list', [{}, 3], /perMessageDeflate\[1\] must be an object/],
  ];
  it.each(invalid)('rejects %s with ERR_INVALID_OPTION', (_name, option, message) => {
    const error = failure(() => resolvePerMessageDeflateOffers(option as PerMessageDeflateOption));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('ERR_INVALID_OPTION');
    expect(error.message).toMatch(message);
  });
});

describe('validating the server answer (RFC 7692 §7.1)', () => {
  const accepted: Array<
    [string, PerMessageDeflateOption | undefined, string | readonly string[] | undefined, PerMessageDeflateParams | null]
  > = [
    ['no header: no compression', undefined, undefined, null],
    ['an empty header: no compression', undefined, '', null],
    ['no header when nothing was offered', false, undefined, null],
    ['the bare extension', undefined, 'permessage-deflate', defaults],
    [
      'server_no_context_takeover unasked (§7.1.1.1)',
      undefined,
      'permessage-deflate; server_no_context_takeover',
      { ...defaults, serverNoContextTakeover: true },
    ],
    [
      'client_no_context_takeover unasked (§7.1.1.2)',
      undefined,
      'permessage-deflate; client_no_context_takeover',
      { ...defaults, clientNoContextTakeover: true },
    ],
    [
      'client_no_context_takeover offered, not echoed: the client keeps its word',
      { clientNoContextTakeover: true },
      'permessage-deflate',
      { ...defaults, clientNoContextTakeover: true },
    ],
    [
      'server_no_context_takeover offered and echoed',
      { serverNoContextTakeover: true },
      'permessage-deflate; server_no_context_takeover',
      { ...defaults, serverNoContextTakeover: true },
    ],
    [
      'server_max_window_bits unasked (§7.1.2.1)',
      undefined,
      'permessage-deflate; server_max_window_bits=10',
      { ...defaults, serverMaxWindowBits: 10 },
    ],
    ['server_max_window_bits=8', undefined, 'permessage-deflate; server_max_window_bits=8', { ...defaults, serverMaxWindowBits: 8 }],
    [
      'server_max_window_bits equal to the offer',
      { serverMaxWindowBits: 12 },
      'permessage-deflate; server_max_window_bits=12',
      { ...defaults, serverMaxWindowBits: 12 },
    ],
    [
      'server_max_window_bits below the offer',
      { serverMaxWindowBits: 12 },
      'permessage-deflate; server_max_window_bits=9',
      { ...defaults, serverMaxWindowBits: 9 },
    ],
    [
      'client_max_window_bits chosen by the server',
      undefined,
      'permessage-deflate; client_max_window_bits=9',
      { ...defaults, clientMaxWindowBits: 9 },
    ],
    ['client_max_window_bits=15', undefined, 'permessage-deflate; client_max_window_bits=15', defaults],
    [
      'client_max_window_bits equal to the offered value',
      { clientMaxWindowBits: 11 },
      'permessage-deflate; client_max_window_bits=11',
      { ...defaults, clientMaxWindowBits: 11 },
    ],
    [
      'client_max_window_bits offered with a value, not answered: the offered limit stays',
      { clientMaxWindowBits: 11 },
      'permessage-deflate',
      { ...defaults, clientMaxWindowBits: 11 },
    ],
    ['a quoted value', undefined, 'permessage-deflate; server_max_window_bits="10"', { ...defaults, serverMaxWindowBits: 10 }],
    [
      'every parameter at once',
      { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 10 },
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=8',
      { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 8 },
    ],
    [
      'the answer split over two header lines, one empty',
      undefined,
      ['', 'permessage-deflate; server_max_window_bits=11'],
      { ...defaults, serverMaxWindowBits: 11 },
    ],
    [
      'several offers: the first one the answer fits is taken',
      [{ serverNoContextTakeover: true, clientMaxWindowBits: false }, { clientMaxWindowBits: 12 }],
      'permessage-deflate; client_max_window_bits=10',
      { ...defaults, clientMaxWindowBits: 10 },
    ],
    [
      'several offers: a later offer sets an unanswered window',
      [{ serverMaxWindowBits: 10 }, { clientMaxWindowBits: 12 }],
      'permessage-deflate',
      { ...defaults, clientMaxWindowBits: 12 },
    ],
  ];
  it.each(accepted)('accepts %s', (_name, option, answer, expected) => {
    expect(negotiate(option, answer)).toEqual(expected);
  });

  const rejected: Array<[string, PerMessageDeflateOption | undefined, string | readonly string[], RegExp]> = [
    [
      'an extension that was not offered',
      undefined,
      'x-webkit-deflate-frame',
      /extension "x-webkit-deflate-frame", which the client did not offer/,
    ],
    [
      'an unoffered extension next to permessage-deflate',
      undefined,
      'permessage-deflate, foo',
      /extension "foo", which the client did not offer/,
    ],
    [
      'permessage-deflate when compression was not offered',
      false,
      'permessage-deflate',
      /extension "permessage-deflate", which the client did not offer/,
    ],
    ['the name in another case', undefined, 'Permessage-Deflate', /extension "Permessage-Deflate", which the client did not offer/],
    ['two answers', undefined, 'permessage-deflate, permessage-deflate', /answered permessage-deflate 2 times/],
    [
      'two answers over two lines',
      [{}, {}],
      ['permessage-deflate', 'permessage-deflate; server_no_context_takeover'],
      /answered permessage-deflate 2 times/,
    ],
    ['a malformed header', undefined, 'permessage-deflate;', /Invalid Sec-WebSocket-Extensions header/],
    ['an unknown parameter', undefined, 'permessage-deflate; foo', /unknown parameter foo/],
    ['an unknown parameter with a value', undefined, 'permessage-deflate; max_window_bits=10', /unknown parameter max_window_bits/],
    [
      'a duplicate flag',
      undefined,
      'permessage-deflate; server_no_context_takeover; server_no_context_takeover',
      /server_no_context_takeover appears more than once/,
    ],
    [
      'a duplicate window',
      undefined,
      'permessage-deflate; client_max_window_bits=10; client_max_window_bits=10',
      /client_max_window_bits appears more than once/,
    ],
    [
      'server_no_context_takeover with a value',
      undefined,
      'permessage-deflate; server_no_context_takeover=1',
      /server_no_context_takeover must not have a value, got "1"/,
    ],
    [
      'client_no_context_takeover with a value',
      undefined,
      'permessage-deflate; client_no_context_takeover="true"',
      /client_no_context_takeover must not have a value/,
    ],
    [
      'server_max_window_bits without a value',
      undefined,
      'permessage-deflate; server_max_window_bits',
      /server_max_window_bits must have a value/,
    ],
    [
      'client_max_window_bits without a value',
      undefined,
      'permessage-deflate; client_max_window_bits',
      /client_max_window_bits must have a value/,
    ],
    [
      'server_max_window_bits=7',
      undefined,
      'permessage-deflate; server_max_window_bits=7',
      /server_max_window_bits="7" is not a window size from 8 to 15/,
    ],
    [
      'server_max_window_bits=16',
      undefined,
      'permessage-deflate; server_max_window_bits=16',
      /server_max_window_bits="16" is not a window size/,
    ],
    ['server_max_window_bits=09', undefined, 'permessage-deflate; server_max_window_bits=09', /"09" is not a window size/],
    ['server_max_window_bits=abc', undefined, 'permessage-deflate; server_max_window_bits=abc', /"abc" is not a window size/],
    ['server_max_window_bits=+9', undefined, 'permessage-deflate; server_max_window_bits=+9', /"\+9" is not a window size/],
    ['server_max_window_bits=""', undefined, 'permessage-deflate; server_max_window_bits=""', /Invalid Sec-WebSocket-Extensions header/],
    [
      'client_max_window_bits=0',
      undefined,
      'permessage-deflate; client_max_window_bits=0',
      /client_max_window_bits="0" is not a window size/,
    ],
    ['client_max_window_bits=16', undefined, 'permessage-deflate; client_max_window_bits=16', /"16" is not a window size/],
    ['client_max_window_bits=010', undefined, 'permessage-deflate; client_max_window_bits=010', /"010" is not a window size/],
    ['client_max_window_bits=1e1', undefined, 'permessage-deflate; client_max_window_bits=1e1', /"1e1" is not a window size/],
    [
      'client_max_window_bits when not offered (§7.1.2.2)',
      { clientMaxWindowBits: false },
      'permessage-deflate; client_max_window_bits=15',
      /the answer has client_max_window_bits but the offer does not/,
    ],
    [
      'client_max_window_bits above the offered value',
      { clientMaxWindowBits: 10 },
      'permessage-deflate; client_max_window_bits=11',
      /client_max_window_bits=11 is larger than the offered 10/,
    ],
    [
      'server_max_window_bits above the offered value',
      { serverMaxWindowBits: 10 },
      'permessage-deflate; server_max_window_bits=11',
      /server_max_window_bits=11 is larger than the offered 10/,
    ],
    [
      'server_max_window_bits offered but not answered (§7.1.2.1)',
      { serverMaxWindowBits: 10 },
      'permessage-deflate',
      /the offer has server_max_window_bits=10 but the answer does not/,
    ],
    [
      'server_no_context_takeover offered but not answered (§7.1.1.1)',
      { serverNoContextTakeover: true },
      'permessage-deflate',
      /the offer has server_no_context_takeover but the answer does not/,
    ],
    [
      'an answer that fits none of several offers',
      [{ serverMaxWindowBits: 10 }, { clientMaxWindowBits: false }],
      'permessage-deflate; client_max_window_bits=9',
      /matches none of the 2 offers \(offer 1: the offer has server_max_window_bits=10 but the answer does not.*; offer 2: the answer has client_max_window_bits but the offer does not/,
    ],
  ];
  it.each(rejected)('rejects %s with ERR_HANDSHAKE_EXTENSION', (_name, option, answer, message) => {
    const error = failure(() => negotiate(option, answer));
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).code).toBe('ERR_HANDSHAKE_EXTENSION');
    expect((error as HandshakeError).closeCode).toBe(1006);
    expect(error.message).toMatch(message);
  });

  it('accepts every window size 8 to 15 for both parameters and nothing else from 0 to 99', () => {
    for (let bits = 0; bits < 100; bits += 1) {
      for (const name of ['server_max_window_bits', 'client_max_window_bits']) {
        const answer = `permessage-deflate; ${name}=${bits}`;
        if (bits >= 8 && bits <= 15) {
          const params = negotiate(undefined, answer);
          expect(name === 'server_max_window_bits' ? params?.serverMaxWindowBits : params?.clientMaxWindowBits).toBe(bits);
        } else {
          expect(() => negotiate(undefined, answer)).toThrow(/is not a window size from 8 to 15/);
        }
      }
    }
  });
});
