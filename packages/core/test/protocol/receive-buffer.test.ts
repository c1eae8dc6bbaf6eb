import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/protocol/errors.js';
import type { ClientProtocol } from '../../src/protocol/client-protocol.js';
import type { ProtocolEvent } from '../../src/protocol/events.js';
import {
  allEvents,
  closePayload,
  concat,
  createClient,
  openClient,
  pattern,
  serverFrame,
  split,
  thrown,
  toHex,
  utf8,
  type ClientOptions,
} from './engine-fixtures.js';

// receiveBuffer()/receiveInto(): a large single-frame message is read straight into its own
// buffer. Everything observable (events, output, failures) must equal the receiveData() path,
// however the bytes are split. A threshold of 4 bytes makes small fixtures take the new path.

const small: ClientOptions = { largeMessageThreshold: 4 };

interface Trace {
  readonly events: ProtocolEvent[];
  readonly output: string;
  /** Bytes that went through receiveInto(). */
  readonly direct: number;
}

/** Feeds `chunks` the way the Node layer does: into receiveBuffer() whenever there is one. */
function feedLikeSocket(client: ClientProtocol, chunks: readonly Uint8Array[]): Trace {
  const events: ProtocolEvent[] = [];
  const written: Uint8Array[] = [];
  let direct = 0;
  for (const chunk of chunks) {
    let at = 0;
    while (at < chunk.length) {
      const target = client.receiveBuffer();
      if (target === null) {
        client.receiveData(chunk.slice(at));
        at = chunk.length;
      } else {
        const count = Math.min(target.length, chunk.length - at);
        target.set(chunk.subarray(at, at + count));
        client.receiveInto(count);
        direct += count;
        at += count;
      }
      events.push(...allEvents(client));
      written.push(...client.dataToSend());
    }
  }
  client.receiveEof();
  events.push(...client.eventsReceived());
  written.push(...client.dataToSend());
  return {
    events: JSON.parse(
      JSON.stringify(events, (_key, value: unknown) => (value instanceof Uint8Array ? toHex(value) : value)),
    ) as ProtocolEvent[],
    output: toHex(concat(...written)),
    direct,
  };
}

/** Same events and output as the plain receiveData() path, at every split point; returns the whole-feed trace. */
function expectSameAsPlain(bytes: Uint8Array, options: ClientOptions = {}): { whole: Trace; maxDirect: number } {
  const plain = feedLikeSocket(openClient(options), [bytes.slice()]);
  expect(plain.direct).toBe(0);
  let maxDirect = 0;
  for (let at = 0; at <= bytes.length; at += 1) {
    const trace = feedLikeSocket(openClient({ ...options, ...small }), split(bytes, at));
    expect({ events: trace.events, output: trace.output }, `split at ${at}`).toEqual({ events: plain.events, output: plain.output });
    maxDirect = Math.max(maxDirect, trace.direct);
  }
  const oneByte = feedLikeSocket(
    openClient({ ...options, ...small }),
    Array.from(bytes, (byte) => Uint8Array.of(byte)),
  );
  expect({ events: oneByte.events, output: oneByte.output }, 'one byte at a time').toEqual({ events: plain.events, output: plain.output });
  return { whole: plain, maxDirect: Math.max(maxDirect, oneByte.direct) };
}

describe('receiveBuffer() / receiveInto(): large single-frame messages', () => {
  it('a mix of large, small, fragmented and control frames gives the same events under every split', () => {
    const bytes = concat(
      serverFrame({ opcode: 0x2, payload: pattern(10) }),
      serverFrame({ opcode: 0x1, payload: utf8('héllo ☃ 😀') }),
      serverFrame({ opcode: 0x9, payload: utf8('ping') }),
      serverFrame({ opcode: 0x2, payload: pattern(2, 7) }),
      serverFrame({ opcode: 0x2, payload: pattern(5, 1), fin: false }),
      serverFrame({ opcode: 0xa, payload: utf8('pong') }),
      serverFrame({ opcode: 0x0, payload: pattern(6, 2) }),
      serverFrame({ opcode: 0x2, payload: pattern(300, 3) }),
      serverFrame({ opcode: 0x8, payload: closePayload(1000, 'bye') }),
    );
    const { whole, maxDirect } = expectSameAsPlain(bytes);
    expect(whole.events.filter((event) => event.type === 'message')).toHaveLength(5);
    // Bytes really went through receiveInto() (one byte at a time: all but the first of each large frame).
    expect(maxDirect).toBe(9 + (utf8('héllo ☃ 😀').length - 1) + 299);
  });

  it('a large message split anywhere arrives whole, in one buffer the engine allocated at the frame start', () => {
    const payload = pattern(64, 5);
    const client = openClient(small);
    const frame = serverFrame({ opcode: 0x2, payload });
    client.receiveData(frame.slice(0, 10));
    const target = client.receiveBuffer() as Uint8Array;
    expect(target.length).toBe(frame.length - 10);
    target.set(frame.subarray(10, 40));
    client.receiveInto(30);
    expect(client.eventsReceived()).toEqual([]);
    expect((client.receiveBuffer() as Uint8Array).length).toBe(frame.length - 40);
    (client.receiveBuffer() as Uint8Array).set(frame.subarray(40));
    client.receiveInto(frame.length - 40);
    const [event] = client.eventsReceived();
    expect(event?.type === 'message' && toHex(event.data)).toBe(toHex(payload));
    expect(event?.type === 'message' && event.data.byteLength === payload.length && event.data.buffer.byteLength).toBe(payload.length);
    expect(client.receiveBuffer()).toBeNull();
  });

  it('a large message whole in one chunk stays a view of it (no buffer, no copy)', () => {
    const client = openClient(small);
    client.receiveData(serverFrame({ opcode: 0x2, payload: pattern(100) }));
    expect(client.receiveBuffer()).toBeNull();
    expect(client.eventsReceived()).toHaveLength(1);
  });

  it('invalid UTF-8 in a large text frame fails with 1007 at the same byte under every split', () => {
    const bad = concat(utf8('abcdefgh'), Uint8Array.of(0xc0, 0x80), utf8('ijklmnop'));
    const { whole } = expectSameAsPlain(serverFrame({ opcode: 0x1, payload: bad }));
    expect(whole.events.at(-1)).toMatchObject({ type: 'close', code: 1006, error: { code: 'ERR_INVALID_UTF8', closeCode: 1007 } });
  });

  it('a text frame ending inside a code point fails with 1007; one too large fails with 1009 before a buffer is made', () => {
    expect(
      expectSameAsPlain(serverFrame({ opcode: 0x1, payload: concat(utf8('abcdefgh'), Uint8Array.of(0xe2, 0x98)) })).whole.events.at(-1),
    ).toMatchObject({
      error: { code: 'ERR_INVALID_UTF8', closeCode: 1007 },
    });
    const tooBig = serverFrame({ opcode: 0x2, payload: pattern(40) });
    expect(expectSameAsPlain(tooBig, { config: { maxMessageSize: 39 } }).whole.events.at(-1)).toMatchObject({
      error: { code: 'ERR_MESSAGE_TOO_BIG', closeCode: 1009 },
    });
    const client = openClient({ ...small, config: { maxMessageSize: 39 } });
    client.receiveData(tooBig.slice(0, 5));
    expect(client.receiveBuffer()).toBeNull();
  });

  it('is null while connecting and after the input closed; receiveInto() then ignores bytes, or throws when there never was a buffer', () => {
    const connecting = createClient(small);
    expect(connecting.receiveBuffer()).toBeNull();
    expect(thrown(() => connecting.receiveInto(1))).toBeInstanceOf(UsageError);
    const client = openClient(small);
    client.receiveData(serverFrame({ opcode: 0x2, payload: pattern(20) }).slice(0, 6));
    const target = client.receiveBuffer() as Uint8Array;
    expect(thrown(() => client.receiveInto(target.length + 1)).code).toBe('ERR_INVALID_STATE');
    client.receiveEof();
    expect(client.receiveBuffer()).toBeNull();
    client.receiveInto(3);
    expect(client.eventsReceived()).toEqual([
      {
        type: 'close',
        code: 1006,
        reason: '',
        wasClean: false,
        error: expect.objectContaining({ code: 'ERR_CONNECTION_LOST' }) as unknown,
      },
    ]);
  });
});

describe('memory reserved from a declared length (issue 12)', () => {
  const MiB = 1024 * 1024;
  /** A client whose allocations are recorded (sizes, in order). */
  function recording(options: ClientOptions = {}): { client: ClientProtocol; sizes: number[] } {
    const sizes: number[] = [];
    const client = openClient({
      allocate: (size) => {
        sizes.push(size);
        return new Uint8Array(size);
      },
      ...options,
    });
    return { client, sizes };
  }
  /** A binary frame header declaring `length` bytes (64-bit form). */
  const header64 = (length: number): Uint8Array => {
    const head = Uint8Array.of(0x82, 127, 0, 0, 0, 0, 0, 0, 0, 0);
    new DataView(head.buffer).setBigUint64(2, BigInt(length));
    return head;
  };

  it('a frame declaring 64 MiB with 30 bytes sent reserves at most 1 MiB', () => {
    const { client, sizes } = recording();
    client.receiveData(concat(header64(64 * MiB), pattern(30)));
    expect(client.failure).toBeNull();
    expect(Math.max(...sizes)).toBe(MiB);
    expect((client.receiveBuffer() as Uint8Array).length).toBe(MiB - 30);
  });

  it('grows the buffer by doubling as bytes arrive, up to the frame, and delivers the message whole', () => {
    const payload = pattern(3 * MiB + 5, 3);
    const { client, sizes } = recording();
    const chunks = [concat(header64(payload.length), payload.subarray(0, 1000))];
    for (let at = 1000; at < payload.length; at += 300_000) chunks.push(payload.slice(at, Math.min(payload.length, at + 300_000)));
    // Half the chunks through receiveInto() (the socket path), half through receiveData() (copied).
    const events: ProtocolEvent[] = [];
    chunks.forEach((chunk, index) => {
      const target = client.receiveBuffer();
      if (index % 2 === 1 && target !== null && target.length >= chunk.length) {
        target.set(chunk);
        client.receiveInto(chunk.length);
      } else {
        client.receiveData(chunk);
      }
      events.push(...allEvents(client));
    });
    expect(sizes).toEqual([MiB, 2 * MiB, payload.length]);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type === 'message' && Buffer.compare(event.data, payload)).toBe(0);
  });

  it('a frame declaring 5 GiB with maxMessageSize Infinity reserves at most 1 MiB and does not throw (crash 3)', () => {
    const { client, sizes } = recording({ config: { maxMessageSize: Number.POSITIVE_INFINITY } });
    client.receiveData(concat(header64(5 * 1024 * MiB), pattern(30)));
    expect(client.failure).toBeNull();
    expect(Math.max(...sizes)).toBe(MiB);
  });

  it('memory the platform refuses (a RangeError) fails the connection with 1009 instead of throwing out of the read', () => {
    const refusing = (size: number): Uint8Array => {
      if (size > 2 * MiB) throw new RangeError(`Array buffer allocation failed (${size})`);
      return new Uint8Array(size);
    };
    const options = { allocate: refusing, config: { maxMessageSize: Number.POSITIVE_INFINITY } };
    for (const bytes of [
      concat(header64(5 * MiB), pattern(3 * MiB)),
      // The fragmented path: the assembler's buffer.
      concat(serverFrame({ opcode: 0x2, payload: pattern(10), fin: false }), serverFrame({ opcode: 0x0, payload: pattern(3 * MiB) })),
    ]) {
      const client = openClient(options);
      client.receiveData(bytes.subarray(0, 1000));
      client.receiveData(bytes.subarray(1000));
      allEvents(client);
      expect([client.failure?.code, client.failure?.closeCode]).toEqual(['ERR_MESSAGE_TOO_BIG', 1009]);
    }
  });
});
