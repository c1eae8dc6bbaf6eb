import { collectGarbage } from './zlib-handles.js';

/**
 * process.memoryUsage() once garbage is collected: V8 frees dead ArrayBuffers in a sweeper that
 * runs after the collection, so a few rounds with a pause between them are needed.
 */
export async function settledMemoryUsage(): Promise<NodeJS.MemoryUsage> {
  for (let round = 0; round < 5; round += 1) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage();
}
