import { afterEach } from 'vitest';
import { WebSocket, type WebSocketOptions } from '@keel/core';
import { openTcpSockets, settleCount } from '../../connectivity/helpers/open-handles.js';

/** Per-test resources of a test file: what `defer`, `own` and `connect` registered is released after each test. */
export interface Fixture {
  /** Runs `cleanup` after the test (last registered first). */
  defer(cleanup: () => Promise<void> | void): void;
  /** Awaits a started server (or proxy) and closes it after the test. */
  own<T extends { close(): Promise<void> }>(started: Promise<T>): Promise<T>;
  /**
   * `new WebSocket(url, undefined, options)` with `env: {}` unless given (so the machine's proxy
   * variables never leak into a test), terminated after the test.
   */
  connect(url: string, options?: WebSocketOptions): WebSocket;
}

/**
 * Registers an afterEach that releases the test's resources and then waits for this process's
 * TCP sockets to close, so that one test's leftovers never count in the next one's handle counts.
 */
export function useFixture(): Fixture {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await settleCount(openTcpSockets, 0);
  });
  const defer = (cleanup: () => Promise<void> | void): void => {
    cleanups.push(cleanup);
  };
  return {
    defer,
    own: async (started) => {
      const resource = await started;
      defer(() => resource.close());
      return resource;
    },
    connect: (url, options = {}) => {
      const ws = new WebSocket(url, undefined, { env: {}, ...options });
      defer(() => ws.terminate());
      return ws;
    },
  };
}
