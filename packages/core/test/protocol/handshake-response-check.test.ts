import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HandshakeError } from '../../src/protocol/errors.js';
import { checkHandshakeResponse, type HandshakeExpectation } from '../../src/protocol/handshake-response-check.js';
import { parseResponseHead } from '../../src/protocol/handshake-response.js';

/** checkHandshakeResponse: RFC 6455 §4.1's checks of the server's answer, as a pure function. */

const sha1 = (data: Uint8Array): Uint8Array => createHash('sha1').update(data).digest();
// RFC 6455 §1.3's example key and its accept value.
const expected: HandshakeExpectation = { key: 'dGhlIHNhbXBsZSBub25jZQ==', protocols: ['chat', 'superchat'], offers: [], sha1 };
const accept = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

function head(...lines: string[]): ReturnType<typeof parseResponseHead> {
  return parseResponseHead(lines.join('\r\n'));
}

const upgraded = [
  'HTTP/1.1 101 Switching Protocols',
  'Upgrade: WebSocket',
  'Connection: keep-alive, Upgrade',
  `Sec-WebSocket-Accept: ${accept}`,
];

function failure(run: () => unknown): HandshakeError {
  try {
    run();
  } catch (error) {
    if (error instanceof HandshakeError) return error;
    throw error;
  }
  throw new Error('expected a HandshakeError');
}

describe('checkHandshakeResponse', () => {
  it('accepts a valid answer and returns the selected subprotocol, no extensions', () => {
    expect(checkHandshakeResponse(head(...upgraded, 'Sec-WebSocket-Protocol: superchat'), new Uint8Array(0), expected)).toEqual({
      protocol: 'superchat',
      extensions: '',
      perMessageDeflate: null,
    });
  });

  it('fails a non-101 answer with its status, headers and at most 1,024 bytes of body', () => {
    const error = failure(() =>
      checkHandshakeResponse(head('HTTP/1.1 403 Forbidden', 'X-Why: no'), new Uint8Array(2000).fill(0x61), expected),
    );
    expect(error.code).toBe('ERR_HANDSHAKE_STATUS');
    expect(error.message).toBe('Unexpected server response: 403 Forbidden');
    expect(error.status).toBe(403);
    expect(error.headers).toEqual([['x-why', 'no']]);
    expect(error.body.length).toBe(1024);
  });

  it.each([
    ['no Upgrade: websocket', [upgraded[0], upgraded[2], upgraded[3]], 'ERR_HANDSHAKE_UPGRADE'],
    ['no Connection: Upgrade', [upgraded[0], upgraded[1], upgraded[3]], 'ERR_HANDSHAKE_CONNECTION'],
    ['a wrong Sec-WebSocket-Accept', [upgraded[0], upgraded[1], upgraded[2], 'Sec-WebSocket-Accept: AAAA'], 'ERR_HANDSHAKE_ACCEPT'],
    ['two Sec-WebSocket-Accept fields', [...upgraded, `Sec-WebSocket-Accept: ${accept}`], 'ERR_HANDSHAKE_ACCEPT'],
    ['a subprotocol not offered', [...upgraded, 'Sec-WebSocket-Protocol: other'], 'ERR_HANDSHAKE_SUBPROTOCOL'],
    ['an extension not offered', [...upgraded, 'Sec-WebSocket-Extensions: permessage-deflate'], 'ERR_HANDSHAKE_EXTENSION'],
  ])('fails an answer with %s', (_name, lines, code) => {
    const error = failure(() => checkHandshakeResponse(head(...(lines as string[])), new Uint8Array(0), expected));
    expect(error.code).toBe(code);
    expect(error.status).toBe(101);
  });
});
