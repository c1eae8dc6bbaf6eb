import { describe, expect, it } from 'vitest';
import { MAX_CONTROL_PAYLOAD, Opcode, isControlOpcode } from '../../src/protocol/opcodes.js';

describe('opcodes (RFC 6455 §5.2)', () => {
  it('has the RFC values', () => {
    expect(Opcode).toEqual({ continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa });
    expect(MAX_CONTROL_PAYLOAD).toBe(125);
  });

  it('classifies 0x8-0xf as control opcodes and 0x0-0x7 as data opcodes (§5.5)', () => {
    for (let opcode = 0; opcode < 16; opcode += 1) expect(isControlOpcode(opcode), `opcode ${opcode}`).toBe(opcode >= 8);
  });
});
