/** Open TCP client/accepted socket handles of this process, as Node names them. */
export function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap' || name === 'TCPWRAP').length;
}

/** Open Unix socket (pipe) handles of this process. */
export function openPipes(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'PipeWrap' || name === 'PIPEWRAP').length;
}

/**
 * Waits (at most `maxTurns` event-loop turns of 10 ms) until `count()` is at most `expected`,
 * then returns the last count. Handles close asynchronously, one turn after destroy(). A bounded
 * poll of a condition: the 10 ms is its period, the caller asserts on the count.
 */
export async function settleCount(count: () => number, expected: number, maxTurns = 200): Promise<number> {
  let current = count();
  for (let turn = 0; turn < maxTurns && current > expected; turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    current = count();
  }
  return current;
}

/**
 * `count()` once it gave the same value three turns (10 ms apart) in a row: a baseline free of
 * closing handles. A bounded poll for stability; only for the baseline, which is taken before the
 * test's own sockets exist (a count under test is checked with settleCount, against its value).
 */
export async function stableCount(count: () => number, maxTurns = 200): Promise<number> {
  let previous = count();
  let same = 0;
  for (let turn = 0; turn < maxTurns && same < 3; turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const current = count();
    same = current === previous ? same + 1 : 0;
    previous = current;
  }
  return previous;
}
