import { randomBytes } from 'node:crypto';

/** Sizes from empty to 1 MiB, with the edges around the threshold and zlib's 16 KiB chunk. */
export const payloadSizes = [0, 1, 2, 3, 100, 1023, 1024, 1025, 16_383, 16_384, 16_385, 65_539, 262_144, 1_048_576] as const;

/** Deterministic JSON-like text: compresses well, as chat and telemetry traffic does. */
export function textPayload(size: number, seed = 1): Buffer {
  const words = ['"id"', '"user"', '"message"', '"timestamp"', '"value"', 'true', 'false', 'null', '{', '}', ',', ':', '[', ']'];
  let state = seed;
  let text = '';
  while (text.length < size) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    text += words[state % words.length] ?? '';
    text += String(state % 1000);
  }
  return Buffer.from(text.slice(0, size), 'latin1');
}

/** Random bytes: incompressible, so deflate output is slightly larger than the input. */
export function randomPayload(size: number): Buffer {
  return randomBytes(size);
}
