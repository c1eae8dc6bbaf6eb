import { describe, expect, it } from 'vitest';
import { resolveOptions, type SessionOptions } from '../src/options.js';
import { FakeTransport } from './helpers/fake-transport.js';

const base = (): SessionOptions => ({ url: 'ws://x/', transport: new FakeTransport() });
const resolve = (extra: object) => () => resolveOptions({ ...base(), ...extra });
const rejected = (option: string) => expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining(option) });

// Every value a rule must refuse, with the option path the message has to name.
const invalid: Array<[option: string, extra: object]> = [
  ['transport', { transport: {} }],
  ['url', { url: 42 }],
  ...['initialDelay', 'maxDelay', 'maxAttempts', 'minUptime'].flatMap((key): Array<[string, object]> =>
    [-1, NaN, '5', null, undefined].map((value) => [`reconnect.${key}`, { reconnect: { [key]: value } }]),
  ),
  ...[0.5, 0, -1, NaN, '2', null].map((value): [string, object] => ['reconnect.factor', { reconnect: { factor: value } }]),
  ...[-1, NaN, Infinity, '5', null].map((value): [string, object] => ['heartbeat.interval', { heartbeat: { interval: value } }]),
  ...[0, -1, NaN, '5', null].map((value): [string, object] => ['heartbeat.timeout', { heartbeat: { timeout: value } }]),
  ...['sometimes', '', undefined, 1].map((value): [string, object] => ['heartbeat.mode', { heartbeat: { mode: value } }]),
  ['pingMessage', { heartbeat: { pingMessage: 'x', pongMessage: 'x' } }],
  ['pongMessage', { heartbeat: { pongMessage: 1 } }],
  ['pingMessage', { heartbeat: { pingMessage: undefined } }],
  ...['maxMessages', 'maxBytes'].flatMap((key): Array<[string, object]> =>
    [-1, NaN, '5', null].map((value) => [`queue.${key}`, { queue: { [key]: value } }]),
  ),
  ...['explode', '', undefined].map((value): [string, object] => ['queue.overflow', { queue: { overflow: value } }]),
  ...['maybe', ''].map((value): [string, object] => ['subprotocolFallback', { subprotocolFallback: value }]),
];

describe('resolveOptions', () => {
  it.each(invalid)('rejects a bad %s (%j) with ERR_INVALID_OPTION naming it', (option, extra) => {
    expect(resolve(extra)).toThrow(rejected(option));
  });

  it('rejects a non-object', () => {
    expect(() => resolveOptions(null as unknown as SessionOptions)).toThrow(rejected('options must be an object; got null'));
  });

  it("rejects heartbeat mode 'protocol' without protocol ping, unless the heartbeat is off", () => {
    const transport = new FakeTransport({ protocolPing: false });
    expect(resolve({ transport, heartbeat: { mode: 'protocol' } })).toThrow(rejected('heartbeat.mode'));
    expect(resolve({ transport, heartbeat: { mode: 'protocol', interval: 0 } })).not.toThrow();
  });

  it('accepts the boundaries of every rule', () => {
    const resolved = resolveOptions({
      ...base(),
      reconnect: { initialDelay: 0, maxDelay: Infinity, factor: 1, maxAttempts: Infinity, minUptime: 0 },
      heartbeat: { interval: 0, timeout: Infinity, mode: 'message', pingMessage: '', pongMessage: 'p' },
      queue: { maxMessages: 0, maxBytes: Infinity, overflow: 'drop-oldest' },
      subprotocolFallback: 'in-band',
    });
    expect(resolved.reconnect).toEqual({ initialDelay: 0, maxDelay: Infinity, factor: 1, maxAttempts: Infinity, minUptime: 0 });
    expect(resolved.heartbeat).toEqual({ interval: 0, timeout: Infinity, mode: 'message', pingMessage: '', pongMessage: 'p' });
    expect(resolved.queue).toEqual({ maxMessages: 0, maxBytes: Infinity, overflow: 'drop-oldest' });
    expect(resolved.subprotocolFallback).toBe('in-band');
    expect(resolve({ url: () => 'ws://y/', reconnect: { factor: 1.5 }, queue: { overflow: 'drop-newest' } })).not.toThrow();
  });

  it('refuses iterator buffer marks that cannot work (zero high-water, low above high)', () => {
    expect(resolve({ iteratorBuffer: { highWaterMessages: 0 } })).toThrow('iteratorBuffer.highWaterMessages must be a number ≥ 1; got 0');
    expect(resolve({ iteratorBuffer: { highWaterBytes: 100, lowWaterBytes: 200 } })).toThrow(
      'iteratorBuffer: each low-water mark must be ≤ its high-water mark',
    );
  });

  // Issue 13: a message says which option was wrong, what it allows and what it got.
  it.each([
    [{ reconnect: { factor: 0.5 } }, 'reconnect.factor must be a number ≥ 1; got 0.5'],
    [{ reconnect: { initialDelay: '5' } }, 'reconnect.initialDelay must be a number ≥ 0 (ms); got "5"'],
    [{ heartbeat: { interval: Infinity } }, 'heartbeat.interval must be a finite number ≥ 0 (ms); got Infinity'],
    [{ heartbeat: { timeout: 0 } }, 'heartbeat.timeout must be a number > 0 (ms); got 0'],
    [{ heartbeat: { mode: 'sometimes' } }, "heartbeat.mode must be one of 'auto', 'protocol', 'message'; got \"sometimes\""],
    [{ heartbeat: { pongMessage: 1 } }, 'heartbeat.pongMessage must be a string; got 1'],
    [{ heartbeat: { pingMessage: 'x', pongMessage: 'x' } }, 'heartbeat.pingMessage and pongMessage must differ; both are "x"'],
    [{ queue: { maxBytes: NaN } }, 'queue.maxBytes must be a number ≥ 0; got NaN'],
    [{ queue: { overflow: null } }, "queue.overflow must be one of 'reject', 'drop-oldest', 'drop-newest'; got null"],
    [{ subprotocolFallback: 'maybe' }, "subprotocolFallback must be one of 'refuse', 'in-band'; got \"maybe\""],
    [{ transport: {} }, 'transport must be a Transport; got an object'],
    [{ url: [] }, 'url must be a string or a function; got an array'],
    [{ resume: true }, 'resume must be what resumable() returns; got true'],
    // A group that is not an object was spread into the defaults and silently ignored.
    [{ reconnect: 5 }, 'reconnect must be an object or false; got 5'],
    [{ reconnect: true }, 'reconnect must be an object or false; got true'],
    [{ heartbeat: 'off' }, 'heartbeat must be an object or false; got "off"'],
    [{ queue: 100 }, 'queue must be an object; got 100'],
    [{ queue: false }, 'queue must be an object; got false'],
    [{ iteratorBuffer: [] }, 'iteratorBuffer must be an object; got an array'],
    [{ resume: { ackEvery: 0 } }, 'resume must be what resumable() returns; got an object'],
    [
      { transport: new FakeTransport({ protocolPing: false }, 'websocket'), heartbeat: { mode: 'protocol' } },
      "heartbeat.mode must be 'auto' or 'message': the websocket transport has no protocol ping",
    ],
  ])('explains %j: %s', (extra, message) => {
    expect(resolve(extra)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message }));
  });

  it('applies the defaults; false turns reconnect and heartbeat off', () => {
    expect(resolveOptions(base())).toEqual({
      reconnect: { initialDelay: 1000, maxDelay: 30_000, factor: 2, maxAttempts: Infinity, minUptime: 5000 },
      heartbeat: { interval: 25_000, timeout: 10_000, mode: 'auto', pingMessage: '{"type":"ping"}', pongMessage: '{"type":"pong"}' },
      queue: { maxMessages: 1000, maxBytes: 1_048_576, overflow: 'reject' },
      iteratorBuffer: { highWaterBytes: 1_048_576, highWaterMessages: 1000, lowWaterBytes: 262_144, lowWaterMessages: 250 },
      subprotocolFallback: 'refuse',
    });
    const off = resolveOptions({ ...base(), reconnect: false, heartbeat: false });
    expect(off.reconnect.maxAttempts).toBe(0);
    expect(off.heartbeat.interval).toBe(0);
  });
});
