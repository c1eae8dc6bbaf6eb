import { describe } from 'vitest';
import { defineCases, fails, text } from './define-cases.js';
import { continuationFrame, frame, Opcode, textFrame } from './frames.js';

// RFC 6455 §5.2: RSV1-3 MUST be 0 unless an extension defines them; with none negotiated the
// client fails the connection (1002).

const combos: Array<{ rsv1?: boolean; rsv2?: boolean; rsv3?: boolean }> = [
  { rsv1: true },
  { rsv2: true },
  { rsv3: true },
  { rsv1: true, rsv2: true },
  { rsv1: true, rsv3: true },
  { rsv2: true, rsv3: true },
  { rsv1: true, rsv2: true, rsv3: true },
];
const label = (bits: { rsv1?: boolean; rsv2?: boolean; rsv3?: boolean }): string =>
  Object.keys(bits)
    .map((k) => k.toUpperCase())
    .join('+');

const kinds: Array<[string, number, string]> = [
  ['binary', Opcode.binary, 'data'],
  ['ping', Opcode.ping, 'p'],
  ['pong', Opcode.pong, 'p'],
  ['close', Opcode.close, '\u0003\u00e8'],
];

describe('reserved bits without a negotiated extension fail', () => {
  defineCases([
    ...combos.map((bits) => fails(`${label(bits)} on a text frame`, [textFrame('Hello', bits)], 1002, 'ERR_RESERVED_BITS')),
    ...kinds.flatMap(([kind, opcode, payload]) =>
      combos
        .slice(0, 3)
        .map((bits) =>
          fails(
            `${label(bits)} on a ${kind} frame`,
            [frame({ opcode, payload: Buffer.from(payload, 'latin1'), ...bits })],
            1002,
            'ERR_RESERVED_BITS',
          ),
        ),
    ),
    ...combos
      .slice(0, 3)
      .map((bits) =>
        fails(
          `${label(bits)} on a continuation frame`,
          [textFrame('a', { fin: false }), continuationFrame('b', bits)],
          1002,
          'ERR_RESERVED_BITS',
        ),
      ),
    fails('RSV1 on an empty text frame', [textFrame('', { rsv1: true })], 1002, 'ERR_RESERVED_BITS'),
    fails(
      'RSV2 on a frame after valid messages',
      [textFrame('one'), textFrame('two'), textFrame('three', { rsv2: true })],
      1002,
      'ERR_RESERVED_BITS',
      {
        messages: [text('one'), text('two')],
      },
    ),
  ]);
});
