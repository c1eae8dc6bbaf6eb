import type { KeelError, WebSocket, WebSocketCloseEvent, WebSocketErrorEvent, WebSocketMessageEvent } from '@keel/core';

/** How a connection attempt ended, as a user of the WebSocket sees it. */
export interface Outcome {
  /** Whether `open` fired. */
  readonly opened: boolean;
  /** The `error` event's error, `null` when none fired. */
  readonly error: KeelError | null;
  /** The `close` event. */
  readonly close: WebSocketCloseEvent;
}

/** Resolves once `ws` fired `close`, with what it fired before. */
export function outcome(ws: WebSocket): Promise<Outcome> {
  return new Promise((resolve) => {
    let opened = false;
    let error: KeelError | null = null;
    ws.addEventListener('open', () => {
      opened = true;
    });
    ws.addEventListener('error', (event: WebSocketErrorEvent) => {
      error = event.error;
    });
    ws.addEventListener('close', (event: WebSocketCloseEvent) => resolve({ opened, error, close: event }));
  });
}

/** Resolves on `open`; rejects with the error (or the close event) when the attempt failed. */
export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('close', (event: WebSocketCloseEvent) => reject(event.error ?? new Error(`closed ${event.code} before open`)));
  });
}

/** Sends `text` and resolves with the next text message (the echo). */
export function echo(ws: WebSocket, text: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    ws.addEventListener('message', (event: WebSocketMessageEvent) => resolve(event.data), { once: true });
    ws.addEventListener('close', (event: WebSocketCloseEvent) => reject(event.error ?? new Error(`closed ${event.code}`)), { once: true });
    ws.send(text);
  });
}

/** Closes `ws` (code 1000) and resolves with the close event. */
export function closeNormally(ws: WebSocket): Promise<WebSocketCloseEvent> {
  return new Promise((resolve) => {
    ws.addEventListener('close', (event: WebSocketCloseEvent) => resolve(event));
    ws.close(1000);
  });
}

// Captured at load, before a test fakes the clock: waitFor polls I/O progress on real time.
const realSetTimeout = globalThis.setTimeout;

/** Waits (at most `maxTurns` turns of 10 ms, real time even under a fake clock) until `condition()` holds; returns whether it did. */
export async function waitFor(condition: () => boolean, maxTurns = 300): Promise<boolean> {
  for (let turn = 0; turn < maxTurns; turn += 1) {
    if (condition()) return true;
    await new Promise((resolve) => realSetTimeout(resolve, 10));
  }
  return condition();
}

/** Waits for open, checks that `text` comes back, closes with 1000 and resolves whether the close was clean. */
export async function roundTrip(ws: WebSocket, text: string): Promise<{ echoed: unknown; wasClean: boolean }> {
  await opened(ws);
  const echoed = await echo(ws, text);
  const closed = await closeNormally(ws);
  return { echoed, wasClean: closed.wasClean };
}
