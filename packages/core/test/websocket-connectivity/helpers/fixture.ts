import { afterEach } from 'vitest';
import { openTcpSockets, settleCount } from '../../connectivity/helpers/open-handles.js';

/**
 * Registers an afterEach that runs the deferred cleanups of each test (last first) and then waits
 * for this process's TCP sockets to close. Returns `defer(cleanup)`.
 */
export function useCleanups(): (cleanup: () => Promise<void> | void) => void {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await settleCount(openTcpSockets, 0);
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}
