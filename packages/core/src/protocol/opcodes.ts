/** Frame opcodes (RFC 6455 §5.2, §11.8). 3-7 and 11-15 are reserved. */
export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Control frames have the high bit of the opcode set (RFC 6455 §5.5). */
export function isControlOpcode(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** Largest control frame payload (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125;
