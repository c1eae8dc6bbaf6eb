import { createHook } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Native zlib handles are not listed by process.getActiveResourcesInfo() (checked on Node 20:
 * an idle or even a busy zlib stream never appears there), so they are counted through
 * async_hooks: every zlib handle is an async resource of type 'ZLIB', and its destroy hook runs
 * once the native object is freed (after close(), when the wrapper is collected).
 */
const live = new Set<number>();
createHook({
  init(asyncId, type) {
    if (type === 'ZLIB') live.add(asyncId);
  },
  destroy(asyncId) {
    live.delete(asyncId);
  },
}).enable();

setFlagsFromString('--expose-gc');
/** V8's gc(), reachable without starting Node with --expose-gc. */
export const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Runs the garbage collector until `expected` zlib handles are alive, or 100 rounds of 10 ms
 * have passed (a handle busy in the thread pool is freed when its work returns); returns the count.
 * A bounded poll of a condition (the destroy hook's count): the 10 ms is its period.
 */
export async function settleZlibHandles(expected: number): Promise<number> {
  for (let round = 0; round < 100 && live.size !== expected; round += 1) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return live.size;
}

/**
 * Live zlib handles once the garbage collector has run and the count has stopped changing: a
 * bounded poll for stability (20 rounds of 10 ms), for counts with no value to wait for.
 */
export async function liveZlibHandles(): Promise<number> {
  let previous = -1;
  for (let round = 0; round < 20 && previous !== live.size; round += 1) {
    previous = live.size;
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return live.size;
}
