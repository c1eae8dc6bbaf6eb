import type { SessionState } from './session-events.js';

/**
 * Every state change a session may make, from each state. Anything else is refused, so an event
 * that arrives late (a transport reporting onOpen after close() terminated it) cannot move the
 * session backwards:
 *
 * - idle → connecting (start), or closed (close() or an aborted signal before the first attempt);
 * - connecting → open (the transport opened and the subprotocol matched), reconnecting (the
 *   attempt failed), closing (close() with the attempt's connection in hand), closed (close()
 *   before the transport returned one, or a failure after which no attempt follows);
 * - open → reconnecting, closing, or closed (the connection ended and no attempt follows);
 * - reconnecting → connecting (the next attempt), or closed (close(), abort, refreshCredentials
 *   failed);
 * - closing → closed (the connection's close event came);
 * - closed is final.
 */
export const sessionTransitions: Readonly<Record<SessionState, readonly SessionState[]>> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'reconnecting', 'closing', 'closed'],
  open: ['reconnecting', 'closing', 'closed'],
  reconnecting: ['connecting', 'closed'],
  closing: ['closed'],
  closed: [],
};

/** Whether a session in state `from` may move to `to` (never to the state it is in). */
export function canTransition(from: SessionState, to: SessionState): boolean {
  return sessionTransitions[from].includes(to);
}
