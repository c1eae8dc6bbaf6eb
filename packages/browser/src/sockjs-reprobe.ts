import type { Clock, TimerHandle, TransportCloseInfo, TransportConnection, TransportEventHandlers } from '@keel/session';

/**
 * While a session is on SockJS, native WebSocket is tried again in the background (the fallback
 * rule, fallback-policy.ts): if a probe opens, the SockJS connection ends with 1001 and the session
 * reconnects over WebSocket. SockJS-only code, so it ships in the lazy SockJS chunk; the entry's
 * fallback transport supplies the native side through NativeReprobe.
 */

/** Close code the session sees when a SockJS connection is ended to move to WebSocket: 1001 going away (RFC 6455 §7.4.1), retried at once by the default classifier. */
export const switchCloseCode = 1001;

/** How to probe native WebSocket from the SockJS connection (built by fallback-transport.ts). */
export interface NativeReprobe {
  readonly clock: Clock;
  /** Wall-clock ms at which the next probe is due; undefined when the page has no WebSocket (never probe). */
  nextProbeAt(): number | undefined;
  /**
   * A native connection to the same URL, abandoned if not open within the open timeout;
   * `onFailedOpen` runs when it ends before opening for any reason but its own close()/terminate().
   */
  open(handlers: TransportEventHandlers, onFailedOpen: () => void): TransportConnection;
  /** A probe opened: native works again on this page. */
  opened(): void;
  /** A probe failed: the next one is due an interval later. */
  failed(): void;
}

/**
 * Opens the SockJS connection through `openSockJS` with `handlers` wrapped: once it is open, probes
 * run at the times the policy gives until one opens or the connection ends.
 */
export function withNativeReprobe(
  reprobe: NativeReprobe,
  openSockJS: (handlers: TransportEventHandlers) => TransportConnection,
  handlers: TransportEventHandlers,
): TransportConnection {
  const { clock } = reprobe;
  let probeTimer: TimerHandle | undefined;
  let probe: TransportConnection | undefined;
  let switching = false;

  const stopProbe = (): void => {
    if (probeTimer !== undefined) clock.clearTimeout(probeTimer);
    probeTimer = undefined;
    const running = probe;
    probe = undefined;
    running?.terminate();
  };
  const scheduleProbe = (): void => {
    const due = reprobe.nextProbeAt();
    if (due !== undefined) probeTimer = clock.setTimeout(runProbe, Math.max(0, due - clock.now()));
  };
  const runProbe = (): void => {
    probeTimer = undefined;
    const attempt = reprobe.open(
      {
        onOpen: () => {
          reprobe.opened();
          switching = true;
          attempt.close(1000, 'keel: probe');
          conn.close(1000, 'keel: switching to WebSocket');
        },
        onMessage: () => {
          // The probe is closed as soon as it opens; anything the server sends meanwhile is dropped.
        },
        onClose: () => {
          if (probe === attempt) probe = undefined;
        },
      },
      () => {
        if (probe !== attempt) return;
        reprobe.failed();
        scheduleProbe();
      },
    );
    probe = attempt;
  };

  const conn = openSockJS({
    onOpen: (info) => {
      handlers.onOpen(info);
      scheduleProbe();
    },
    onMessage: (data) => handlers.onMessage(data),
    onClose: (info) => {
      stopProbe();
      const switched: TransportCloseInfo = {
        code: switchCloseCode,
        reason: 'keel: switching to WebSocket',
        wasClean: true,
        beforeOpen: false,
      };
      handlers.onClose(switching ? switched : info);
    },
  });
  return {
    send: (data) => conn.send(data),
    close(code, reason) {
      stopProbe();
      conn.close(code, reason);
    },
    terminate() {
      stopProbe();
      conn.terminate();
    },
    get bufferedAmount() {
      return conn.bufferedAmount;
    },
  };
}
