/**
 * The part of the WHATWG WebSocket the native transport uses. Structural, so tests inject a fake
 * and so the transport can look the global up at each attempt (a page may lack it, or a test may
 * delete it) instead of capturing it when the module loads.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly protocol: string;
  readonly extensions: string;
  readonly bufferedAmount: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructorLike = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The page's WebSocket constructor, read at call time; undefined where the browser has none. */
export function globalWebSocket(): WebSocketConstructorLike | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === 'function' ? (candidate as WebSocketConstructorLike) : undefined;
}
