const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (RFC 4648 §4), for Sec-WebSocket-Key and -Accept (RFC 6455 §4.1). */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const triple = ((bytes[index] as number) << 16) | ((bytes[index + 1] as number) << 8) | (bytes[index + 2] as number);
    out += alphabet[triple >> 18]! + alphabet[(triple >> 12) & 63]! + alphabet[(triple >> 6) & 63]! + alphabet[triple & 63]!;
  }
  const rest = bytes.length - index;
  if (rest === 1) {
    const value = (bytes[index] as number) << 16;
    out += alphabet[value >> 18]! + alphabet[(value >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const value = ((bytes[index] as number) << 16) | ((bytes[index + 1] as number) << 8);
    out += alphabet[value >> 18]! + alphabet[(value >> 12) & 63]! + alphabet[(value >> 6) & 63]! + '=';
  }
  return out;
}
