import { createSession, type Resolvable, type Session, type SessionOptions } from '@keel/session';
import { createNodeTransport, type NodeTransportOptions } from './node-transport.js';

export interface ConnectOptions extends Omit<SessionOptions, 'url' | 'transport'> {
  /** Options of each underlying WebSocket: TLS, proxy, limits, compression, handshake and close timeouts. */
  readonly websocket?: NodeTransportOptions;
}

/**
 * Opens a session (reconnect, heartbeat, send queue) over Keel's Node WebSocket. The URL may be
 * a function, sync or async, evaluated before every attempt.
 */
export function connect(url: Resolvable<string | URL>, options: ConnectOptions = {}): Session {
  const { websocket, ...sessionOptions } = options;
  const href = async (): Promise<string> => {
    const value = typeof url === 'function' ? await url() : url;
    return value instanceof URL ? value.href : value;
  };
  return createSession({
    ...sessionOptions,
    url: typeof url === 'string' ? url : href,
    transport: createNodeTransport(websocket),
  });
}
