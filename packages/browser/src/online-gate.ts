import type { Transport, TransportCapabilities, TransportConnection, TransportEventHandlers, TransportMessage, TransportOpenRequest } from '@keel/session';
import { BrowserTransportError } from './browser-error.js';

/**
 * A Transport wrapper that holds connection attempts while the browser is offline. An attempt made
 * while paused simply waits (the session sees a slow `connecting`), so no attempt fails for want
 * of a network, the backoff does not grow and the attempt budget is not spent; resume() starts the
 * held attempt at once, without waiting out a backoff delay.
 */
export interface OnlineGate extends Transport {
  pause(): void;
  resume(): void;
  readonly paused: boolean;
}

export function onlineGate(inner: Transport): OnlineGate {
  let paused = false;
  const held = new Set<() => void>();
  return {
    get name() {
      return inner.name;
    },
    get capabilities(): TransportCapabilities {
      return inner.capabilities;
    },
    get paused() {
      return paused;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      const starts = [...held];
      held.clear();
      for (const start of starts) start();
    },
    open(request: TransportOpenRequest, handlers: TransportEventHandlers): TransportConnection {
      if (!paused) return inner.open(request, handlers);
      let conn: TransportConnection | undefined;
      let ended = false;
      const start = (): void => {
        conn = inner.open(request, handlers);
      };
      held.add(start);
      // Ending a held attempt: nothing was opened, so report the attempt over, once.
      const end = (): void => {
        if (ended || conn !== undefined) return;
        ended = true;
        held.delete(start);
        queueMicrotask(() => handlers.onClose({ code: 1006, reason: '', wasClean: false, beforeOpen: true }));
      };
      return {
        send(data: TransportMessage) {
          if (conn === undefined) throw new BrowserTransportError('ERR_INVALID_STATE', 'not open');
          conn.send(data);
        },
        close(code?: number, reason?: string) {
          if (conn === undefined) end();
          else conn.close(code, reason);
        },
        terminate() {
          if (conn === undefined) end();
          else conn.terminate();
        },
        get bufferedAmount() {
          return conn?.bufferedAmount ?? 0;
        },
      };
    },
  };
}
