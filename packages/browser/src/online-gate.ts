import type { Transport, TransportCapabilities, TransportConnection, TransportEventHandlers, TransportOpenRequest } from '@keel/session';
import { heldConnection } from './held-connection.js';

/**
 * A Transport wrapper that holds connection attempts while the browser is offline. An attempt made
 * while paused simply waits (the session sees a slow `connecting`), so no attempt fails for want
 * of a network, the backoff does not grow and the attempt budget is not spent; resume() starts the
 * held attempt at once, without waiting out a backoff delay.
 */
export interface OnlineGate extends Transport {
  pause(): void;
  resume(): void;
}

export function onlineGate(inner: Transport): OnlineGate {
  let paused = false;
  // Starts of the attempts held while paused (one that ended meanwhile starts nothing).
  let held: Array<() => void> = [];
  return {
    get name() {
      return inner.name;
    },
    get capabilities(): TransportCapabilities {
      return inner.capabilities;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      const starts = held;
      held = [];
      for (const start of starts) start();
    },
    open(request: TransportOpenRequest, handlers: TransportEventHandlers): TransportConnection {
      if (!paused) return inner.open(request, handlers);
      const attempt = heldConnection(handlers);
      held.push(() => attempt.start(() => inner.open(request, handlers)));
      return attempt.connection;
    },
  };
}
