import type { Clock, TimerHandle } from './clock.js';

/** How the liveness probe travels. */
export type HeartbeatMode = 'auto' | 'protocol' | 'message';

export interface HeartbeatOptions {
  /** Time between two pings, in ms. Default 25,000. 0 disables the heartbeat. */
  readonly interval: number;
  /** How long a ping may stay unanswered (no inbound traffic at all) before the link is declared dead, in ms. Default 10,000. */
  readonly timeout: number;
  /**
   * 'auto' (default): RFC 6455 Ping frames (§5.5.2) where the transport has them (Node); where it
   * has none (browsers, SockJS), the application-level messages below only on a connection whose
   * server opted in with a `keel:hello` first message listing "heartbeat" (docs/heartbeat-opt-in.md),
   * else no heartbeat at all: a default session sends a server nothing the app did not send.
   * 'message' forces the application-level messages; 'protocol' forces Ping frames.
   */
  readonly mode: HeartbeatMode;
  /** Application-level ping text, sent by either side. Default '{"type":"ping"}'. */
  readonly pingMessage: string;
  /** Application-level pong text, the answer to pingMessage. Default '{"type":"pong"}'. */
  readonly pongMessage: string;
}

export const defaultHeartbeatOptions: HeartbeatOptions = Object.freeze({
  interval: 25_000,
  timeout: 10_000,
  mode: 'auto',
  pingMessage: '{"type":"ping"}',
  pongMessage: '{"type":"pong"}',
});

export interface HeartbeatHooks {
  /** Sends one probe; `sequence` identifies it (protocol pings carry it as payload). */
  sendPing(sequence: number): void;
  /** No traffic arrived within `timeout` after a ping: the link is dead. */
  onDead(): void;
  /** A pong answered a ping after `rtt` ms. */
  onRtt(rtt: number): void;
}

/**
 * Dead-link detection for one open connection. A ping leaves every `interval` ms; if nothing at
 * all arrives within `timeout` ms after it, the link is dead — so a dead link is detected within
 * interval + timeout of its last sign of life.
 *
 * Deadlines are compared with clock.now() (wall-clock time) whenever a timer fires, never inferred
 * from a timer having fired: background tabs throttle timers to once a minute or freeze them. When
 * a check runs later than the timeout itself, the page may have been frozen while the answer was
 * on its way, so the heartbeat sends one fresh probe instead of declaring the link dead; a second
 * late, unanswered probe is conclusive.
 */
export class Heartbeat {
  readonly #clock: Clock;
  readonly #options: HeartbeatOptions;
  readonly #hooks: HeartbeatHooks;
  #timer: TimerHandle | undefined;
  #scheduledFor = 0;
  #nextPingAt = 0;
  #inbound = 0;
  /** The latest ping's number: the one a pong must echo. */
  #sequence = 0;
  /** When the ping waiting for an answer left; undefined when none is waiting. */
  #sentAt: number | undefined;
  /** Inbound-traffic count when that ping left: traffic that arrives later proves the link alive. */
  #inboundAtSend = 0;
  /** That ping is a second chance given because the previous check ran late (throttled timers). */
  #reprobe = false;
  #running = false;

  constructor(clock: Clock, options: HeartbeatOptions, hooks: HeartbeatHooks) {
    this.#clock = clock;
    this.#options = options;
    this.#hooks = hooks;
  }

  start(): void {
    if (this.#options.interval <= 0 || this.#running) return;
    this.#running = true;
    const now = this.#clock.now();
    this.#nextPingAt = now + this.#options.interval;
    this.#schedule(now);
  }

  stop(): void {
    this.#running = false;
    this.#sentAt = undefined;
    this.#cancel();
  }

  /** Any inbound traffic (message, ping, pong) proves the link alive. */
  activity(): void {
    this.#inbound++;
  }

  /** A pong arrived; `sequence` when the transport can tell which ping it answers. */
  pong(sequence?: number): void {
    this.#inbound++;
    const sentAt = this.#sentAt;
    if (sentAt === undefined || (sequence !== undefined && sequence !== this.#sequence)) return;
    this.#sentAt = undefined;
    const now = this.#clock.now();
    this.#hooks.onRtt(Math.max(0, now - sentAt));
    // The wake was the ping's deadline: now it is the next ping's time.
    if (this.#running) this.#schedule(now);
  }

  /** Pings at once (unless a ping is already waiting): a page came back online or visible. */
  probe(): void {
    if (!this.#running || this.#sentAt !== undefined) return;
    const now = this.#clock.now();
    this.#ping(now, false);
    this.#schedule(now);
  }

  #check(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    const now = this.#clock.now();
    const late = now - this.#scheduledFor;
    const sentAt = this.#sentAt;
    if (sentAt !== undefined && this.#inbound > this.#inboundAtSend) this.#sentAt = undefined;
    else if (sentAt !== undefined && now >= sentAt + this.#options.timeout) {
      if (late > this.#options.timeout && !this.#reprobe) {
        this.#ping(now, true);
      } else {
        this.stop();
        this.#hooks.onDead();
        return;
      }
    }
    if (this.#sentAt === undefined && now >= this.#nextPingAt) this.#ping(now, false);
    this.#schedule(now);
  }

  #ping(now: number, reprobe: boolean): void {
    this.#sequence = (this.#sequence + 1) >>> 0;
    this.#sentAt = now;
    this.#inboundAtSend = this.#inbound;
    this.#reprobe = reprobe;
    this.#nextPingAt = now + this.#options.interval;
    this.#hooks.sendPing(this.#sequence);
  }

  /** Callers run only while the heartbeat is running. */
  #schedule(now: number): void {
    this.#cancel();
    // While a ping waits, only its deadline: no other ping leaves before it is answered, and with
    // an interval shorter than the timeout the next ping time is already past (a 0 ms loop).
    const sentAt = this.#sentAt;
    const wake = sentAt === undefined ? this.#nextPingAt : sentAt + this.#options.timeout;
    this.#scheduledFor = wake;
    this.#timer = this.#clock.setTimeout(() => this.#check(), Math.max(0, wake - now));
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** Protocol ping payload: the sequence number, 4 bytes big-endian (RFC 6455 §5.5.2 allows any ≤125 bytes). */
export function encodePingSequence(sequence: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, sequence >>> 0);
  return bytes;
}

/** The sequence a Pong echoes (RFC 6455 §5.5.3: same Application data), or undefined for a foreign pong. */
export function decodePingSequence(data: Uint8Array): number | undefined {
  if (data.byteLength !== 4) return undefined;
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
}
