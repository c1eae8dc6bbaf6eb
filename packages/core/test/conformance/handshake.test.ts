import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from './conformance-case.js';
import { againstWs, defineCases, factory, text } from './define-cases.js';
import { closeFrame, pingFrame, splitAt, textFrame } from './frames.js';
import { withScripted } from './open-scripted.js';
import type { HandshakeScript } from './scripted-server.js';
import { acceptFor, acceptResponse, header, type AcceptResponseOptions, type UpgradeRequest } from './upgrade-request.js';

// RFC 6455 §4.1 (client requirements on the server's handshake) and §4.2.2: status 101,
// Upgrade: websocket and Connection: Upgrade (case-insensitive; Connection is a token list),
// the right Sec-WebSocket-Accept, no subprotocol or extension the client did not offer.
// Otherwise the client fails the connection without sending a frame.

const refused = (
  name: string,
  handshake: HandshakeScript,
  error: string,
  extra: Partial<ConformanceCase> & { status?: number } = {},
): ConformanceCase => {
  const { status, ...rest } = extra;
  return {
    name,
    handshake,
    writes: [],
    ...rest,
    expect: { outcome: 'handshake-fail', error, ...(status === undefined ? {} : { status }) },
  };
};

const opens = (name: string, handshake: HandshakeScript, extra: Partial<ConformanceCase> = {}): ConformanceCase => ({
  name,
  handshake,
  writes: [textFrame('after open')],
  ...extra,
  expect: { outcome: 'accept', messages: [text('after open')] },
});

const raw =
  (text: string): HandshakeScript =>
  () =>
    Buffer.from(text, 'latin1');

const statuses: Array<[number, string]> = [
  [200, 'OK'],
  [204, 'No Content'],
  [400, 'Bad Request'],
  [401, 'Unauthorized'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [426, 'Upgrade Required'],
  [500, 'Internal Server Error'],
  [503, 'Service Unavailable'],
];

/** A correct 101 built by `acceptResponse` with `options`, then `after` in the same write. */
const withTrailing =
  (after: Buffer, options: AcceptResponseOptions = {}): HandshakeScript =>
  (request: UpgradeRequest) => [Buffer.concat([acceptResponse(request, options), after])];

describe('handshake: the status must be 101', () => {
  defineCases(
    statuses.map(([status, phrase]) =>
      refused(
        `status ${status}`,
        raw(`HTTP/1.1 ${status} ${phrase}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nnope!`),
        'ERR_HANDSHAKE_STATUS',
        { status },
      ),
    ),
  );
});

describe('handshake: Upgrade and Connection', () => {
  defineCases([
    refused('Upgrade missing', { upgrade: null }, 'ERR_HANDSHAKE_UPGRADE'),
    refused('Upgrade: h2c', { upgrade: 'h2c' }, 'ERR_HANDSHAKE_UPGRADE'),
    refused('Upgrade: websocket2', { upgrade: 'websocket2' }, 'ERR_HANDSHAKE_UPGRADE'),
    opens('Upgrade: WebSocket (case-insensitive)', { upgrade: 'WebSocket' }),
    opens('Upgrade: WEBSOCKET', { upgrade: 'WEBSOCKET' }),
    refused('Connection missing', { connection: null }, 'ERR_HANDSHAKE_CONNECTION'),
    refused('Connection: keep-alive', { connection: 'keep-alive' }, 'ERR_HANDSHAKE_CONNECTION'),
    refused('Connection: close', { connection: 'close' }, 'ERR_HANDSHAKE_CONNECTION'),
    refused('Connection: Upgraded (not the token)', { connection: 'Upgraded' }, 'ERR_HANDSHAKE_CONNECTION'),
    opens('Connection: keep-alive, Upgrade (token list)', { connection: 'keep-alive, Upgrade' }),
    opens('Connection: Upgrade, keep-alive', { connection: 'Upgrade, keep-alive' }),
    opens('Connection: keep-alive,upgrade (no space, lower case)', { connection: 'keep-alive,upgrade' }),
    opens('Connection: UPGRADE', { connection: 'UPGRADE' }),
  ]);
});

describe('handshake: Sec-WebSocket-Accept', () => {
  defineCases([
    refused('a wrong accept', { accept: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, 'ERR_HANDSHAKE_ACCEPT'),
    refused('the accept of another key', { accept: acceptFor('dGhlIHNhbXBsZSBub25jZQ==') }, 'ERR_HANDSHAKE_ACCEPT'),
    refused('the accept missing', { accept: null }, 'ERR_HANDSHAKE_ACCEPT'),
    refused('an empty accept', { accept: '' }, 'ERR_HANDSHAKE_ACCEPT'),
    refused(
      'the right accept in the wrong case (base64 is case-sensitive)',
      (request) => acceptResponse(request, { accept: acceptFor(header(request, 'sec-websocket-key') ?? '').toLowerCase() }),
      'ERR_HANDSHAKE_ACCEPT',
    ),
  ]);
});

describe('handshake: subprotocols and extensions that were not offered', () => {
  defineCases([
    refused('a subprotocol when none was offered', { protocol: 'chat' }, 'ERR_HANDSHAKE_SUBPROTOCOL'),
    refused('a subprotocol other than those offered', { protocol: 'superchat' }, 'ERR_HANDSHAKE_SUBPROTOCOL', {
      client: { protocols: ['chat', 'json'] },
    }),
    refused('two subprotocols', { protocol: 'chat, json' }, 'ERR_HANDSHAKE_SUBPROTOCOL', { client: { protocols: ['chat', 'json'] } }),
    opens('an offered subprotocol', { protocol: 'json' }, { client: { protocols: ['chat', 'json'] } }),
    opens('no subprotocol although some were offered', {}, { client: { protocols: ['chat'] } }),
    refused('an extension when none was offered', { extensions: 'x-unknown' }, 'ERR_HANDSHAKE_EXTENSION'),
    refused('permessage-deflate when it was not offered', { extensions: 'permessage-deflate' }, 'ERR_HANDSHAKE_EXTENSION'),
    refused('an unknown extension next to the permessage-deflate offer', { extensions: 'x-unknown' }, 'ERR_HANDSHAKE_EXTENSION', {
      client: { perMessageDeflate: true },
    }),
    opens('no extension although permessage-deflate was offered', {}, { client: { perMessageDeflate: true } }),
  ]);
});

describe('handshake: size and timing of the response', () => {
  const manyHeaders = (count: number): ReadonlyArray<readonly [string, string]> =>
    Array.from({ length: count }, (_, i) => [`X-Filler-${i}`, 'f'.repeat(80)] as const);
  defineCases([
    refused('a response larger than maxHandshakeResponseSize', { headers: manyHeaders(20) }, 'ERR_HANDSHAKE_TOO_LARGE', {
      client: { maxHandshakeResponseSize: 1024 },
    }),
    opens('a response just under maxHandshakeResponseSize', { headers: manyHeaders(5) }, { client: { maxHandshakeResponseSize: 1024 } }),
    refused(
      'a head that never ends, past the 64 KiB default',
      () => Buffer.from(`HTTP/1.1 101 Switching Protocols\r\n${'X-Endless: yes\r\n'.repeat(5000)}`),
      'ERR_HANDSHAKE_TOO_LARGE',
    ),
    refused('no answer within handshakeTimeout', () => null, 'ERR_HANDSHAKE_TIMEOUT', { client: { handshakeTimeout: 200 } }),
    refused(
      'half a head, then silence, past handshakeTimeout',
      () => Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n'),
      'ERR_HANDSHAKE_TIMEOUT',
      {
        client: { handshakeTimeout: 200 },
      },
    ),
    opens('a response written one line at a time', (request) => {
      const bytes = acceptResponse(request);
      const offsets = [...bytes.toString('latin1').matchAll(/\r\n/g)].map((m) => (m.index ?? 0) + 2).filter((o) => o < bytes.length);
      return splitAt(bytes, offsets);
    }),
    opens('a response written one byte at a time', (request) => {
      const bytes = acceptResponse(request);
      return splitAt(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      );
    }),
    opens('a response cut between \\r\\n and \\r\\n', (request) => {
      const bytes = acceptResponse(request);
      return splitAt(bytes, [bytes.length - 2]);
    }),
  ]);
});

describe('handshake: malformed responses', () => {
  defineCases([
    refused('not HTTP at all', raw('SSH-2.0-OpenSSH_9.2\r\n\r\n'), 'ERR_HANDSHAKE_MALFORMED'),
    refused('a status that is not a number', raw('HTTP/1.1 abc Switching Protocols\r\n\r\n'), 'ERR_HANDSHAKE_MALFORMED'),
    refused(
      'a header line without a colon',
      raw('HTTP/1.1 101 Switching Protocols\r\nUpgrade websocket\r\n\r\n'),
      'ERR_HANDSHAKE_MALFORMED',
    ),
  ]);
});

describe('handshake: frames in the same TCP write as the 101 are not lost', () => {
  defineCases([
    {
      name: 'a text message',
      handshake: withTrailing(textFrame('early')),
      writes: [],
      expect: { outcome: 'accept', messages: [text('early')] },
    },
    {
      name: 'three messages and half of a fourth',
      handshake: withTrailing(Buffer.concat([textFrame('1'), textFrame('2'), textFrame('3'), textFrame('four').subarray(0, 3)])),
      writes: [textFrame('four').subarray(3)],
      expect: { outcome: 'accept', messages: ['1', '2', '3', 'four'].map(text) },
    },
    {
      name: 'a ping, answered',
      handshake: withTrailing(pingFrame('hi')),
      writes: [],
      expect: { outcome: 'accept', pongs: [Buffer.from('hi')] },
    },
    {
      name: 'a Close, echoed',
      handshake: withTrailing(closeFrame(1001, 'going')),
      writes: [],
      expect: { outcome: 'close', echo: 1001, code: 1001, reason: 'going' },
    },
    {
      name: 'a 100 KiB message',
      handshake: withTrailing(textFrame('q'.repeat(100 * 1024))),
      writes: [],
      expect: { outcome: 'accept', messages: [text('q'.repeat(100 * 1024))] },
    },
    {
      name: 'a protocol error fails after open',
      handshake: withTrailing(Buffer.of(0x83, 0x00)),
      writes: [],
      expect: { outcome: 'fail', closeCode: 1002, error: 'ERR_RESERVED_OPCODE' },
    },
  ]);
});

describe.runIf(!againstWs)('handshake: what the client reports', () => {
  it('a refusal carries the status, the headers and the body', async () => {
    const response = raw('HTTP/1.1 403 Forbidden\r\nX-Reason: banned\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nnot allowed');
    await withScripted(factory, { handshake: response }, async ({ client, connection }) => {
      const closed = await client.closed;
      const error = client.errors[0]?.error as {
        code: string;
        status: number;
        headers: ReadonlyArray<readonly [string, string]>;
        body: Uint8Array;
      };
      expect([error.code, error.status]).toEqual(['ERR_HANDSHAKE_STATUS', 403]);
      expect(error.headers).toContainEqual(['x-reason', 'banned']);
      expect(Buffer.from(error.body).toString()).toBe('not allowed');
      expect([closed.code, closed.wasClean]).toEqual([1006, false]);
      expect(connection.frames).toEqual([]);
    });
  });

  it('the selected subprotocol is exposed', async () => {
    await withScripted(
      factory,
      { handshake: { protocol: 'json' }, client: { protocols: ['chat', 'json'] } },
      async ({ client, connection }) => {
        await client.opened;
        expect(client.protocol()).toBe('json');
        expect(header(connection.request, 'sec-websocket-protocol')?.split(/, */)).toEqual(['chat', 'json']);
        client.close(1000);
        await connection.nextFrame();
        connection.end();
        await client.closed;
      },
    );
  });

  it('the request is a valid RFC 6455 §4.1 opening handshake', async () => {
    await withScripted(factory, {}, async ({ client, connection }) => {
      await client.opened;
      const { request } = connection;
      expect([request.method, request.path, request.version]).toEqual(['GET', '/', 'HTTP/1.1']);
      expect(header(request, 'host')).toBe(`127.0.0.1:${connection.socket.localPort}`);
      expect(header(request, 'upgrade')?.toLowerCase()).toBe('websocket');
      expect(header(request, 'connection')?.toLowerCase()).toContain('upgrade');
      expect(header(request, 'sec-websocket-version')).toBe('13');
      expect(Buffer.from(header(request, 'sec-websocket-key') ?? '', 'base64').length).toBe(16);
      client.close(1000);
      await connection.nextFrame();
      connection.end();
      await client.closed;
    });
  });
});
