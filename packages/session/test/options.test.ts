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
    expect(() => resolveOptions(null as unknown as SessionOptions)).toThrow(rejected('options'));
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
    expect(() => resolveOptions({ ...base(), iteratorBuffer: { highWaterMessages: 0 } })).toThrow('iteratorBuffer.highWaterMessages: ≥ 1');
    expect(() => resolveOptions({ ...base(), iteratorBuffer: { highWaterBytes: 100, lowWaterBytes: 200 } })).toThrow('low-water marks ≤ high-water marks');
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
