import { describe } from 'vitest';
import { defineCases, echoBeforeFailure, fails, text } from './define-cases.js';
import { frame, pingFrame, textFrame } from './frames.js';

// RFC 6455 §5.2: opcodes 0x3-0x7 (non-control) and 0xB-0xF (control) are reserved; receiving
// one without an extension that defines it fails the connection (§10.7, 1002).

const reserved = [3, 4, 5, 6, 7, 11, 12, 13, 14, 15];

describe('reserved opcodes fail', () => {
  defineCases([
    ...reserved.map((opcode) => fails(`opcode ${opcode} with an empty payload`, [frame({ opcode })], 1002, 'ERR_RESERVED_OPCODE')),
    ...[3, 7, 11, 15].map((opcode) =>
      fails(`opcode ${opcode} with a payload`, [frame({ opcode, payload: 'reserved' })], 1002, 'ERR_RESERVED_OPCODE'),
    ),
    ...[3, 11].map((opcode) =>
      fails(`opcode ${opcode} without FIN`, [frame({ opcode, fin: false, payload: 'x' })], 1002, 'ERR_RESERVED_OPCODE'),
    ),
    fails('opcode 5 after a valid message', [textFrame('fine'), frame({ opcode: 5 })], 1002, 'ERR_RESERVED_OPCODE', {
      messages: [text('fine')],
    }),
    fails(
      'opcode 4 inside a fragmented message',
      [textFrame('a', { fin: false }), frame({ opcode: 4, payload: 'b' })],
      1002,
      'ERR_RESERVED_OPCODE',
    ),
    fails('opcode 12 inside a fragmented message', [textFrame('a', { fin: false }), frame({ opcode: 12 })], 1002, 'ERR_RESERVED_OPCODE'),
  ]);
});

describe('a message before a reserved opcode is answered before the Close (issue 16)', () => {
  defineCases(
    echoBeforeFailure(
      'text, then opcode 5, then a Ping',
      Buffer.concat([textFrame('Hello'), frame({ opcode: 5 }), pingFrame()]),
      'Hello',
      'ERR_RESERVED_OPCODE',
    ),
  );
});
