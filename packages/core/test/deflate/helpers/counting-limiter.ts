import { ZlibLimiter } from '../../../src/node/deflate/zlib-limiter.js';

/** A limiter that records how many of its jobs were running at the same time. */
export class CountingLimiter extends ZlibLimiter {
  now = 0;
  peak = 0;
  jobs = 0;

  override run<T>(job: () => Promise<T>): Promise<T> {
    return super.run(async () => {
      this.now += 1;
      this.jobs += 1;
      this.peak = Math.max(this.peak, this.now);
      try {
        return await job();
      } finally {
        this.now -= 1;
      }
    });
  }
}
