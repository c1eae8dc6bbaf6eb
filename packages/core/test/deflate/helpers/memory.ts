import { collectGarbage } from './zlib-handles.js';

/**
 * process.memoryUsage() once garbage is collected: V8 frees dead ArrayBuffers in a sweeper that
 * runs after the collection, so a few rounds with a pause between them are needed. A flush, not
 * knowledge of an event: V8 reports no sweeper completion; the memory tests compare these figures
 * with bounds far above what a sweep still in progress can hold.
 */
export async function settledMemoryUsage(): Promise<NodeJS.MemoryUsage> {
  for (let round = 0; round < 5; round += 1) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage();
}
