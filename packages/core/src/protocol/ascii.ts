import { tuning } from './config.js';

/** Latin-1/ASCII text to bytes, one byte per UTF-16 unit (HTTP header text: RFC 9110 §5.5). */
export function encodeLatin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) bytes[index] = text.charCodeAt(index) & 0xff;
  return bytes;
}

/** Bytes to Latin-1 text (HTTP header text), in slices so large inputs do not overflow the stack. */
export function decodeLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  const slice = tuning.latin1DecodeSlice;
  for (let index = start; index < end; index += slice) {
    // apply() takes the typed array as it is (array-like): no intermediate Array per slice.
    out += String.fromCharCode.apply(null, bytes.subarray(index, Math.min(end, index + slice)) as unknown as number[]);
  }
  return out;
}
