import type { Classifier } from './classifier.js';
import type { Clock } from './clock.js';
import { describeValue } from './describe-value.js';
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

/**
 * What one option accepts: a check, and the words that say what it allows ("must be …"). The words
 * ship in every browser bundle: short, but a whole rule (numbers include Infinity unless "finite").
 */
interface Rule {
  readonly allowed: string;
  readonly accepts: (value: unknown) => boolean;
}

/** One rule for every key of an options group: the compiler refuses a group with an unchecked option. */
type Rules<T> = { readonly [K in keyof T]-?: Rule };

/** A number ≥ `min` (Infinity included). NaN fails every comparison, so it is refused. */
const atLeast = (min: number, allowed: string): Rule => ({ allowed, accepts: (value) => typeof value === 'number' && value >= min });
const oneOf = (values: readonly string[]): Rule => ({
  allowed: `one of ${values.map((value) => `'${value}'`).join(', ')}`,
  accepts: (value) => values.includes(value as string),
});

const milliseconds = atLeast(0, 'a number ≥ 0 (ms)');
const count = atLeast(0, 'a number ≥ 0');
const atLeastOne = atLeast(1, 'a number ≥ 1');
const positiveMilliseconds: Rule = { allowed: 'a number > 0 (ms)', accepts: (value) => typeof value === 'number' && value > 0 };
const text: Rule = { allowed: 'a string', accepts: (value) => typeof value === 'string' };

const reconnectRules: Rules<ReconnectOptions> = {
  initialDelay: milliseconds,
  maxDelay: milliseconds,
  factor: atLeastOne,
  maxAttempts: count,
  minUptime: milliseconds,
};

const heartbeatRules: Rules<HeartbeatOptions> = {
  interval: { allowed: 'a finite number ≥ 0 (ms)', accepts: (value) => typeof value === 'number' && value >= 0 && value < Infinity },
  timeout: positiveMilliseconds,
  mode: oneOf(['auto', 'protocol', 'message']),
  pingMessage: text,
  pongMessage: text,
};

const queueRules: Rules<SendQueueOptions> = {
  maxMessages: count,
  maxBytes: count,
  overflow: oneOf(['reject', 'drop-oldest', 'drop-newest']),
};

const iteratorBufferRules: Rules<IteratorBufferOptions> = {
  highWaterBytes: atLeastOne,
  highWaterMessages: atLeastOne,
  lowWaterBytes: count,
  lowWaterMessages: count,
};

const subprotocolFallbackRule = oneOf(['refuse', 'in-band']);

/** An options group, left out or given (an array is not one: its entries would be read as options). */
const isGroup = (value: unknown): boolean => value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
const object: Rule = { allowed: 'an object', accepts: isGroup };
/** reconnect and heartbeat: false turns them off. */
const objectOrFalse: Rule = { allowed: 'an object or false', accepts: (value) => value === false || isGroup(value) };

/** Throws ERR_INVALID_OPTION naming the option, what it allows and what it got. */
function check(rule: Rule, path: string, value: unknown): void {
  if (!rule.accepts(value)) throw new SessionError('ERR_INVALID_OPTION', `${path} must be ${rule.allowed}; got ${describeValue(value)}`);
}

/**
 * An options group with its defaults applied and every key checked. `given` is left out, an
 * object, or — for a group that `off` can turn off (reconnect, heartbeat) — false.
 */
function resolveGroup<T extends object>(name: string, given: unknown, defaults: T, rules: Rules<T>, off?: Partial<T>): T {
  check(off === undefined ? object : objectOrFalse, name, given);
  const group: T = { ...defaults, ...(given === false ? off : (given as Partial<T> | undefined)) };
  for (const key of Object.keys(rules) as Array<keyof T & string>) check(rules[key], `${name}.${key}`, group[key]);
  return group;
}

/** Applies defaults and rejects impossible values with ERR_INVALID_OPTION. */
export function resolveOptions(options: SessionOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw new SessionError('ERR_INVALID_OPTION', `options must be an object; got ${describeValue(options)}`);
  check(
    { allowed: 'a Transport', accepts: (value) => typeof (value as Partial<Transport> | undefined)?.open === 'function' },
    'transport',
    options.transport,
  );
  check(
    { allowed: 'a string or a function', accepts: (value) => typeof value === 'string' || typeof value === 'function' },
    'url',
    options.url,
  );
  // false is "never reconnect" (no attempt after the first) and "no heartbeat" (interval 0).
  const reconnect = resolveGroup('reconnect', options.reconnect, defaultReconnectOptions, reconnectRules, { maxAttempts: 0 });
  const heartbeat = resolveGroup('heartbeat', options.heartbeat, defaultHeartbeatOptions, heartbeatRules, { interval: 0 });
  const queue = resolveGroup('queue', options.queue, defaultQueueOptions, queueRules);
  const iteratorBuffer = resolveGroup('iteratorBuffer', options.iteratorBuffer, defaultIteratorBufferOptions, iteratorBufferRules);
  const subprotocolFallback = options.subprotocolFallback ?? 'refuse';
  check(subprotocolFallbackRule, 'subprotocolFallback', subprotocolFallback);
  // Its own options are checked by resumable() itself.
  check(
    {
      allowed: 'what resumable() returns',
      accepts: (value) => value === undefined || typeof (value as Partial<Resumable>)?.create === 'function',
    },
    'resume',
    options.resume,
  );
  if (heartbeat.pingMessage === heartbeat.pongMessage) {
    throw new SessionError(
      'ERR_INVALID_OPTION',
      `heartbeat.pingMessage and pongMessage must differ; both are ${describeValue(heartbeat.pingMessage)}`,
    );
  }
  if (iteratorBuffer.lowWaterBytes > iteratorBuffer.highWaterBytes || iteratorBuffer.lowWaterMessages > iteratorBuffer.highWaterMessages) {
    throw new SessionError('ERR_INVALID_OPTION', 'iteratorBuffer: each low-water mark must be ≤ its high-water mark');
  }
  const { name, capabilities } = options.transport;
  if (heartbeat.mode === 'protocol' && heartbeat.interval > 0 && !capabilities.protocolPing) {
    throw new SessionError('ERR_INVALID_OPTION', `heartbeat.mode must be 'auto' or 'message': the ${name} transport has no protocol ping`);
  }
  // Headers a transport cannot send (browsers: WebSocket and SockJS) are refused, never ignored.
  if (options.headers !== undefined && !capabilities.customHeaders) {
    throw new SessionError('ERR_INVALID_OPTION', `headers must be left out: the ${name} transport cannot send them`);
  }
  return { reconnect, heartbeat, queue, iteratorBuffer, subprotocolFallback };
}
