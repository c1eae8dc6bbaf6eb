/**
 * UTF-8 encoding and decoding of short strings (close reasons) without TextEncoder, which the
 * engine cannot assume (it sees neither Node nor DOM). Messages are decoded by the I/O layer.
 */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    let code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        index += 1;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate is not encodable
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes bytes already known to be valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  let out = '';
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    let code: number;
    if (lead < 0x80) {
      code = lead;
      index += 1;
    } else if (lead < 0xe0) {
      code = ((lead & 31) << 6) | ((bytes[index + 1] as number) & 63);
      index += 2;
    } else if (lead < 0xf0) {
      code = ((lead & 15) << 12) | (((bytes[index + 1] as number) & 63) << 6) | ((bytes[index + 2] as number) & 63);
      index += 3;
    } else {
      code =
        ((lead & 7) << 18) |
        (((bytes[index + 1] as number) & 63) << 12) |
        (((bytes[index + 2] as number) & 63) << 6) |
        ((bytes[index + 3] as number) & 63);
      index += 4;
    }
    out += String.fromCodePoint(code);
  }
  return out;
}
