import type { Heartbeat } from './heartbeat.js';
import type { SessionError } from './session-error.js';
import type { TransportConnection } from './transport.js';

/**
 * One connection attempt and everything that belongs to it alone: its connection, what it
 * offered, its heartbeat, the failure the session detected on it and when it opened. A session
 * makes a new Attempt for every try, so nothing of an earlier connection leaks into the next one.
 *
 * Its transport callbacks hold it as a token: once it has ended they are ignored. An attempt that
 * is no longer the session's current one has always ended (the next starts only after that), and
 * the ended attempt stays current while the session waits to reconnect.
 */
export class Attempt {
  /** Its connection ended (or never came), or the session finished: later transport events are ignored. */
  ended = false;
  /** Set once the transport's open() returned; unset when the attempt ends. */
  connection: TransportConnection | undefined;
  /** Subprotocols offered (in the handshake, or in-band by the transport); [] until evaluated. */
  offered: readonly string[] = [];
  /** Set when this connection's heartbeat starts; stopped and unset when the attempt ends. */
  heartbeat: Heartbeat | undefined;
  /**
   * The heartbeat travels as application-level messages (pingMessage / pongMessage, intercepted by
   * the session) rather than protocol Ping frames.
   */
  appHeartbeat = false;
  /** The next message is the connection's first: it may be the server's keel:hello (docs/heartbeat-opt-in.md). */
  awaitingHello = false;
  /** A failure the session itself detected (heartbeat, subprotocol); reported instead of the transport's. */
  failure: SessionError | undefined;
  /** When the connection opened (Clock time, ms); undefined while it has not. */
  openedAt: number | undefined;

  /** The connection is open; its first message may be a keel:hello unless a resume handshake already read it. */
  open(now: number, awaitingHello: boolean): void {
    this.openedAt = now;
    this.awaitingHello = awaitingHello;
  }

  /** The connection opened and, at `now`, had been open for at least `ms` milliseconds. */
  stayedOpen(now: number, ms: number): boolean {
    return this.openedAt !== undefined && now - this.openedAt >= ms;
  }

  /** The attempt is over: its heartbeat stops and its connection is let go. */
  end(): void {
    this.ended = true;
    this.heartbeat?.stop();
    this.heartbeat = this.connection = undefined;
  }
}
