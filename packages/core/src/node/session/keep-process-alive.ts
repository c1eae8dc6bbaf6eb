import type { Session } from '@keel/session';

/** The longest delay a Node timer takes (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_DELAY = 2_147_483_647;

/**
 * Holds the Node event loop open until `session` closes, in every state — connecting, open,
 * reconnecting and its backoff wait — as an open socket does. The session's own timers are
 * unref'd (a browser bundle cannot tell Node apart), so without this hold a `for await` loop over
 * a session that waits out a backoff delay would end the process with an unsettled top-level
 * await (exit code 13). One ref'd, idle interval per session; released when it closes.
 */
export function keepProcessAlive(session: Session): void {
  if (session.state === 'closed') return;
  const hold = setInterval(() => {}, MAX_TIMER_DELAY);
  void session.closed.then(() => clearInterval(hold));
}
