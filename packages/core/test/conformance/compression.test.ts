import { describe, expect, it } from 'vitest';
import type { RecordedFrame } from './client-frame-reader.js';
import type { ConformanceCase, ExpectedMessage } from './conformance-case.js';
import { againstWs, binary, defineCases, factory, fails, text } from './define-cases.js';
import { frame, Opcode, pingFrame, textFrame } from './frames.js';
import { withScripted } from './open-scripted.js';
import { compressedFrames, ServerDeflater, ServerInflater } from './server-deflate.js';

// RFC 7692: permessage-deflate. The scripted server answers the client's default offer
// (`permessage-deflate; client_max_window_bits`) with each parameter combination of §7.1,
// compresses with node:zlib under those parameters (§7.2.1: tail stripped, RSV1 on the first
// frame only) and checks both directions. Hostile cases: RSV1 without negotiation (1002),
// corrupt data (1007), an inflate bomb (1009).

const deflate = { perMessageDeflate: true } as const;
const jsonText = (size: number): string => {
  let out = '';
  for (let i = 0; out.length < size; i++) out += `{"id":${i},"user":"user-${i % 37}","text":"hello ✓ number ${(i * 7919) % 1000}"},`;
  return out.slice(0, size);
};
const someBytes = (size: number): Buffer => {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i % 251) ^ ((i >> 10) & 0x0f);
  return data;
};

interface Params {
  readonly answer: string;
  readonly serverBits: number;
  readonly serverNoContext: boolean;
  readonly clientBits: number;
  readonly clientNoContext: boolean;
}
const params = (answer: string, serverBits = 15, serverNoContext = false, clientBits = 15, clientNoContext = false): Params => ({
  answer,
  serverBits,
  serverNoContext,
  clientBits,
  clientNoContext,
});

const configs: Params[] = [
  params('permessage-deflate'),
  params('permessage-deflate; server_no_context_takeover', 15, true),
  params('permessage-deflate; client_no_context_takeover', 15, false, 15, true),
  params('permessage-deflate; server_no_context_takeover; client_no_context_takeover', 15, true, 15, true),
  ...[8, 9, 10, 11, 12, 13, 14, 15].map((bits) => params(`permessage-deflate; server_max_window_bits=${bits}`, bits)),
  ...[8, 9, 10, 11, 12, 13, 14, 15].map((bits) => params(`permessage-deflate; client_max_window_bits=${bits}`, 15, false, bits)),
];

type Item = { readonly kind: 'text' | 'binary'; readonly data: Buffer; readonly fragments: number; readonly compressed: boolean };
const item = (kind: 'text' | 'binary', data: Buffer | string, fragments = 1, compressed = true): Item => ({
  kind,
  data: Buffer.from(data),
  fragments,
  compressed,
});
const expected = (items: readonly Item[]): ExpectedMessage[] =>
  items.map((i) => (i.kind === 'text' ? text(i.data.toString()) : binary(i.data)));

/** The frames of `items`, compressed in order by one deflater (context carried over unless the params say not). */
async function framesFor(items: readonly Item[], p: Pick<Params, 'serverBits' | 'serverNoContext'>): Promise<Buffer[]> {
  const deflater = new ServerDeflater(p.serverBits, p.serverNoContext);
  const writes: Buffer[] = [];
  for (const i of items) {
    const opcode = i.kind === 'text' ? Opcode.text : Opcode.binary;
    if (!i.compressed) writes.push(frame({ opcode, payload: i.data }));
    else writes.push(...compressedFrames(opcode, await deflater.compress(i.data), i.fragments));
  }
  deflater.close();
  return writes;
}

// A sequence that crosses every size class, repeats content (context takeover pays off, or must
// be absent), and fragments compressed payloads.
const sequence: Item[] = [
  item('text', ''),
  item('text', jsonText(100)),
  item('binary', someBytes(1024)),
  item('text', jsonText(65536), 3),
  item('binary', someBytes(1 << 20), 4),
  item('text', jsonText(100)),
  item('text', 'not compressed', 1, false),
  item('text', jsonText(100)),
];

const configCases: ConformanceCase[] = await Promise.all(
  configs.map(async (p) => ({
    name: `server → client under "${p.answer}"`,
    client: deflate,
    handshake: { extensions: p.answer },
    writes: await framesFor(sequence, p),
    expect: { outcome: 'accept' as const, messages: expected(sequence) },
  })),
);

const sizes = [0, 1, 125, 1024, 65536, 1 << 20];
const sizeItems = sizes.flatMap((size) =>
  [1, 3].flatMap((fragments) => [item('text', jsonText(size), fragments), item('binary', someBytes(size), fragments)]),
);
const sizeCases: ConformanceCase[] = await Promise.all(
  sizeItems.map(async (i) => ({
    name: `a compressed ${i.kind} message of ${i.data.length} bytes in ${i.fragments} frame${i.fragments > 1 ? 's' : ''}`,
    client: deflate,
    handshake: { extensions: 'permessage-deflate' },
    writes: await framesFor([i], params('')),
    expect: { outcome: 'accept' as const, messages: expected([i]) },
  })),
);

const negotiated = { client: deflate, handshake: { extensions: 'permessage-deflate' } };
// Inflation is asynchronous: a client may answer a Ping sent after the message before it fails on it.
const inflating = { ...negotiated, probe: false };
const one = async (data: Buffer | string, options?: { bits?: number; keepTail?: boolean }): Promise<Buffer> =>
  new ServerDeflater(options?.bits ?? 15).compress(data, options?.keepTail);

// 20 KiB of varied bytes then a repeat of its start: the match reaches 20 KiB back.
const farMatch = Buffer.concat([someBytes(20_000).map((b, i) => b ^ (i * 13)), someBytes(200)]);
const zeros = (size: number): Buffer => Buffer.alloc(size);

const moreCases: ConformanceCase[] = [
  {
    name: 'a ping inside a fragmented compressed message is answered',
    ...negotiated,
    writes: await (async () => {
      const [first, second] = compressedFrames(Opcode.text, await one(jsonText(5000)), 2);
      return [first ?? Buffer.alloc(0), pingFrame('mid'), second ?? Buffer.alloc(0)];
    })(),
    expect: { outcome: 'accept', messages: [text(jsonText(5000))], pongs: [Buffer.from('mid')] },
  },
  {
    name: 'a compressed message that keeps the 00 00 ff ff tail',
    ...negotiated,
    writes: compressedFrames(Opcode.text, await one('tail kept', { keepTail: true })),
    expect: { outcome: 'accept', messages: [text('tail kept')] },
  },
  {
    name: 'a compressed message whose frames arrive one TCP write per byte of its header',
    ...negotiated,
    writes: await (async () => {
      const [whole] = compressedFrames(Opcode.binary, await one(someBytes(70_000)));
      return whole ? [whole.subarray(0, 1), whole.subarray(1, 2), whole.subarray(2, 10), whole.subarray(10)] : [];
    })(),
    expect: { outcome: 'accept', messages: [binary(someBytes(70_000))] },
  },
  fails('RSV1 when the server declined permessage-deflate', [textFrame('x', { rsv1: true })], 1002, 'ERR_RESERVED_BITS', {
    client: deflate,
  }),
  fails(
    'RSV1 when the client did not offer permessage-deflate',
    compressedFrames(Opcode.text, await one('hello')),
    1002,
    'ERR_RESERVED_BITS',
  ),
  fails(
    'RSV1 on a continuation frame',
    [
      ...compressedFrames(Opcode.text, await one(jsonText(300)), 2).map((f, i) =>
        i === 1 ? Buffer.concat([Buffer.of(f[0]! | 0x40), f.subarray(1)]) : f,
      ),
    ],
    1002,
    'ERR_RESERVED_BITS',
    negotiated,
  ),
  fails('RSV1 on a ping', [pingFrame('p', { rsv1: true })], 1002, 'ERR_RESERVED_BITS', negotiated),
  fails(
    'RSV1 on a close',
    [frame({ opcode: Opcode.close, payload: Buffer.of(3, 232), rsv1: true })],
    1002,
    'ERR_RESERVED_BITS',
    negotiated,
  ),
  fails('RSV2 with permessage-deflate negotiated', [textFrame('x', { rsv2: true })], 1002, 'ERR_RESERVED_BITS', negotiated),
  fails('corrupt data: a reserved block type', compressedFrames(Opcode.binary, Buffer.of(0x07, 0x00)), 1007, 'ERR_INFLATE', inflating),
  fails(
    'corrupt data: stored block with a bad length check',
    compressedFrames(Opcode.binary, Buffer.of(0x00, 0x05, 0x00, 0x00, 0x00, 0x61)),
    1007,
    'ERR_INFLATE',
    inflating,
  ),
  fails(
    'corrupt data: a distance beyond the negotiated server_max_window_bits=10',
    compressedFrames(Opcode.binary, await one(farMatch)),
    1007,
    'ERR_INFLATE',
    { client: deflate, handshake: { extensions: 'permessage-deflate; server_max_window_bits=10' }, probe: false },
  ),
  fails(
    'compressed text that inflates to invalid UTF-8',
    compressedFrames(Opcode.text, await one(Buffer.of(0x61, 0xff, 0x62))),
    1007,
    'ERR_INVALID_UTF8',
    inflating,
  ),
  fails(
    'inflate bomb: 16 MiB of zeros against maxMessageSize 1 MiB',
    compressedFrames(Opcode.binary, await one(zeros(16 << 20))),
    1009,
    'ERR_MESSAGE_TOO_BIG',
    {
      client: { ...deflate, maxMessageSize: 1 << 20 },
      handshake: { extensions: 'permessage-deflate' },
      probe: false,
    },
  ),
  fails(
    'inflate bomb: 65 MiB of zeros against the 64 MiB default',
    compressedFrames(Opcode.binary, await one(zeros(65 << 20))),
    1009,
    'ERR_MESSAGE_TOO_BIG',
    inflating,
  ),
  fails('inflate bomb in 8 fragments', compressedFrames(Opcode.text, await one(zeros(4 << 20)), 8), 1009, 'ERR_MESSAGE_TOO_BIG', {
    client: { ...deflate, maxMessageSize: 1 << 20 },
    handshake: { extensions: 'permessage-deflate' },
    probe: false,
  }),
  fails(
    'compressed payload declared larger than maxMessageSize, before it arrives',
    [frame({ opcode: Opcode.binary, rsv1: true, declaredLength: 2048n })],
    1009,
    'ERR_MESSAGE_TOO_BIG',
    {
      client: { ...deflate, maxMessageSize: 1024 },
      handshake: { extensions: 'permessage-deflate' },
    },
  ),
];

describe('compression: server → client under each negotiated parameter set', () => {
  defineCases(configCases);
});

describe('compression: sizes, text and binary, fragmented or not', () => {
  defineCases(sizeCases);
});

describe('compression: interleaving, tails and hostile frames', () => {
  defineCases(moreCases);
});

/** Groups recorded data frames into messages: [first frame, payload of all frames]. */
function messagesOf(frames: readonly RecordedFrame[]): Array<{ first: RecordedFrame; frames: RecordedFrame[]; payload: Buffer }> {
  const out: Array<{ first: RecordedFrame; frames: RecordedFrame[]; payload: Buffer }> = [];
  let current: RecordedFrame[] = [];
  for (const f of frames) {
    if (f.opcode >= 8) continue;
    current.push(f);
    if (f.fin) {
      const first = current[0] as RecordedFrame;
      out.push({ first, frames: current, payload: Buffer.concat(current.map((c) => c.payload)) });
      current = [];
    }
  }
  return out;
}

describe.runIf(!againstWs)('compression: client → server under each negotiated parameter set', () => {
  const sent = [jsonText(4096), someBytes(65536), jsonText(4096), jsonText(100), someBytes(1 << 20)];
  it.each(configs)('$answer', async (p) => {
    await withScripted(factory, { handshake: { extensions: p.answer }, client: deflate }, async ({ client, connection }) => {
      await client.opened;
      expect(client.extensions()).toContain('permessage-deflate');
      for (const data of sent) client.send(data);
      client.close(1000);
      await connection.nextFrame((f) => f.opcode === Opcode.close);
      const inflater = new ServerInflater(p.clientBits, p.clientNoContext);
      const messages = messagesOf(connection.frames);
      expect(messages.length).toBe(sent.length);
      for (const [index, message] of messages.entries()) {
        // RSV1 on the first frame only (RFC 7692 §6), never on continuations.
        expect(message.frames.slice(1).some((f) => f.rsv1)).toBe(false);
        const data = message.first.rsv1 ? await inflater.inflate(message.payload) : message.payload;
        const want = sent[index] ?? '';
        expect(data.equals(Buffer.from(want)), `message ${index}`).toBe(true);
      }
      // Messages of 1 KiB and more are worth compressing; the 100-byte one is under the threshold.
      expect(messages.map((m) => m.first.rsv1)).toEqual([true, true, true, false, true]);
      // Control frames never carry RSV1.
      expect(connection.frames.filter((f) => f.opcode >= 8).some((f) => f.rsv1)).toBe(false);
      inflater.close();
      await connection.write(frame({ opcode: Opcode.close, payload: Buffer.of(3, 232) }));
      connection.end();
      expect(await client.closed).toMatchObject({ code: 1000, wasClean: true });
    });
  });
});
