import { describe, expect, it } from 'vitest';
import { HandshakeError } from '../../src/protocol/errors.js';
import { HandshakeResponseReader, headerTokens, headerValues, type HandshakeResponseHead } from '../../src/protocol/handshake-response.js';
import { ascii, concat, hex, oneByteAtATime, split, thrown, toHex } from './engine-fixtures.js';

type Result = { head: HandshakeResponseHead; rest: string } | null | { error: string };

/** Feeds chunks until the head is complete; the rest is everything after it (from that chunk on). */
function read(chunks: readonly Uint8Array[], maxSize = 64 * 1024): Result {
  const reader = new HandshakeResponseReader(maxSize);
  try {
    for (let index = 0; index < chunks.length; index += 1) {
      const result = reader.push(chunks[index] as Uint8Array);
      if (result !== null) return { head: result.head, rest: toHex(concat(result.rest, ...chunks.slice(index + 1))) };
    }
  } catch (error) {
    return { error: (error as HandshakeError).code };
  }
  return null;
}

function readEverySplit(bytes: Uint8Array, maxSize?: number): Result {
  const whole = read([bytes], maxSize);
  for (let cut = 1; cut < bytes.length; cut += 1) expect(read(split(bytes, cut), maxSize), `split at ${cut}`).toEqual(whole);
  expect(read(oneByteAtATime(bytes), maxSize), 'one byte at a time').toEqual(whole);
  return whole;
}

const rfcResponse =
  'HTTP/1.1 101 Switching Protocols\r\n' +
  'Upgrade: websocket\r\n' +
  'Connection: Upgrade\r\n' +
  'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
  'Sec-WebSocket-Protocol: chat\r\n' +
  '\r\n';

describe('HandshakeResponseReader', () => {
  it('parses the RFC 6455 §1.2 response, and keeps the frame that followed it in the same read', () => {
    expect(readEverySplit(concat(ascii(rfcResponse), hex('81 05 48 65 6c 6c 6f')))).toEqual({
      head: {
        status: 101,
        statusText: 'Switching Protocols',
        headers: [
          ['upgrade', 'websocket'],
          ['connection', 'Upgrade'],
          ['sec-websocket-accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
          ['sec-websocket-protocol', 'chat'],
        ],
        text: rfcResponse.slice(0, -4),
      },
      rest: '81 05 48 65 6c 6c 6f',
    });
  });

  it('keeps repeated headers in order, lower-cases names and trims values', () => {
    const result = read([ascii('HTTP/1.0 404\r\nX-A:  1 \r\nx-a:2\r\nEmpty:\r\n\r\nbody')]);
    expect(result).toEqual({
      head: {
        status: 404,
        statusText: '',
        headers: [
          ['x-a', '1'],
          ['x-a', '2'],
          ['empty', ''],
        ],
        text: 'HTTP/1.0 404\r\nX-A:  1 \r\nx-a:2\r\nEmpty:',
      },
      rest: toHex(ascii('body')),
    });
  });

  it('waits for the blank line, even when \\r\\n\\r\\n spans reads', () => {
    const reader = new HandshakeResponseReader(1024);
    expect(reader.push(ascii('HTTP/1.1 101 OK\r\nA: b\r'))).toBeNull();
    expect(reader.push(ascii('\n\r'))).toBeNull();
    expect(reader.push(ascii('\n'))?.head.headers).toEqual([['a', 'b']]);
  });

  it('does not take \\r\\r\\n\\n or \\n\\n for the end of the head', () => {
    expect(read([ascii('HTTP/1.1 101 OK\r\nA: b\r\r\n\n')])).toBeNull();
    expect(read([ascii('HTTP/1.1 101 OK\nA: b\n\n')])).toBeNull();
  });

  it('accepts a head of exactly maxSize bytes and fails one byte more, whatever the chunking', () => {
    const head = ascii('HTTP/1.1 101 OK\r\nX: 12345\r\n\r\n');
    expect(readEverySplit(concat(head, hex('89 00')), head.length)).toMatchObject({ rest: '89 00' });
    expect(readEverySplit(head, head.length - 1)).toEqual({ error: 'ERR_HANDSHAKE_TOO_LARGE' });
  });

  it('fails an endless head as soon as it passes the limit, without waiting for its end', () => {
    const reader = new HandshakeResponseReader(100);
    expect(reader.push(ascii(`HTTP/1.1 101 OK\r\nX: ${'a'.repeat(70)}`))).toBeNull();
    const error = thrown(() => reader.push(ascii('a'.repeat(20))));
    expect(error).toBeInstanceOf(HandshakeError);
    expect(error.code).toBe('ERR_HANDSHAKE_TOO_LARGE');
  });

  it.each([
    ['garbage status line', 'SSH-2.0-OpenSSH\r\n\r\n'],
    ['HTTP/2 status line', 'HTTP/2 101\r\n\r\n'],
    ['two-digit status', 'HTTP/1.1 10 OK\r\n\r\n'],
    ['header without a colon', 'HTTP/1.1 101 OK\r\nUpgrade websocket\r\n\r\n'],
    ['space before the colon', 'HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n'],
    ['obsolete line folding', 'HTTP/1.1 101 OK\r\nX: a\r\n b\r\n\r\n'],
    ['empty header name', 'HTTP/1.1 101 OK\r\n: v\r\n\r\n'],
  ])('fails a malformed head: %s', (_label, text) => {
    expect(readEverySplit(ascii(text))).toEqual({ error: 'ERR_HANDSHAKE_MALFORMED' });
  });
});

describe('headerValues / headerTokens (RFC 9110 §5.6.1)', () => {
  const headers = [
    ['connection', 'keep-alive, Upgrade'],
    ['upgrade', 'WebSocket'],
    ['connection', ' ,close ,, '],
  ] as const;

  it('lists every value of a name in order', () => {
    expect(headerValues(headers, 'connection')).toEqual(['keep-alive, Upgrade', ' ,close ,, ']);
    expect(headerValues(headers, 'missing')).toEqual([]);
  });

  it('lists the lower-cased tokens of every value, skipping empty list elements', () => {
    expect(headerTokens(headers, 'connection')).toEqual(['keep-alive', 'upgrade', 'close']);
    expect(headerTokens(headers, 'upgrade')).toEqual(['websocket']);
  });
});
