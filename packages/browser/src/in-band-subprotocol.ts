import type { Clock, TimerHandle, TransportConnection, TransportEventHandlers } from '@keel/session';
import type { BrowserTransportError } from './browser-error.js';

/**
 * Keel's in-band subprotocol negotiation, for transports whose handshake cannot carry
 * Sec-WebSocket-Protocol (SockJS: RFC 6455 §4.1's negotiation has no equivalent on HTTP polling).
 * The session asks for it with `subprotocolFallback: 'in-band'` and still checks the selection
 * against its offer (§4.1, client requirement 6); this file is only the exchange:
 *
 *   client → `{"type":"keel:subprotocol","offer":["chat.v2","chat.v1"]}` as its first message
 *   server → `{"type":"keel:subprotocol","selected":"chat.v1"}` (null or "" for none) as its first
 *
 * Until the answer, the connection is not open for the session. A first message that is not an
 * answer, or no answer within the timeout, fails the attempt with ERR_SUBPROTOCOL_MISMATCH. The
 * one exception is the server's heartbeat opt-in `{"type":"keel:hello",...}`, which a server sends
 * after the answer but may race it: one that arrives first is held and delivered, as the first
 * ordinary message, right after the open.
 * SockJS-only, so it ships in the lazy SockJS chunk. Keel's bundled server (e2e/server) answers it.
 */

/** What the exchange needs from the SockJS connection's context. */
export interface InBandContext {
  readonly TransportError: typeof BrowserTransportError;
  readonly clock: Clock;
  /** Milliseconds the answer may take. */
  readonly timeoutMs: number;
}

/** The first message of an in-band negotiation (text, JSON). */
export function inBandOffer(protocols: readonly string[]): string {
  return JSON.stringify({ type: 'keel:subprotocol', offer: protocols });
}

/** Whether `message` is the server's heartbeat opt-in, `{"type":"keel:hello",...}` (README). */
export function isKeelHello(message: string): boolean {
  return parseType(message) === 'keel:hello';
}

function parseType(message: string): unknown {
  try {
    const value = JSON.parse(message) as { type?: unknown } | null;
    return typeof value === 'object' && value !== null ? value.type : undefined;
  } catch {
    return undefined;
  }
}

/** The selection an answer carries ('' for none), or undefined when `message` is not an answer. */
export function parseInBandAnswer(message: string): string | undefined {
  let answer: { type?: unknown; selected?: unknown } | null;
  try {
    answer = JSON.parse(message) as { type?: unknown; selected?: unknown } | null;
  } catch {
    return undefined;
  }
  if (typeof answer !== 'object' || answer === null || answer.type !== 'keel:subprotocol') return undefined;
  const selected = answer.selected ?? '';
  return typeof selected === 'string' ? selected : undefined;
}

/**
 * Opens through `open` with `handlers` wrapped: once the underlying connection opens, the offer
 * goes out, and `handlers.onOpen` runs with the server's selection when the answer arrives.
 */
export function withInBandSubprotocol(
  context: InBandContext,
  offered: readonly string[],
  open: (handlers: TransportEventHandlers) => TransportConnection,
  handlers: TransportEventHandlers,
): TransportConnection {
  const { TransportError, clock } = context;
  let answered = false;
  let timer: TimerHandle | undefined;
  let failure: BrowserTransportError | undefined;
  // A hello that overtook the answer, delivered after the open.
  let earlyHello: string | undefined;
  const stopTimer = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const fail = (message: string): void => {
    stopTimer();
    failure = new TransportError('ERR_SUBPROTOCOL_MISMATCH', message);
    conn.terminate();
  };
  const conn = open({
    onOpen: () => {
      conn.send(inBandOffer(offered));
      timer = clock.setTimeout(() => fail('in-band subprotocol answer timed out'), context.timeoutMs);
    },
    onMessage: (data) => {
      if (answered) return handlers.onMessage(data);
      if (typeof data === 'string' && earlyHello === undefined && isKeelHello(data)) {
        earlyHello = data;
        return;
      }
      const selected = typeof data === 'string' ? parseInBandAnswer(data) : undefined;
      if (selected === undefined) return fail('expected in-band subprotocol answer');
      answered = true;
      stopTimer();
      handlers.onOpen({ protocol: selected, extensions: '' });
      if (earlyHello !== undefined) handlers.onMessage(earlyHello);
    },
    onClose: (info) => {
      stopTimer();
      // Not open for the session until the answer: an end before it is a failed open.
      handlers.onClose({ ...info, beforeOpen: !answered, error: failure ?? info.error });
    },
  });
  return conn;
}
