import type { TransportMessage } from '@keel/session';

/** What a store holds of one resumable session (docs/resume-protocol.md). */
export interface StoredSession {
  /** The highest seq the server sent (0: none). */
  readonly sent: number;
  /** The highest seq of the client's messages the server took in (0: none). */
  readonly received: number;
  /** 0 while a connection holds the session; else when its resume window closes, in ms since the epoch. */
  readonly expiresAt: number;
  /** The server's messages not yet acknowledged and still retained, oldest first: seq `sent − messages.length + 1` … `sent`. */
  readonly messages: readonly TransportMessage[];
}

/**
 * Where @keel/server keeps resume state: in memory (the default, one process) or in Redis (several
 * processes behind a load balancer). Writes are issued in order and not awaited: a store must apply
 * them in the order they were called (one Redis connection does). Reads are async.
 */
export interface ResumeStore {
  /** A new session with nothing sent or received, held by a connection. */
  create(id: string): void;
  /** The session, or undefined when the store does not know it (never did, or forgot it). */
  load(id: string): Promise<StoredSession | undefined>;
  /** The server sent message `seq` (the next after the last one appended). */
  append(id: string, seq: number, message: TransportMessage): void;
  /** The server took in the client's messages up to `count`. */
  received(id: string, count: number): void;
  /** The client acknowledged the server's messages up to `received`; `sent` is the server's count now. */
  acknowledged(id: string, received: number, sent: number): void;
  /** A connection holds the session again (its window is suspended). */
  attach(id: string): void;
  /** The last connection ended: the session can be resumed until `expiresAt` (ms since the epoch). */
  detach(id: string, expiresAt: number): void;
  /** The session ended for good: forget it. */
  discard(id: string): void;
  /** Releases what the store holds (connections, timers). */
  close(): Promise<void>;
}

/** Limits every store takes. */
export interface StoreLimits {
  /** Most unacknowledged server messages kept per session; older ones are dropped (then the session cannot be resumed past them). Default 10,000. */
  readonly maxMessages?: number;
  /**
   * How long, in ms, a session's counts are kept after its window closed, so that a late client is
   * told how much was lost ("expired") instead of "unknown-session". Default 86,400,000 (24 h).
   */
  readonly keepMs?: number;
}

export const defaultStoreLimits: Required<StoreLimits> = Object.freeze({ maxMessages: 10_000, keepMs: 86_400_000 });
