/**
 * The part of the sockjs-client `SockJS` object the SockJS transport uses. Structural, so tests
 * inject a fake and so the lazy chunk's module shape (CommonJS `module.exports`) stays out of the
 * types.
 */
export interface SockJSLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: ((event: { readonly code: number; readonly reason: string; readonly wasClean: boolean }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** sockjs-client options passed through (see its README): transports allowed, timeouts, server id. */
export interface SockJSClientOptions {
  /** Transport names allowed, e.g. ['websocket', 'xhr-streaming', 'xhr-polling']; default all. */
  readonly transports?: string | string[];
  /** Milliseconds to wait for a transport to connect before trying the next; default: computed from RTT. */
  readonly timeout?: number;
  /** Server id in the session URL; default a random 3-digit number. */
  readonly server?: string;
}

export type SockJSConstructorLike = new (url: string, reserved: undefined, options: SockJSClientOptions) => SockJSLike;
