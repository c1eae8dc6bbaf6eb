import { createSession, SessionError, type Resolvable, type Session, type SessionOptions } from '@keel/session';
import { shownValue } from '../shown-value.js';
import { checkOptions } from '../websocket-arguments.js';
import { keepProcessAlive } from './keep-process-alive.js';
import { createNodeTransport, type NodeTransportOptions } from './node-transport.js';

export interface ConnectOptions extends Omit<SessionOptions, 'url' | 'transport'> {
  /** Options of each underlying WebSocket: TLS, proxy, limits, compression, handshake and close timeouts. */
  readonly websocket?: NodeTransportOptions;
  /**
   * Whether a session that is not closed keeps the Node process running in every state
   * (connecting, open, reconnecting, its backoff wait), as an open socket does. Default true.
   * false is the session's `unref()`: its own timers and hold never keep the process alive (an
   * open connection's socket still does, as any socket).
   */
  readonly keepProcessAlive?: boolean;
}

/**
 * Opens a session (reconnect, heartbeat, send queue) over Keel's Node WebSocket. The URL may be
 * a function, sync or async, evaluated before every attempt.
 */
export function connect(url: Resolvable<string | URL>, options: ConnectOptions = {}): Session {
  const { websocket, keepProcessAlive: keepAlive = true, ...sessionOptions } = options;
  const href = async (): Promise<string> => {
    const value = typeof url === 'function' ? await url() : url;
    return value instanceof URL ? value.href : value;
  };
  if (typeof keepAlive !== 'boolean') {
    throw new SessionError('ERR_INVALID_OPTION', `keepProcessAlive must be a boolean, got ${shownValue(keepAlive)}`);
  }
  // The WebSocket options are checked here, once, rather than failing the first attempt.
  checkOptions(websocket);
  const session = createSession({
    ...sessionOptions,
    url: typeof url === 'string' ? url : href,
    transport: createNodeTransport(websocket),
  });
  if (keepAlive) keepProcessAlive(session);
  return session;
}
