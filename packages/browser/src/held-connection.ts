import type { TransportConnection, TransportEventHandlers } from '@keel/session';
import { abnormalClose } from './browser-close.js';
import { BrowserTransportError } from './browser-error.js';

/**
 * A connection whose real one does not exist yet: an attempt held while the page is offline (the
 * online gate) or while the SockJS chunk loads. The session holds it from open() on and may send
 * (refused: not open), close or terminate it (the attempt ends, reported once) before it starts.
 */
export interface HeldConnection {
  /** What the transport's open() returns to the session. */
  readonly connection: TransportConnection;
  /** Opens the real connection now, unless the attempt already ended (then a no-op). */
  start(open: () => TransportConnection): void;
  /** Ends the attempt before it started: reported as a failed open (1006), with `error` if given. */
  end(error?: BrowserTransportError): void;
}

export function heldConnection(handlers: TransportEventHandlers): HeldConnection {
  let real: TransportConnection | undefined;
  let ended = false;
  const end = (error?: BrowserTransportError): void => {
    if (ended || real !== undefined) return;
    ended = true;
    // Deferred: the session may still be inside open() and not hold the connection yet.
    queueMicrotask(() => handlers.onClose({ ...abnormalClose(error), beforeOpen: true }));
  };
  return {
    start(open) {
      if (!ended && real === undefined) real = open();
    },
    end,
    connection: {
      send(data) {
        if (real === undefined) throw new BrowserTransportError('ERR_INVALID_STATE', 'not open');
        real.send(data);
      },
      close(code, reason) {
        if (real === undefined) end();
        else real.close(code, reason);
      },
      terminate() {
        if (real === undefined) end();
        else real.terminate();
      },
      get bufferedAmount() {
        return real?.bufferedAmount ?? 0;
      },
    },
  };
}
