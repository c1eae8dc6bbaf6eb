import type { TransportMessage } from './transport.js';

/**
 * The control messages of the resume protocol (docs/resume-protocol.md), shared by the session
 * and @keel/server. Every control message is a text JSON object whose `type` starts with "keel:";
 * an application text that starts the same way travels escaped as `keel:app`.
 */

/** What every control message starts with; an application text starting so is escaped. */
export const CONTROL_PREFIX = '{"type":"keel:';

/**
 * The application-level heartbeat (docs/heartbeat-opt-in.md): never numbered on a resumable
 * connection, so an application text equal to either is escaped too.
 */
export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';

/** The client's first message on a resumable connection. */
export interface ResumeRequest {
  readonly type: 'keel:resume';
  /** The id of the session to resume; null for a new one. */
  readonly session: string | null;
  /** The highest seq of the server's application messages the client took in (0: none). */
  readonly received: number;
  /** The seq of the oldest message the client still holds for (re)sending. */
  readonly from: number;
}

/** Why a server could not resume a session. */
export type NotResumedReason = 'expired' | 'unknown-session';

/** The server's answer to a ResumeRequest. */
export type ResumeAnswer =
  | { readonly type: 'keel:resumed'; readonly session: string; readonly resumed: true; readonly received: number }
  | {
      readonly type: 'keel:resumed';
      readonly session: string;
      readonly resumed: false;
      readonly reason: NotResumedReason;
      /** The old session's counts, when the server still knows them. */
      readonly received: number | null;
      readonly sent: number | null;
    };

/** A cumulative acknowledgement: every application message up to `received` arrived. */
export interface Ack {
  readonly type: 'keel:ack';
  readonly received: number;
}

/** An application text that looked like a control message. */
interface Escaped {
  readonly type: 'keel:app';
  readonly data: string;
}

export type ControlMessage = ResumeRequest | ResumeAnswer | Ack | Escaped;

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isCountOrNull = (value: unknown): value is number | null => value === null || isCount(value);

/**
 * The control message `message` holds; undefined when it is an application message. A text that
 * starts like a control message but is malformed, or of a type this version does not know, is
 * undefined too: receivers drop it (a peer that speaks the protocol escapes application texts, so
 * it is a later extension or garbage, never the application's).
 */
export function parseControl(message: TransportMessage): ControlMessage | undefined {
  if (typeof message !== 'string' || !message.startsWith(CONTROL_PREFIX)) return undefined;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(message) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  switch (value.type) {
    case 'keel:ack':
      return isCount(value.received) ? { type: 'keel:ack', received: value.received } : undefined;
    case 'keel:app':
      return typeof value.data === 'string' ? { type: 'keel:app', data: value.data } : undefined;
    case 'keel:resume':
      return (value.session === null || typeof value.session === 'string') &&
        isCount(value.received) &&
        isCount(value.from) &&
        value.from >= 1
        ? { type: 'keel:resume', session: value.session, received: value.received, from: value.from }
        : undefined;
    case 'keel:resumed': {
      if (typeof value.session !== 'string') return undefined;
      if (value.resumed === true)
        return isCount(value.received)
          ? { type: 'keel:resumed', session: value.session, resumed: true, received: value.received }
          : undefined;
      const reason = value.reason;
      if (value.resumed !== false || (reason !== 'expired' && reason !== 'unknown-session')) return undefined;
      if (!isCountOrNull(value.received) || !isCountOrNull(value.sent)) return undefined;
      return { type: 'keel:resumed', session: value.session, resumed: false, reason, received: value.received, sent: value.sent };
    }
    default:
      return undefined;
  }
}

/** Encodes a control message (the first key is `type`, so CONTROL_PREFIX matches it). */
export function encodeControl(message: ControlMessage): string {
  return JSON.stringify(message);
}

/** An application message as it travels on a resumable connection (escaped when it looks like a control message or a heartbeat). */
export function escapeApplication(message: TransportMessage): TransportMessage {
  return typeof message === 'string' && (message.startsWith(CONTROL_PREFIX) || message === PING || message === PONG)
    ? encodeControl({ type: 'keel:app', data: message })
    : message;
}
