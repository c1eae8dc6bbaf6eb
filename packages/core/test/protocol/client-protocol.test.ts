import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientProtocol } from '../../src/protocol/client-protocol.js';
import { defaultProtocolConfig } from '../../src/protocol/config.js';
import { HandshakeError, KeelError, ProtocolError, UsageError } from '../../src/protocol/errors.js';
import { resolvePerMessageDeflateOffers } from '../../src/protocol/permessage-deflate-negotiation.js';
import {
  RFC_ACCEPT,
  acceptFor,
  allEvents,
  ascii,
  chunkAt,
  clientFrame,
  closePayload,
  concat,
  countingFill,
  createClient,
  decodeClientFrames,
  expectSameUnderSplits,
  handshakeResponse,
  hex,
  openClient,
  output,
  pattern,
  plainEvents,
  run,
  serverFrame,
  thrown,
  toHex,
  utf8,
  type ClientOptions,
  type Outcome,
} from './engine-fixtures.js';

/** A fresh client whose request was already taken: the state the response arrives in. */
function connecting(options: ClientOptions = {}): () => ClientProtocol {
  return () => {
    const client = createClient(options);
    client.dataToSend();
    return client;
  };
}

function opened(options: ClientOptions = {}): () => ClientProtocol {
  return () => openClient(options);
}

/**
 * Feeds a fixture that must fail the connection: same outcome under every split, the error's
 * code and close code, nothing reported after it, exactly one Close frame carrying that code and
 * the error message (after `outputBefore`, e.g. a Pong), and the 1006 close event at EOF.
 */
function expectFailure(
  bytes: Uint8Array,
  code: string,
  closeCode: number,
  options: ClientOptions = {},
  outputBefore: Uint8Array = new Uint8Array(0),
): Outcome {
  const outcome = expectSameUnderSplits(opened(options), bytes, true);
  const probe = openClient(options);
  probe.receiveData(bytes);
  allEvents(probe);
  const failure = probe.failure as KeelError;
  expect(failure).toBeInstanceOf(ProtocolError);
  expect([failure.code, failure.closeCode]).toEqual([code, closeCode]);
  expect(outcome.output).toBe(toHex(concat(outputBefore, clientFrame(0x8, closePayload(closeCode, failure.message)))));
  expect(outcome.events.at(-1)).toEqual({
    type: 'close',
    code: 1006,
    reason: '',
    wasClean: false,
    error: { name: 'ProtocolError', code, closeCode },
  });
  return outcome;
}

const rfcRequest =
  'GET /chat HTTP/1.1\r\n' +
  'Host: server.example.com\r\n' +
  'Upgrade: websocket\r\n' +
  'Connection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
  'Sec-WebSocket-Version: 13\r\n' +
  'Origin: http://example.com\r\n' +
  'Sec-WebSocket-Protocol: chat, superchat\r\n' +
  '\r\n';

describe('opening handshake: the request (RFC 6455 §4.1)', () => {
  it('writes the §1.2 example request, byte for byte, and nothing else until the response', () => {
    const client = createClient({ origin: 'http://example.com', protocols: ['chat', 'superchat'] });
    expect(client.state).toBe('connecting');
    expect(toHex(output(client))).toBe(toHex(ascii(rfcRequest)));
    expect(client.dataToSend()).toEqual([]);
    expect(client.eventsReceived()).toEqual([]);
    expect(client.closeExpected()).toBe(false);
    expect(client.shouldCloseTransport()).toBe(false);
  });

  it('draws a fresh key from randomFill', () => {
    const client = createClient({ randomFill: countingFill() });
    expect(new TextDecoder().decode(output(client))).toContain('\r\nSec-WebSocket-Key: AAECAwQFBgcICQoLDA0ODw==\r\n');
  });

  it('passes the Host header through: with a port, without one, and an IPv6 literal', () => {
    for (const hostHeader of ['server.example.com:8080', 'server.example.com', '[::1]', '[2001:db8::1]:9000', '127.0.0.1:1234']) {
      const client = createClient({ target: { resource: '/a/b?c=d&e', hostHeader } });
      expect(new TextDecoder().decode(output(client))).toMatch(
        new RegExp(`^GET /a/b\\?c=d&e HTTP/1\\.1\\r\\nHost: ${hostHeader.replace(/[[\].]/g, '\\$&')}\\r\\n`),
      );
    }
  });

  it('writes custom headers, from a record or a list, after its own; and a permessage-deflate offer', () => {
    const fromRecord = createClient({ headers: { Authorization: 'Bearer t', 'X-Id': '7' } });
    const fromList = createClient({
      headers: [
        ['Authorization', 'Bearer t'],
        ['X-Id', '7'],
      ],
      perMessageDeflate: resolvePerMessageDeflateOffers(true),
    });
    const base = rfcRequest.replace('Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n', '');
    expect(new TextDecoder().decode(output(fromRecord))).toBe(base.replace(/\r\n\r\n$/, '\r\nAuthorization: Bearer t\r\nX-Id: 7\r\n\r\n'));
    expect(new TextDecoder().decode(output(fromList))).toBe(
      base.replace(
        /\r\n\r\n$/,
        '\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nAuthorization: Bearer t\r\nX-Id: 7\r\n\r\n',
      ),
    );
  });

  it.each<[string, ClientOptions, string]>([
    ['CR in a header value', { headers: { 'X-A': 'a\rb' } }, 'ERR_INVALID_HEADER'],
    ['LF in a header value', { headers: { 'X-A': 'a\nSet-Cookie: x' } }, 'ERR_INVALID_HEADER'],
    ['NUL in a header value', { headers: [['X-A', 'a\0']] }, 'ERR_INVALID_HEADER'],
    ['a non-token header name', { headers: { 'X A': 'b' } }, 'ERR_INVALID_HEADER'],
    ['a header name with a colon', { headers: { 'X-A:': 'b' } }, 'ERR_INVALID_HEADER'],
    ['the reserved Sec-WebSocket-Key', { headers: { 'sec-websocket-key': 'x' } }, 'ERR_INVALID_HEADER'],
    ['the reserved Host', { headers: { Host: 'x' } }, 'ERR_INVALID_HEADER'],
    ['the reserved Sec-WebSocket-Protocol', { headers: { 'Sec-WebSocket-Protocol': 'x' } }, 'ERR_INVALID_HEADER'],
    ['CR/LF in Origin', { origin: 'http://a\r\nX: y' }, 'ERR_INVALID_HEADER'],
    ['a non-token subprotocol', { protocols: ['chat', 'bad protocol'] }, 'ERR_INVALID_SUBPROTOCOL'],
    ['an empty subprotocol', { protocols: [''] }, 'ERR_INVALID_SUBPROTOCOL'],
    ['a duplicate subprotocol', { protocols: ['chat', 'superchat', 'chat'] }, 'ERR_INVALID_SUBPROTOCOL'],
    ['a resource with a space', { target: { resource: '/a b', hostHeader: 'h' } }, 'ERR_INVALID_URL'],
    ['a host with CR/LF', { target: { resource: '/', hostHeader: 'h\r\nX: y' } }, 'ERR_INVALID_URL'],
  ])('rejects %s with a UsageError before anything is produced', (_label, options, code) => {
    const error = thrown(() => createClient(options));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe(code);
  });
});

describe('opening handshake: the response (RFC 6455 §4.1 client steps 1-6)', () => {
  const rfcAnswer = handshakeResponse({ protocol: 'chat' });
  const openEvent = {
    type: 'open',
    protocol: 'chat',
    extensions: '',
    headers: [
      ['upgrade', 'websocket'],
      ['connection', 'Upgrade'],
      ['sec-websocket-accept', RFC_ACCEPT],
      ['sec-websocket-protocol', 'chat'],
    ],
  };

  it('opens on the §1.2 answer, under every split', () => {
    const outcome = expectSameUnderSplits(connecting({ protocols: ['chat', 'superchat'] }), rfcAnswer);
    expect(outcome).toEqual({ events: [openEvent], output: '', state: 'open', failure: null });
    const client = connecting({ protocols: ['chat', 'superchat'] })();
    client.receiveData(rfcAnswer);
    expect([client.protocol, client.extensions, client.perMessageDeflate, client.handshakeError]).toEqual(['chat', '', null, null]);
    expect(client.responseHeaders).toEqual(openEvent.headers);
  });

  it('keeps the frames that arrive in the same read as the response (§4.1: the server may send at once)', () => {
    const bytes = concat(rfcAnswer, hex('81 05 48 65 6c 6c 6f  89 00  01 01 61'));
    const outcome = expectSameUnderSplits(connecting({ protocols: ['chat'] }), bytes);
    expect(outcome.events).toEqual([
      openEvent,
      { type: 'message', binary: false, compressed: false, data: toHex(ascii('Hello')) },
      { type: 'ping', data: '' },
    ]);
    expect(outcome.output).toBe('8a 80 37 fa 21 3d');
  });

  it('takes the Upgrade and Connection headers as case-insensitive token lists', () => {
    const answer = ascii(
      `HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nCONNECTION: keep-alive, UPGRADE\r\nSec-WebSocket-Accept: ${RFC_ACCEPT}\r\n\r\n`,
    );
    expect(expectSameUnderSplits(connecting(), answer).state).toBe('open');
    const repeated = ascii(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\nConnection: upgrade\r\nSec-WebSocket-Accept: ${RFC_ACCEPT}\r\n\r\n`,
    );
    expect(run(connecting()(), [repeated]).state).toBe('open');
  });

  it('reports a non-101 answer with its status, headers and the start of the body', () => {
    const answer = ascii('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\ndenied');
    const outcome = expectSameUnderSplits(connecting(), answer, true);
    const error = { name: 'HandshakeError', code: 'ERR_HANDSHAKE_STATUS', closeCode: 1006 };
    expect(outcome).toEqual({
      events: [{ type: 'close', code: 1006, reason: '', wasClean: false, error }],
      output: '',
      state: 'closed',
      failure: error,
    });
    // The body is what arrived with the head (a later read is not waited for).
    const client = connecting()();
    client.receiveData(answer);
    expect(client.shouldCloseTransport()).toBe(true);
    const failure = client.handshakeError as HandshakeError;
    expect(failure).toBeInstanceOf(HandshakeError);
    expect(failure.message).toBe('Unexpected server response: 403 Forbidden');
    expect(failure.status).toBe(403);
    expect(failure.headers).toEqual([
      ['content-type', 'text/plain'],
      ['content-length', '6'],
    ]);
    expect(failure.body).toEqual(ascii('denied'));
    client.receiveData(hex('81 00'));
    expect(client.eventsReceived()).toEqual([]);
  });

  it('keeps at most 1,024 body bytes', () => {
    const client = connecting()();
    client.receiveData(concat(ascii('HTTP/1.1 500 Oops\r\n\r\n'), pattern(3000)));
    expect(client.handshakeError?.body).toEqual(pattern(1024));
  });

  const badAnswers: Array<[string, ClientOptions, Uint8Array, string]> = [
    ['a 200', {}, ascii('HTTP/1.1 200 OK\r\n\r\n'), 'ERR_HANDSHAKE_STATUS'],
    [
      'a 101 without Upgrade',
      {},
      ascii(`HTTP/1.1 101 S\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${RFC_ACCEPT}\r\n\r\n`),
      'ERR_HANDSHAKE_UPGRADE',
    ],
    [
      'Upgrade: h2c',
      {},
      ascii(`HTTP/1.1 101 S\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${RFC_ACCEPT}\r\n\r\n`),
      'ERR_HANDSHAKE_UPGRADE',
    ],
    [
      'a 101 without Connection',
      {},
      ascii(`HTTP/1.1 101 S\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ${RFC_ACCEPT}\r\n\r\n`),
      'ERR_HANDSHAKE_CONNECTION',
    ],
    [
      'Connection: close',
      {},
      ascii(`HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: close\r\nSec-WebSocket-Accept: ${RFC_ACCEPT}\r\n\r\n`),
      'ERR_HANDSHAKE_CONNECTION',
    ],
    ['a missing accept', {}, ascii('HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'), 'ERR_HANDSHAKE_ACCEPT'],
    ['a wrong accept', {}, handshakeResponse({ key: 'AAECAwQFBgcICQoLDA0ODw==' }), 'ERR_HANDSHAKE_ACCEPT'],
    [
      'an accept in another case',
      {},
      handshakeResponse({ extra: [] }).map((byte, index, all) => (index > 0 && all[index - 1] === 0x20 && byte === 0x73 ? 0x53 : byte)),
      'ERR_HANDSHAKE_ACCEPT',
    ],
    ['a duplicate accept', {}, handshakeResponse({ extra: [`Sec-WebSocket-Accept: ${RFC_ACCEPT}`] }), 'ERR_HANDSHAKE_ACCEPT'],
    ['a subprotocol not offered', { protocols: ['chat'] }, handshakeResponse({ protocol: 'superchat' }), 'ERR_HANDSHAKE_SUBPROTOCOL'],
    ['a subprotocol when none was offered', {}, handshakeResponse({ protocol: 'chat' }), 'ERR_HANDSHAKE_SUBPROTOCOL'],
    [
      'two subprotocols',
      { protocols: ['chat', 'superchat'] },
      handshakeResponse({ protocol: 'chat, superchat' }),
      'ERR_HANDSHAKE_SUBPROTOCOL',
    ],
    [
      'two subprotocol headers',
      { protocols: ['chat', 'superchat'] },
      handshakeResponse({ protocol: 'chat', extra: ['Sec-WebSocket-Protocol: superchat'] }),
      'ERR_HANDSHAKE_SUBPROTOCOL',
    ],
    ['permessage-deflate not offered', {}, handshakeResponse({ extensions: 'permessage-deflate' }), 'ERR_HANDSHAKE_EXTENSION'],
    [
      'an unknown extension',
      { perMessageDeflate: resolvePerMessageDeflateOffers(true) },
      handshakeResponse({ extensions: 'x-webkit-deflate-frame' }),
      'ERR_HANDSHAKE_EXTENSION',
    ],
    ['a malformed status line', {}, ascii('HTTP/1.1 1O1 Switching\r\n\r\n'), 'ERR_HANDSHAKE_MALFORMED'],
    ['not HTTP at all', {}, ascii('SSH-2.0-OpenSSH_9.2\r\n\r\n'), 'ERR_HANDSHAKE_MALFORMED'],
    [
      'a response over maxHandshakeResponseSize',
      { config: { maxHandshakeResponseSize: 120 } },
      handshakeResponse({ extra: [`X-Padding: ${'p'.repeat(100)}`] }),
      'ERR_HANDSHAKE_TOO_LARGE',
    ],
  ];

  it.each(badAnswers)('fails on %s, under every split, without writing anything', (_label, options, answer, code) => {
    const outcome = expectSameUnderSplits(connecting(options), concat(answer, hex('81 00')), true);
    const error = { name: 'HandshakeError', code, closeCode: 1006 };
    expect(outcome).toEqual({
      events: [{ type: 'close', code: 1006, reason: '', wasClean: false, error }],
      output: '',
      state: 'closed',
      failure: error,
    });
  });

  it('accepts a response of exactly maxHandshakeResponseSize bytes', () => {
    const answer = handshakeResponse();
    expect(run(connecting({ config: { maxHandshakeResponseSize: answer.length } })(), [answer]).state).toBe('open');
  });

  it('accepts the permessage-deflate answer it offered and reports it', () => {
    const client = connecting({ perMessageDeflate: resolvePerMessageDeflateOffers(true) })();
    client.receiveData(handshakeResponse({ extensions: 'permessage-deflate; client_max_window_bits=10' }));
    expect(client.eventsReceived()).toMatchObject([{ type: 'open', extensions: 'permessage-deflate; client_max_window_bits=10' }]);
    expect(client.perMessageDeflate).toMatchObject({ clientMaxWindowBits: 10 });
  });

  it('reports ERR_CONNECTION_LOST when the transport ends before the response', () => {
    const outcome = run(connecting()(), [ascii('HTTP/1.1 101 Switching')], true);
    expect(outcome.events).toEqual([
      {
        type: 'close',
        code: 1006,
        reason: '',
        wasClean: false,
        error: { name: 'KeelError', code: 'ERR_CONNECTION_LOST', closeCode: 1006 },
      },
    ]);
  });

  it('verifies the accept against the key it sent', () => {
    const key = 'AAECAwQFBgcICQoLDA0ODw==';
    expect(run(createClient({ randomFill: countingFill() }), [handshakeResponse({ key })]).state).toBe('open');
    expect(acceptFor(key)).not.toBe(RFC_ACCEPT);
  });
});

describe('receiving frames (RFC 6455 §5)', () => {
  const message = (data: Uint8Array, binary = false): object => ({ type: 'message', binary, compressed: false, data: toHex(data) });

  it('receives the §5.7 unmasked "Hello"', () => {
    expect(expectSameUnderSplits(opened(), hex('81 05 48 65 6c 6c 6f'))).toEqual({
      events: [message(ascii('Hello'))],
      output: '',
      state: 'open',
      failure: null,
    });
  });

  it('receives the §5.7 fragmented "Hel" + "lo" as one message', () => {
    expect(expectSameUnderSplits(opened(), hex('01 03 48 65 6c 80 02 6c 6f')).events).toEqual([message(ascii('Hello'))]);
  });

  it('receives empty messages and empty fragments', () => {
    expect(expectSameUnderSplits(opened(), hex('81 00  82 00  01 00 00 00 00 01 41 80 00')).events).toEqual([
      message(new Uint8Array(0)),
      message(new Uint8Array(0), true),
      message(ascii('A')),
    ]);
  });

  it('receives a 256-byte binary message in the 16-bit length form (82 7E 01 00)', () => {
    const payload = pattern(256);
    const bytes = concat(hex('82 7e 01 00'), payload);
    expect(expectSameUnderSplits(opened(), bytes).events).toEqual([message(payload, true)]);
  });

  it('receives a 64 KiB binary message in the 64-bit length form (82 7F 00 00 00 00 00 01 00 00)', () => {
    const payload = pattern(65_536);
    const bytes = concat(hex('82 7f 00 00 00 00 00 01 00 00'), payload);
    // Every split inside the header and around it; payload-only splits all take the same path.
    const points = [...Array.from({ length: 16 }, (_, index) => index + 1), 4_096, 32_768, 65_545];
    const outcome = expectSameUnderSplits(opened(), bytes, false, points);
    expect(outcome.events).toEqual([message(payload, true)]);
  });

  it('receives the 7-, 16- and 64-bit boundaries 125, 126, 65535 and 65536', () => {
    for (const length of [125, 126, 65_535, 65_536]) {
      const client = openClient();
      client.receiveData(serverFrame({ opcode: 0x2, payload: pattern(length, 3) }));
      const events = client.eventsReceived();
      expect(events).toHaveLength(1);
      expect(Buffer.compare((events[0] as { data: Uint8Array }).data, pattern(length, 3)), `${length}`).toBe(0);
    }
  });

  it('handles control frames interleaved in a fragmented message', () => {
    const bytes = hex('01 03 48 65 6c  89 05 48 65 6c 6c 6f  8a 02 70 6f  00 01 6c  89 00  80 01 6f');
    const outcome = expectSameUnderSplits(opened(), bytes);
    expect(outcome.events).toEqual([
      { type: 'ping', data: toHex(ascii('Hello')) },
      { type: 'pong', data: '70 6f' },
      { type: 'ping', data: '' },
      message(ascii('Hello')),
    ]);
    expect(outcome.output).toBe('8a 85 37 fa 21 3d 7f 9f 4d 51 58 8a 80 37 fa 21 3d');
  });

  it('fails a 64-bit length with the most significant bit set with 1002', () => {
    expectFailure(hex('82 7f 80 00 00 00 00 00 00 01 00'), 'ERR_FRAME_LENGTH', 1002);
  });

  it('fails a masked frame from the server with 1002 (§5.1)', () => {
    expectFailure(hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'), 'ERR_MASKED_FRAME', 1002);
  });

  it.each([
    ['RSV1 on text', 'c1 00'],
    ['RSV2 on text', 'a1 00'],
    ['RSV3 on binary', '92 00'],
    ['RSV1 on a ping', 'c9 00'],
    ['RSV2 on a close', 'a8 00'],
    ['RSV1 on a continuation', '01 01 41 c0 01 42'],
  ])('fails %s without a negotiated extension with 1002', (_label, bytes) => {
    expectFailure(hex(bytes), 'ERR_RESERVED_BITS', 1002);
  });

  it('fails RSV1 on a continuation or a control frame even with permessage-deflate', () => {
    const options = { perMessageDeflate: resolvePerMessageDeflateOffers(true) };
    const response = handshakeResponse({ extensions: 'permessage-deflate' });
    for (const bytes of ['41 01 00 c0 01 00', 'c9 00']) {
      const client = openClient(options, response);
      client.receiveData(hex(bytes));
      expect(client.failure?.code, bytes).toBe('ERR_RESERVED_BITS');
    }
    const client = openClient(options, response);
    client.receiveData(hex('c1 01 00'));
    expect(client.eventsReceived()).toEqual([{ type: 'message', binary: false, compressed: true, data: hex('00') }]);
  });

  it.each([0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf])('fails reserved opcode 0x%s with 1002', (opcode) => {
    expectFailure(Uint8Array.of(0x80 | opcode, 0x00), 'ERR_RESERVED_OPCODE', 1002);
  });

  it('fails a control frame longer than 125 bytes with 1002, from its header alone', () => {
    expectFailure(concat(hex('89 7e 00 7e'), pattern(126)), 'ERR_CONTROL_FRAME_TOO_LONG', 1002);
    const client = openClient();
    client.receiveData(hex('88 7e 00 7e'));
    expect(client.failure?.code).toBe('ERR_CONTROL_FRAME_TOO_LONG');
  });

  it('fails a fragmented control frame with 1002', () => {
    expectFailure(hex('09 00'), 'ERR_FRAGMENTED_CONTROL_FRAME', 1002);
    expectFailure(hex('0a 01 00'), 'ERR_FRAGMENTED_CONTROL_FRAME', 1002);
  });

  it('fails a continuation without a message to continue with 1002', () => {
    expectFailure(hex('80 01 41'), 'ERR_UNEXPECTED_CONTINUATION', 1002);
    expectFailure(hex('81 01 41 00 01 42'), 'ERR_UNEXPECTED_CONTINUATION', 1002);
  });

  it('fails a new message inside a fragmented one with 1002', () => {
    const outcome = expectFailure(hex('01 01 41 89 00 81 01 42'), 'ERR_EXPECTED_CONTINUATION', 1002, {}, hex('8a 80 37 fa 21 3d'));
    expect(outcome.events[0]).toEqual({ type: 'ping', data: '' });
    expectFailure(hex('02 01 41 82 01 42'), 'ERR_EXPECTED_CONTINUATION', 1002);
  });

  it('reports nothing after a failure, even frames already in the same chunk', () => {
    const outcome = expectFailure(hex('81 01 41 c1 00 81 01 42 89 00'), 'ERR_RESERVED_BITS', 1002);
    expect(outcome.output.startsWith('88')).toBe(true);
    expect(outcome.events.map((event) => event.type)).toEqual(['message', 'close']);
  });
});

describe('a protocol error after valid frames of the same input (issue 16)', () => {
  /** Feeds `chunks` as the I/O layer does, echoing every text message while its event is handled; returns the bytes written. */
  function echoing(chunks: readonly Uint8Array[]): { output: string; failure: string | null; events: string[] } {
    const client = openClient();
    const written: Uint8Array[] = [];
    const events: string[] = [];
    for (const chunk of chunks) {
      client.receiveData(chunk);
      for (let batch = client.eventsReceived(); batch.length > 0; batch = client.eventsReceived()) {
        for (const event of batch) {
          events.push(event.type);
          if (event.type === 'message') client.sendText(event.data);
        }
      }
      written.push(...client.dataToSend());
    }
    return { output: toHex(concat(...written)), failure: client.failure?.code ?? null, events };
  }

  it.each([
    ['text, then a frame with RSV2, then a Ping', '81 05 48 65 6c 6c 6f  a1 01 78  89 00', 'ERR_RESERVED_BITS'],
    ['text, then opcode 5, then a Ping', '81 05 48 65 6c 6c 6f  85 00  89 00', 'ERR_RESERVED_OPCODE'],
    [
      'two-fragment text, then a stray non-final continuation, then text',
      '01 03 48 65 6c  80 02 6c 6f  00 01 78  81 01 79',
      'ERR_UNEXPECTED_CONTINUATION',
    ],
  ])('%s: the echo of "Hello" is written before the Close 1002, whole and split at every byte', (_label, bytes, code) => {
    const input = hex(bytes);
    const whole = echoing([input.slice()]);
    expect(whole.failure).toBe(code);
    const probe = openClient();
    probe.receiveData(input);
    allEvents(probe);
    const reason = (probe.failure as KeelError).message;
    expect(whole.output).toBe(toHex(concat(clientFrame(0x1, ascii('Hello')), clientFrame(0x8, closePayload(1002, reason)))));
    expect(whole.events).toEqual(['message']);
    for (let at = 1; at < input.length; at += 1) expect(echoing([input.slice(0, at), input.slice(at)]), `split at ${at}`).toEqual(whole);
    expect(echoing(Array.from(input, (byte) => Uint8Array.of(byte))), 'one byte at a time').toEqual(whole);
  });

  it('holds the failure, with input closed, until the events before it were taken', () => {
    const client = openClient();
    client.receiveData(hex('81 01 41 85 00 81 01 42'));
    expect([client.state, client.failure]).toEqual(['open', null]);
    client.receiveData(hex('81 01 43'));
    expect(plainEvents(client.eventsReceived())).toEqual([{ type: 'message', binary: false, compressed: false, data: '41' }]);
    expect(output(client)).toEqual(new Uint8Array(0));
    expect(client.eventsReceived()).toEqual([]);
    expect([client.state, client.failure?.code]).toEqual(['closing', 'ERR_RESERVED_OPCODE']);
    expect(decodeClientFrames(output(client)).map((frame) => frame.opcode)).toEqual([0x8]);
  });

  it('holds it after the open event too: the response, a message and a reserved opcode in one read', () => {
    const client = createClient();
    client.dataToSend();
    client.receiveData(concat(handshakeResponse(), hex('81 01 41 85 00')));
    expect(client.eventsReceived().map((event) => event.type)).toEqual(['open', 'message']);
    client.sendText(ascii('A'));
    expect(client.eventsReceived()).toEqual([]);
    expect(decodeClientFrames(output(client)).map((frame) => [frame.opcode, toHex(frame.payload.subarray(0, 2))])).toEqual([
      [0x1, '41'],
      [0x8, '03 ea'],
    ]);
  });

  it('reports the held failure at EOF when the transport ends first', () => {
    const client = openClient();
    client.receiveData(hex('81 01 41 85 00'));
    client.receiveEof();
    expect(plainEvents(client.eventsReceived())).toEqual([
      { type: 'message', binary: false, compressed: false, data: '41' },
      {
        type: 'close',
        code: 1006,
        reason: '',
        wasClean: false,
        error: { name: 'ProtocolError', code: 'ERR_RESERVED_OPCODE', closeCode: 1002 },
      },
    ]);
  });
});

describe('ping and pong (RFC 6455 §5.5.2, §5.5.3)', () => {
  it('answers the §5.7 Ping "Hello" with the §5.7 masked Pong "Hello"', () => {
    const outcome = expectSameUnderSplits(opened(), hex('89 05 48 65 6c 6c 6f'));
    expect(outcome.events).toEqual([{ type: 'ping', data: toHex(ascii('Hello')) }]);
    expect(outcome.output).toBe('8a 85 37 fa 21 3d 7f 9f 4d 51 58');
  });

  it('answers with the same payload under any mask key (unmasked output checked)', () => {
    const payload = pattern(125, 9);
    const client = openClient({ randomFill: countingFill() }, handshakeResponse({ key: 'AAECAwQFBgcICQoLDA0ODw==' }));
    client.receiveData(concat(hex('89 7d'), payload));
    const out = output(client);
    expect(toHex(out.subarray(0, 2))).toBe('8a fd');
    const key = out.subarray(2, 6);
    expect(toHex(key)).toBe('10 11 12 13');
    expect(out.subarray(6).map((byte, index) => byte ^ key[index & 3]!)).toEqual(payload);
  });

  it('answers an empty Ping with an empty Pong', () => {
    expect(expectSameUnderSplits(opened(), hex('89 00')).output).toBe('8a 80 37 fa 21 3d');
  });

  it('accepts an unsolicited Pong and answers nothing', () => {
    expect(expectSameUnderSplits(opened(), hex('8a 03 61 62 63'))).toEqual({
      events: [{ type: 'pong', data: '61 62 63' }],
      output: '',
      state: 'open',
      failure: null,
    });
  });

  it('while the I/O layer holds Pongs, keeps only the answer to the most recent Ping and writes it on release (§5.5.3)', () => {
    const client = openClient();
    client.holdPongs(true);
    client.receiveData(concat(...[1, 2, 3].map((n) => serverFrame({ opcode: 0x9, payload: utf8(`ping ${n}`) }))));
    expect(allEvents(client).map((event) => event.type)).toEqual(['ping', 'ping', 'ping']);
    expect(output(client)).toEqual(new Uint8Array(0));
    client.holdPongs(true);
    expect(output(client)).toEqual(new Uint8Array(0));
    client.holdPongs(false);
    expect(toHex(output(client))).toBe(toHex(clientFrame(0xa, utf8('ping 3'))));
    client.holdPongs(false);
    client.receiveData(serverFrame({ opcode: 0x9, payload: utf8('ping 4') }));
    expect(toHex(output(client))).toBe(toHex(clientFrame(0xa, utf8('ping 4'))));
  });

  it('drops a held Pong once its own Close was sent', () => {
    const client = openClient();
    client.holdPongs(true);
    client.receiveData(serverFrame({ opcode: 0x9, payload: utf8('late') }));
    client.sendClose(1000);
    client.holdPongs(false);
    expect(decodeClientFrames(output(client)).map((frame) => frame.opcode)).toEqual([0x8]);
  });

  it('does not answer a Ping once its own Close was sent', () => {
    const client = openClient();
    client.sendClose(1000);
    client.dataToSend();
    client.receiveData(hex('89 01 78'));
    expect(client.eventsReceived()).toEqual([{ type: 'ping', data: hex('78') }]);
    expect(client.dataToSend()).toEqual([]);
  });

  it('sends Ping and Pong frames of up to 125 bytes', () => {
    const client = openClient();
    client.sendPing(ascii('Hello'));
    client.sendPong(ascii('Hello'));
    client.sendPing();
    expect(toHex(output(client))).toBe('89 85 37 fa 21 3d 7f 9f 4d 51 58 8a 85 37 fa 21 3d 7f 9f 4d 51 58 89 80 37 fa 21 3d');
    client.sendPing(pattern(125));
    expect(output(client)).toEqual(clientFrame(0x9, pattern(125)));
    for (const send of [() => client.sendPing(pattern(126)), () => client.sendPong(pattern(126))]) {
      const error = thrown(send);
      expect([error.name, error.code]).toEqual(['UsageError', 'ERR_CONTROL_FRAME_TOO_LONG']);
    }
    expect(client.dataToSend()).toEqual([]);
  });
});

describe('closing handshake (RFC 6455 §5.5.1, §7)', () => {
  const cleanClose = (code: number, reason: string): object => ({ type: 'close', code, reason, wasClean: true, error: null });

  it('echoes the server Close code (03 E8 → masked 34 12) and closes cleanly at EOF', () => {
    const outcome = expectSameUnderSplits(opened(), hex('88 02 03 e8'), true);
    expect(outcome).toEqual({ events: [cleanClose(1000, '')], output: '88 82 37 fa 21 3d 34 12', state: 'closed', failure: null });
  });

  it('echoes only the code of a Close with a reason, and reports the reason', () => {
    const outcome = expectSameUnderSplits(opened(), concat(hex('88 0c 0f a0'), utf8('going \u00e9\u00e9')), true);
    expect(outcome.events).toEqual([cleanClose(4000, 'going \u00e9\u00e9')]);
    expect(outcome.output).toBe('88 82 37 fa 21 3d 38 5a');
  });

  it('answers an empty Close with an empty Close and reports 1005', () => {
    const outcome = expectSameUnderSplits(opened(), hex('88 00'), true);
    expect(outcome).toEqual({ events: [cleanClose(1005, '')], output: '88 80 37 fa 21 3d', state: 'closed', failure: null });
  });

  it('is closing between the server Close and EOF, and reads nothing after the Close', () => {
    const client = openClient();
    client.receiveData(hex('88 02 03 e8 81 01 41'));
    expect(client.state).toBe('closing');
    expect(client.closeExpected()).toBe(true);
    expect(client.shouldCloseTransport()).toBe(true);
    expect(client.eventsReceived()).toEqual([]);
    client.receiveData(hex('89 00'));
    expect(client.eventsReceived()).toEqual([]);
    expect(toHex(output(client))).toBe('88 82 37 fa 21 3d 34 12');
  });

  it('client Close, then messages, then the server Close: wasClean with the server code', () => {
    const client = openClient();
    client.sendClose(1000, 'bye');
    expect(toHex(output(client))).toBe('88 85 37 fa 21 3d 34 12 43 44 52');
    expect(client.state).toBe('closing');
    expect(client.closeExpected()).toBe(true);
    expect(client.shouldCloseTransport()).toBe(false);
    const outcome = run(client, [hex('81 01 41 88 02 03 e8')], true);
    expect(outcome).toEqual({
      events: [{ type: 'message', binary: false, compressed: false, data: '41' }, cleanClose(1000, '')],
      output: '',
      state: 'closed',
      failure: null,
    });
  });

  it('client Close with no code writes an empty Close', () => {
    const client = openClient();
    client.sendClose();
    expect(toHex(output(client))).toBe('88 80 37 fa 21 3d');
  });

  it('fails a 1-byte Close payload with 1002', () => {
    expectFailure(hex('88 01 03'), 'ERR_INVALID_CLOSE_PAYLOAD', 1002);
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535])('fails received close code %i with 1002', (code) => {
    expectFailure(concat(hex('88 02'), Uint8Array.of(code >>> 8, code & 0xff)), 'ERR_INVALID_CLOSE_CODE', 1002);
  });

  it.each([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999])('echoes received close code %i', (code) => {
    const outcome = run(openClient(), [concat(hex('88 02'), Uint8Array.of(code >>> 8, code & 0xff))], true);
    expect(outcome.output).toBe(toHex(clientFrame(0x8, closePayload(code))));
    expect(outcome.events).toEqual([cleanClose(code, '')]);
  });

  it.each([
    ['a lone FF', 'ff'],
    ['a surrogate', 'ed a0 80'],
    ['a truncated sequence', 'e2 82'],
    ['an overlong form', 'c0 af'],
  ])('fails a Close reason with %s with 1007', (_label, reason) => {
    const bytes = hex(`03 e8 ${reason}`);
    expectFailure(concat(Uint8Array.of(0x88, bytes.length), bytes), 'ERR_INVALID_CLOSE_REASON', 1007);
    expectFailure(concat(Uint8Array.of(0x88, bytes.length), bytes), 'ERR_INVALID_CLOSE_REASON', 1007, { isUtf8 });
  });

  it('reports 1006 with ERR_CONNECTION_LOST when the transport ends without a Close', () => {
    const outcome = run(openClient(), [hex('81 01 41')], true);
    expect(outcome.events.at(-1)).toEqual({
      type: 'close',
      code: 1006,
      reason: '',
      wasClean: false,
      error: { name: 'KeelError', code: 'ERR_CONNECTION_LOST', closeCode: 1006 },
    });
    expect(outcome.state).toBe('closed');
  });

  it('reports 1006 when the server never answers the client Close, with the cause the I/O layer gives', () => {
    const client = openClient();
    client.sendClose(1000);
    const cause = new KeelError('ERR_CLOSE_TIMEOUT', 'no answer');
    client.receiveEof(cause);
    expect(client.eventsReceived()).toEqual([{ type: 'close', code: 1006, reason: '', wasClean: false, error: cause }]);
    client.receiveEof();
    expect(client.eventsReceived()).toEqual([]);
  });
});

describe.each([
  ['its own validator', {}],
  ['the isUtf8 fast path', { isUtf8 }],
])('UTF-8 of text messages (RFC 6455 §8.1) with %s', (_label, options: ClientOptions) => {
  it('accepts code points split across frames and reads', () => {
    const bytes = hex('01 02 f0 9f  00 01 98  89 00  00 05 80 c3 a9 e2 82  80 01 ac');
    // The last fragment must not end the message inside a code point: here it ends with AC.
    const outcome = expectSameUnderSplits(opened(options), bytes);
    expect(outcome.failure).toBeNull();
    expect(outcome.events.at(-1)).toEqual({
      type: 'message',
      binary: false,
      compressed: false,
      data: toHex(utf8('\u{1f600}\u00e9\u20ac')),
    });
  });

  it('fails with 1007 in the read where the bad byte appears, mid-frame and mid-message', () => {
    const client = openClient(options);
    // A 256-byte text frame that does not end the message.
    client.receiveData(concat(hex('01 7e 01 00'), utf8('a'.repeat(100))));
    expect(client.failure).toBeNull();
    client.receiveData(concat(utf8('b'.repeat(80)), hex('ff'), utf8('c'.repeat(10))));
    expect([client.failure?.code, client.failure?.closeCode]).toEqual(['ERR_INVALID_UTF8', 1007]);
    expect(client.state).toBe('closing');
    expect(output(client).subarray(0, 1)).toEqual(hex('88'));
  });

  it('fails with 1007 at a bad continuation in a later fragment, before the message ends', () => {
    const client = openClient(options);
    client.receiveData(hex('01 01 e2'));
    expect(client.failure).toBeNull();
    client.receiveData(hex('00 02 82 41'));
    expect(client.failure?.code).toBe('ERR_INVALID_UTF8');
  });

  it.each([
    ['a lone continuation', '81 01 80'],
    ['a surrogate', '81 03 ed a0 80'],
    ['above U+10FFFF', '81 04 f4 90 80 80'],
    ['an overlong form', '81 02 c0 af'],
    ['a message ending inside a code point', '81 02 e2 82'],
    ['a fragmented message ending inside a code point', '01 01 f0 80 02 9f 98'],
  ])('fails %s with 1007', (_label, bytes) => {
    expectFailure(hex(bytes), 'ERR_INVALID_UTF8', 1007, options);
  });

  it('does not validate binary messages', () => {
    expect(run(openClient(options), [hex('82 02 ff fe')]).failure).toBeNull();
  });
});

describe('limits', () => {
  it('fails with 1009 from the declared length, before any payload byte', () => {
    const client = openClient({ config: { maxMessageSize: 10 } });
    client.receiveData(hex('82 0b'));
    expect([client.failure?.code, client.failure?.closeCode]).toEqual(['ERR_MESSAGE_TOO_BIG', 1009]);
    expectFailure(concat(hex('82 0b'), pattern(11)), 'ERR_MESSAGE_TOO_BIG', 1009, { config: { maxMessageSize: 10 } });
  });

  it('accepts a message of exactly maxMessageSize', () => {
    expect(run(openClient({ config: { maxMessageSize: 10 } }), [concat(hex('82 0a'), pattern(10))]).events).toHaveLength(1);
  });

  it('counts the size across fragments, failing at the header that passes the limit', () => {
    const client = openClient({ config: { maxMessageSize: 10 } });
    client.receiveData(concat(hex('02 06'), pattern(6), hex('89 00 00 04'), pattern(4)));
    allEvents(client);
    expect(client.failure).toBeNull();
    client.receiveData(hex('80 01'));
    expect(client.failure?.code).toBe('ERR_MESSAGE_TOO_BIG');
    expectFailure(concat(hex('02 06'), pattern(6), hex('80 05'), pattern(5)), 'ERR_MESSAGE_TOO_BIG', 1009, {
      config: { maxMessageSize: 10 },
    });
  });

  it('does not carry the size of one message into the next', () => {
    const outcome = run(openClient({ config: { maxMessageSize: 10 } }), [
      concat(hex('82 0a'), pattern(10), hex('02 05'), pattern(5), hex('80 05'), pattern(5)),
    ]);
    expect(outcome.failure).toBeNull();
    expect(outcome.events).toHaveLength(2);
  });

  it('fails the fragment past maxFragments with 1009', () => {
    const options = { config: { maxFragments: 3 } };
    expect(run(openClient(options), [hex('01 01 61 00 01 62 80 01 63')]).events).toHaveLength(1);
    expectFailure(hex('01 01 61 00 01 62 00 01 63 80 01 64'), 'ERR_TOO_MANY_FRAGMENTS', 1009, options);
  });

  it('defaults: 64 MiB messages, unlimited fragments, 64 KiB responses', () => {
    expect(defaultProtocolConfig).toEqual({
      maxMessageSize: 64 * 1024 * 1024,
      maxFragments: Number.POSITIVE_INFINITY,
      maxHandshakeResponseSize: 64 * 1024,
      handshakeTimeout: 30_000,
      closeTimeout: 5_000,
    });
    const client = openClient();
    expect(client.config).toEqual(defaultProtocolConfig);
    client.receiveData(hex('82 7f 00 00 00 00 04 00 00 01'));
    expect(client.failure?.code).toBe('ERR_MESSAGE_TOO_BIG');
  });

  it('a message in 100,000 fragments of 1 byte takes memory as a few doubling buffers, the largest at most twice the payload (issue 12)', () => {
    const sizes: number[] = [];
    const client = openClient({ allocate: (size) => (sizes.push(size), new Uint8Array(size)) });
    const wire = new Uint8Array(100_000 * 3 + 2);
    for (let index = 0; index < 100_000; index += 1) wire.set([index === 0 ? 0x02 : 0x00, 1, index & 0xff], index * 3);
    wire.set([0x80, 0], 300_000);
    for (let at = 0; at < wire.length; at += 65_536) client.receiveData(wire.slice(at, at + 65_536));
    const [event] = allEvents(client);
    expect(event?.type === 'message' && event.data.length).toBe(100_000);
    expect(event?.type === 'message' && event.data[257]).toBe(1);
    expect(sizes.length).toBeLessThanOrEqual(6);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(200_000);
  });

  it('assembles a 4 MiB message in 65,536 fragments of 64 bytes with the default config', () => {
    const whole = pattern(4 * 1024 * 1024, 5);
    const frames = new Uint8Array(65_536 * 66);
    for (let index = 0; index < 65_536; index += 1) {
      const at = index * 66;
      frames[at] = index === 0 ? 0x02 : index === 65_535 ? 0x80 : 0x00;
      frames[at + 1] = 64;
      frames.set(whole.subarray(index * 64, index * 64 + 64), at + 2);
    }
    const client = openClient();
    for (let offset = 0; offset < frames.length; offset += 65_536) client.receiveData(frames.subarray(offset, offset + 65_536));
    const events = client.eventsReceived();
    expect(client.failure).toBeNull();
    expect(events).toHaveLength(1);
    expect(Buffer.compare((events[0] as { data: Uint8Array }).data, whole)).toBe(0);
  });

  it('assembles a 16 MiB message in 1 MiB frames with the default config', () => {
    const mib = 1024 * 1024;
    const whole = pattern(16 * mib, 11);
    const client = openClient();
    for (let index = 0; index < 16; index += 1) {
      const frame = serverFrame({
        opcode: index === 0 ? 0x2 : 0x0,
        fin: index === 15,
        payload: whole.subarray(index * mib, (index + 1) * mib),
      });
      for (let offset = 0; offset < frame.length; offset += 256 * 1024) client.receiveData(frame.subarray(offset, offset + 256 * 1024));
    }
    const events = client.eventsReceived();
    expect(client.failure).toBeNull();
    expect(events).toHaveLength(1);
    expect(Buffer.compare((events[0] as { data: Uint8Array }).data, whole)).toBe(0);
  });
});

describe('sending (RFC 6455 §5.2, §5.3)', () => {
  it('sends the §5.7 masked "Hello", fragmented "Hel" + "lo", and binary in the 16- and 64-bit forms', () => {
    const client = openClient();
    client.sendText(ascii('Hello'));
    client.sendText(ascii('Hel'), { fin: false });
    client.sendText(ascii('lo'));
    expect(toHex(output(client))).toBe('81 85 37 fa 21 3d 7f 9f 4d 51 58 01 83 37 fa 21 3d 7f 9f 4d 80 82 37 fa 21 3d 5b 95');
    client.sendBinary(pattern(256));
    const out256 = output(client);
    expect(toHex(out256.subarray(0, 8))).toBe('82 fe 01 00 37 fa 21 3d');
    expect(out256).toEqual(clientFrame(0x2, pattern(256)));
    client.sendBinary(pattern(65_536));
    expect(client.bufferedAmount).toBe(65_536 + 14);
    const out64k = client.dataToSend();
    expect(toHex(out64k[0] as Uint8Array)).toBe('82 ff 00 00 00 00 00 01 00 00 37 fa 21 3d');
    expect(Buffer.compare(concat(...out64k), clientFrame(0x2, pattern(65_536)))).toBe(0);
    expect(client.bufferedAmount).toBe(0);
  });

  it('continues a fragmented message with continuation frames, and sets RSV1 on its first frame only', () => {
    const client = openClient();
    client.sendBinary(hex('01'), { fin: false, rsv1: true });
    client.sendPing();
    client.sendBinary(hex('02'), { fin: false, rsv1: true });
    client.sendBinary(hex('03'));
    client.sendText(ascii('x'), { rsv1: true });
    expect(toHex(output(client))).toBe(
      toHex(
        concat(
          clientFrame(0x2, hex('01'), { fin: false, rsv1: true }),
          clientFrame(0x9),
          clientFrame(0x0, hex('02'), { fin: false }),
          clientFrame(0x0, hex('03')),
          clientFrame(0x1, ascii('x'), { rsv1: true }),
        ),
      ),
    );
  });

  it('leaves a borrowed buffer untouched and may mask an owned one in place', () => {
    const client = openClient();
    const borrowed = pattern(20_000);
    client.sendBinary(borrowed);
    expect(borrowed).toEqual(pattern(20_000));
    const owned = pattern(20_000);
    client.sendBinary(owned, { owned: true });
    const out = client.dataToSend();
    expect(Buffer.compare(concat(...out), concat(clientFrame(0x2, pattern(20_000)), clientFrame(0x2, pattern(20_000))))).toBe(0);
    expect(out.at(-1)).toBe(owned);
  });
});

describe('misuse throws at once', () => {
  const sends: Array<[string, (client: ClientProtocol) => void]> = [
    ['sendText', (client) => client.sendText(ascii('x'))],
    ['sendBinary', (client) => client.sendBinary(hex('00'))],
    ['sendPing', (client) => client.sendPing()],
    ['sendPong', (client) => client.sendPong()],
    ['sendClose', (client) => client.sendClose(1000)],
  ];

  const states: Array<[string, () => ClientProtocol]> = [
    ['before open', () => connecting()()],
    [
      'after sendClose',
      () => {
        const client = openClient();
        client.sendClose(1000);
        client.dataToSend();
        return client;
      },
    ],
    [
      'after the server Close',
      () => {
        const client = openClient();
        client.receiveData(hex('88 02 03 e8'));
        client.dataToSend();
        return client;
      },
    ],
    [
      'after fail()',
      () => {
        const client = openClient();
        client.fail(new ProtocolError('ERR_RESERVED_BITS', 'test'));
        client.dataToSend();
        return client;
      },
    ],
    [
      'after EOF',
      () => {
        const client = openClient();
        client.receiveEof();
        return client;
      },
    ],
  ];

  for (const [stateLabel, make] of states) {
    it.each(sends)(`%s ${stateLabel}: UsageError ERR_INVALID_STATE, nothing written`, (_label, send) => {
      const client = make();
      const error = thrown(() => send(client));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.code).toBe('ERR_INVALID_STATE');
      expect(client.dataToSend()).toEqual([]);
    });
  }

  it.each<[number | undefined, string | undefined]>([
    [999, undefined],
    [1001, undefined],
    [1005, undefined],
    [1006, undefined],
    [2999, undefined],
    [5000, undefined],
    [undefined, 'reason without a code'],
    [1000, 'x'.repeat(124)],
    [4000, '\u{1f600}'.repeat(31)],
  ])('sendClose(%s, %s) throws ERR_INVALID_CLOSE_CODE_ARG and leaves the connection open', (code, reason) => {
    const client = openClient();
    const error = thrown(() => client.sendClose(code, reason));
    expect([error.name, error.code]).toEqual(['UsageError', 'ERR_INVALID_CLOSE_CODE_ARG']);
    expect(client.state).toBe('open');
    expect(client.dataToSend()).toEqual([]);
    client.sendClose(4000, 'x'.repeat(123));
    expect(output(client)).toEqual(clientFrame(0x8, closePayload(4000, 'x'.repeat(123))));
  });
});

describe('fail()', () => {
  it('sends one Close with the error code, stops input, and is idempotent', () => {
    const client = openClient();
    const first = new ProtocolError('ERR_INFLATE', 'corrupt deflate data');
    client.fail(first);
    expect(toHex(output(client))).toBe(toHex(clientFrame(0x8, closePayload(1007, 'corrupt deflate data'))));
    expect(client.state).toBe('closing');
    expect(client.shouldCloseTransport()).toBe(true);
    client.fail(new ProtocolError('ERR_MESSAGE_TOO_BIG', 'second'));
    expect(client.failure).toBe(first);
    expect(client.dataToSend()).toEqual([]);
    client.receiveData(hex('81 01 41 89 00 88 02 03 e8'));
    expect(client.eventsReceived()).toEqual([]);
    expect(client.dataToSend()).toEqual([]);
    client.receiveEof();
    expect(client.eventsReceived()).toEqual([{ type: 'close', code: 1006, reason: '', wasClean: false, error: first }]);
  });

  it('truncates a long error message to a 123-byte reason', () => {
    const client = openClient();
    client.fail(new KeelError('ERR_DEFLATE', '\u00e9'.repeat(100), 1011));
    expect(output(client)).toEqual(clientFrame(0x8, closePayload(1011, '\u00e9'.repeat(61))));
  });

  it('writes no second Close after the client already sent one', () => {
    const client = openClient();
    client.sendClose(1000);
    client.dataToSend();
    client.fail(new ProtocolError('ERR_RESERVED_BITS', 'x'));
    expect(client.dataToSend()).toEqual([]);
    expect(client.failure?.code).toBe('ERR_RESERVED_BITS');
  });

  it('before open: writes nothing and reports the error at EOF', () => {
    const client = connecting()();
    const error = new KeelError('ERR_HANDSHAKE_TIMEOUT', 'timeout');
    client.fail(error);
    client.fail(new KeelError('ERR_ABORTED', 'later'));
    expect(client.dataToSend()).toEqual([]);
    client.receiveData(handshakeResponse());
    expect(client.eventsReceived()).toEqual([]);
    client.receiveEof();
    expect(client.eventsReceived()).toEqual([{ type: 'close', code: 1006, reason: '', wasClean: false, error }]);
    expect(client.state).toBe('closed');
  });
});

describe('properties (fast-check)', () => {
  const control = fc.record({ kind: fc.constantFrom<'ping' | 'pong'>('ping', 'pong'), payload: fc.uint8Array({ maxLength: 125 }) });
  const message = fc.record({
    kind: fc.constant<'message'>('message'),
    binary: fc.boolean(),
    text: fc.string({ unit: 'binary', maxLength: 200 }),
    bytes: fc.oneof(
      { weight: 4, arbitrary: fc.uint8Array({ maxLength: 300 }) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 126, maxLength: 3000 }) },
    ),
    cuts: fc.array(fc.nat(), { maxLength: 5 }),
    controls: fc.array(fc.array(control, { maxLength: 2 }), { maxLength: 6 }),
  });
  const chunkCuts = fc.array(fc.nat(), { maxLength: 16 });
  const closeFrame = fc.record({
    code: fc.oneof(
      fc.constantFrom(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014),
      fc.integer({ min: 3000, max: 4999 }),
    ),
    reason: fc.string({ unit: 'binary', maxLength: 30 }).filter((text) => utf8(text).length <= 123),
  });

  it('random valid frame sequences (then a server Close or EOF) under random chunking give the modelled events, pongs and echo, as unchunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(message, control), { maxLength: 8 }),
        fc.option(closeFrame),
        chunkCuts,
        fc.boolean(),
        (items, close, cuts, fast) => {
          const frames: Uint8Array[] = [];
          const events: object[] = [];
          const pongs: Uint8Array[] = [];
          const addControl = (item: { kind: 'ping' | 'pong'; payload: Uint8Array }): void => {
            frames.push(serverFrame({ opcode: item.kind === 'ping' ? 0x9 : 0xa, payload: item.payload }));
            events.push({ type: item.kind, data: toHex(item.payload) });
            if (item.kind === 'ping') pongs.push(clientFrame(0xa, item.payload));
          };
          for (const item of items) {
            if (item.kind !== 'message') {
              addControl(item);
              continue;
            }
            const payload = item.binary ? item.bytes : utf8(item.text);
            // Fragment boundaries anywhere, including inside code points; empty fragments allowed.
            const bounds = [0, ...item.cuts.map((cut) => cut % (payload.length + 1)).sort((a, b) => a - b), payload.length];
            for (let index = 0; index + 1 < bounds.length; index += 1) {
              const last = index + 2 === bounds.length;
              frames.push(
                serverFrame({
                  opcode: index > 0 ? 0x0 : item.binary ? 0x2 : 0x1,
                  fin: last,
                  payload: payload.subarray(bounds[index], bounds[index + 1]),
                }),
              );
              if (!last) for (const interleaved of item.controls[index] ?? []) addControl(interleaved);
            }
            events.push({ type: 'message', binary: item.binary, compressed: false, data: toHex(payload) });
          }
          if (close === null) {
            events.push({
              type: 'close',
              code: 1006,
              reason: '',
              wasClean: false,
              error: { name: 'KeelError', code: 'ERR_CONNECTION_LOST', closeCode: 1006 },
            });
          } else {
            // The server ends with a Close: echoed (code only), then a clean close at EOF.
            frames.push(serverFrame({ opcode: 0x8, payload: closePayload(close.code, close.reason) }));
            pongs.push(clientFrame(0x8, closePayload(close.code)));
            events.push({ type: 'close', code: close.code, reason: close.reason, wasClean: true, error: null });
          }
          const bytes = concat(...frames);
          const options = fast ? { isUtf8 } : {};
          const expected = {
            events,
            output: toHex(concat(...pongs)),
            state: 'closed',
            failure: close === null ? { name: 'KeelError', code: 'ERR_CONNECTION_LOST', closeCode: 1006 } : null,
          };
          expect(run(openClient(options), [bytes], true)).toEqual(expected);
          expect(run(openClient(options), chunkAt(bytes, cuts), true)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  /** What must hold whatever the input: no throw, one close event last, at most one Close written, and it is the last frame. */
  function checkInvariants(client: ClientProtocol, chunks: readonly Uint8Array[]): Outcome {
    const outcome = run(client, chunks, true);
    expect(outcome.state).toBe('closed');
    expect(outcome.events.filter((event) => event.type === 'close')).toHaveLength(1);
    expect(outcome.events.at(-1)?.type).toBe('close');
    const written = decodeClientFrames(hex(outcome.output));
    const closes = written.filter((frame) => frame.opcode === 0x8);
    expect(closes.length).toBeLessThanOrEqual(1);
    if (closes.length === 1) expect(written.at(-1)?.opcode).toBe(0x8);
    if (outcome.failure !== null && outcome.failure.name === 'ProtocolError') expect(closes).toHaveLength(1);
    return outcome;
  }

  it('random bytes after a valid handshake never throw out of the engine, under any chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), chunkCuts, fc.boolean(), (bytes, cuts, fast) => {
        const options = fast ? { isUtf8 } : {};
        const whole = checkInvariants(openClient(options), [bytes]);
        expect(checkInvariants(openClient(options), chunkAt(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  // Random frames that mostly look legal, so the input reaches deep states (fragmentation, UTF-8, close codes).
  const roughFrame = fc
    .record({
      first: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(0x81, 0x82, 0x01, 0x02, 0x00, 0x80, 0x89, 0x8a, 0x88) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
      ),
      masked: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      payload: fc.oneof(
        { weight: 3, arbitrary: fc.uint8Array({ maxLength: 20 }) },
        { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(utf8) },
        {
          weight: 2,
          arbitrary: fc
            .tuple(fc.integer({ min: 0, max: 5000 }), fc.string({ unit: 'binary', maxLength: 10 }))
            .map(([code, reason]) => closePayload(code, reason)),
        },
        { weight: 1, arbitrary: fc.uint8Array({ minLength: 126, maxLength: 400 }) },
      ),
    })
    .map(({ first, masked, payload }) => {
      const frame = serverFrame({
        opcode: first & 0x0f,
        fin: (first & 0x80) !== 0,
        rsv1: (first & 0x40) !== 0,
        rsv2: (first & 0x20) !== 0,
        rsv3: (first & 0x10) !== 0,
        payload,
        mask: masked ? hex('01 02 03 04') : undefined,
      });
      return frame;
    });

  it('random mostly-legal frames never throw, and give the same outcome under any chunking', () => {
    fc.assert(
      fc.property(fc.array(roughFrame, { maxLength: 12 }), chunkCuts, fc.boolean(), (frames, cuts, fast) => {
        const bytes = concat(...frames);
        const options = fast ? { isUtf8 } : {};
        const whole = checkInvariants(openClient(options), [bytes]);
        expect(checkInvariants(openClient(options), chunkAt(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('random bytes during the handshake never throw, under any chunking', () => {
    const prefix = fc.constantFrom(
      '',
      'HTTP/1.1 101 Switching Protocols\r\n',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n',
    );
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 2048 }), chunkCuts, (head, tail, cuts) => {
        const bytes = concat(ascii(head), tail);
        const options = { config: { maxHandshakeResponseSize: 1024 } };
        const whole = checkInvariants(connecting(options)(), [bytes]);
        expect(checkInvariants(connecting(options)(), chunkAt(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});
