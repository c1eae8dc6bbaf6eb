import type { Classifier } from './classifier.js';
import type { Clock } from './clock.js';
import { defaultHeartbeatOptions, type HeartbeatOptions } from './heartbeat.js';
import type { Resumable } from './resume.js';
import { defaultQueueOptions, type SendQueueOptions } from './send-queue.js';
import { SessionError } from './session-error.js';
import type { SubprotocolFallback } from './subprotocol.js';
import type { AbortSignalLike, Transport } from './transport.js';

/** A value, or a function (sync or async) evaluated again before every connection attempt. */
export type Resolvable<T> = T | (() => T | PromiseLike<T>);

export interface ReconnectOptions {
  /** Upper bound of the first retry's delay, in ms. Default 1,000. */
  readonly initialDelay: number;
  /** Cap of every delay, in ms. Default 30,000. */
  readonly maxDelay: number;
  /** Growth of the delay's upper bound per attempt. Default 2. */
  readonly factor: number;
  /** Consecutive failed attempts before the session gives up. Default Infinity. */
  readonly maxAttempts: number;
  /** A connection must stay open this long, in ms, before the attempt count resets. Default 5,000. */
  readonly minUptime: number;
}

export const defaultReconnectOptions: ReconnectOptions = Object.freeze({
  initialDelay: 1000,
  maxDelay: 30_000,
  factor: 2,
  maxAttempts: Infinity,
  minUptime: 5000,
});

/**
 * Bounds of what `for await (const m of session)` loops hold while the app is busy. Text counts
 * its length (UTF-16 code units), binary its bytes. Above a high-water mark the session asks the
 * transport to pause reading (Node: the socket stops being read, so TCP flow control slows the
 * server down, as python-websockets' max_queue); below both low-water marks it reads again.
 * Transports that cannot pause (browsers) keep buffering — nothing is dropped — and the
 * `backpressure` event reports it.
 */
export interface IteratorBufferOptions {
  /** Pause reading above this many buffered bytes. Default 1,048,576 (1 MiB). */
  readonly highWaterBytes: number;
  /** Pause reading above this many buffered messages. Default 1,000. */
  readonly highWaterMessages: number;
  /** Resume once at most this many bytes are buffered. Default 262,144 (256 KiB). */
  readonly lowWaterBytes: number;
  /** Resume once at most this many messages are buffered. Default 250. */
  readonly lowWaterMessages: number;
}

export const defaultIteratorBufferOptions: IteratorBufferOptions = Object.freeze({
  highWaterBytes: 1_048_576,
  highWaterMessages: 1000,
  lowWaterBytes: 262_144,
  lowWaterMessages: 250,
});

export interface SessionOptions {
  /** Server URL; a function is called before every attempt (e.g. to put a fresh token in it). */
  readonly url: Resolvable<string>;
  /** How to reach the server (Node, native WebSocket, SockJS...). */
  readonly transport: Transport;
  /** Subprotocols in preference order. Default none. */
  readonly protocols?: Resolvable<string | readonly string[]>;
  /** Extra handshake headers (only transports with `customHeaders` send them). Default none. */
  readonly headers?: Resolvable<Readonly<Record<string, string>>>;
  /** When protocols are wanted but the transport cannot negotiate them. Default 'refuse'. */
  readonly subprotocolFallback?: SubprotocolFallback;
  /** Reconnect policy, or false to never reconnect (the first failure closes the session). */
  readonly reconnect?: Partial<ReconnectOptions> | false;
  /** Decides retry / refresh / stop after each disconnect; return undefined for the default. */
  readonly classify?: Classifier;
  /** Called before the next attempt when the classifier says 'refresh' (401/403 by default). */
  readonly refreshCredentials?: () => void | PromiseLike<void>;
  /** Dead-link detection, or false to disable it. */
  readonly heartbeat?: Partial<HeartbeatOptions> | false;
  /** The send queue used while the session is not open. */
  readonly queue?: Partial<SendQueueOptions>;
  /** High- and low-water marks of the message iterators' buffers (backpressure). */
  readonly iteratorBuffer?: Partial<IteratorBufferOptions>;
  /**
   * Resumable sessions (docs/resume-protocol.md): `resume: resumable()`. With a server that offers
   * it in its hello, every message is delivered exactly once, both ways, across reconnects. Default
   * none: nothing changes, and nothing of the protocol is sent.
   */
  readonly resume?: Resumable;
  /** Aborting closes the session for good (close code 1000, error ERR_ABORTED). */
  readonly signal?: AbortSignalLike;
  /** Time source; the system clock by default (tests inject a fake one). */
  readonly clock?: Clock;
  /** Random source in [0, 1) for the backoff jitter. Default Math.random. */
  readonly random?: () => number;
}

/** The options once defaults are applied and values checked. */
export interface ResolvedOptions {
  readonly reconnect: ReconnectOptions;
  readonly heartbeat: HeartbeatOptions;
  readonly queue: SendQueueOptions;
  readonly iteratorBuffer: IteratorBufferOptions;
  readonly subprotocolFallback: SubprotocolFallback;
}

/** Messages are `option: what it takes`, kept short (they ship in every browser bundle). */
function check(ok: boolean, message: string): void {
  if (!ok) throw new SessionError('ERR_INVALID_OPTION', message);
}

/**
 * The numeric rules, keyed by the words that describe them in the error message. NaN fails every
 * comparison, so every rule refuses it.
 */
const numberRules: Readonly<Record<string, (n: number) => boolean>> = {
  'ms ≥ 0': (n) => n >= 0,
  '≥ 0': (n) => n >= 0,
  '≥ 1': (n) => n >= 1,
  'ms > 0': (n) => n > 0,
  'finite ms ≥ 0': (n) => n >= 0 && n < Infinity,
};

/**
 * Every rule is written as the error message it throws, `path: what it takes`, where what it
 * takes is a key of numberRules or the allowed values separated by ', '. One table is both the
 * check and its explanation (the messages ship in every browser bundle anyway).
 */
const rules = [
  'reconnect.initialDelay: ms ≥ 0',
  'reconnect.maxDelay: ms ≥ 0',
  'reconnect.factor: ≥ 1',
  'reconnect.maxAttempts: ≥ 0',
  'reconnect.minUptime: ms ≥ 0',
  'heartbeat.interval: finite ms ≥ 0',
  'heartbeat.timeout: ms > 0',
  'heartbeat.mode: auto, protocol, message',
  'queue.maxMessages: ≥ 0',
  'queue.maxBytes: ≥ 0',
  'queue.overflow: reject, drop-oldest, drop-newest',
  'iteratorBuffer.highWaterBytes: ≥ 1',
  'iteratorBuffer.highWaterMessages: ≥ 1',
  'iteratorBuffer.lowWaterBytes: ≥ 0',
  'iteratorBuffer.lowWaterMessages: ≥ 0',
  'subprotocolFallback: refuse, in-band',
];

/** Applies defaults and rejects impossible values with ERR_INVALID_OPTION. */
export function resolveOptions(options: SessionOptions): ResolvedOptions {
  check(typeof options === 'object' && options !== null, 'options: object');
  check(typeof options.transport?.open === 'function', 'transport: Transport');
  check(typeof options.url === 'string' || typeof options.url === 'function', 'url: string or function');
  // false is "never reconnect" (no attempt after the first) and "no heartbeat" (interval 0).
  const reconnect: ReconnectOptions = { ...defaultReconnectOptions, ...(options.reconnect === false ? { maxAttempts: 0 } : options.reconnect) };
  const heartbeat: HeartbeatOptions = { ...defaultHeartbeatOptions, ...(options.heartbeat === false ? { interval: 0 } : options.heartbeat) };
  const queue: SendQueueOptions = { ...defaultQueueOptions, ...options.queue };
  const iteratorBuffer: IteratorBufferOptions = { ...defaultIteratorBufferOptions, ...options.iteratorBuffer };
  const subprotocolFallback = options.subprotocolFallback ?? 'refuse';
  check(options.resume === undefined || typeof options.resume?.create === 'function', 'resume: resumable()');
  const resolved: ResolvedOptions = { reconnect, heartbeat, queue, iteratorBuffer, subprotocolFallback };
  for (const rule of rules) {
    const [path, takes] = rule.split(': ');
    const value = path.split('.').reduce<unknown>((group, key) => (group as Record<string, unknown>)[key], resolved);
    const numberRule = numberRules[takes];
    check(numberRule === undefined ? takes.split(', ').includes(value as string) : typeof value === 'number' && numberRule(value), rule);
  }
  check(
    typeof heartbeat.pingMessage === 'string' && typeof heartbeat.pongMessage === 'string' && heartbeat.pingMessage !== heartbeat.pongMessage,
    'heartbeat.pingMessage, pongMessage: two different strings',
  );
  check(
    iteratorBuffer.lowWaterBytes <= iteratorBuffer.highWaterBytes && iteratorBuffer.lowWaterMessages <= iteratorBuffer.highWaterMessages,
    'iteratorBuffer: low-water marks ≤ high-water marks',
  );
  if (heartbeat.mode === 'protocol' && heartbeat.interval > 0) {
    check(options.transport.capabilities.protocolPing, `heartbeat.mode: ${options.transport.name} has no protocol ping`);
  }
  // Headers a transport cannot send (browsers: WebSocket and SockJS) are refused, never ignored.
  if (options.headers !== undefined) check(options.transport.capabilities.customHeaders, `headers: ${options.transport.name} cannot send them`);
  return resolved;
}
