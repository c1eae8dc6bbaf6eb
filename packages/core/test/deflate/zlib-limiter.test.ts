import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/protocol/errors.js';
import { DEFAULT_ZLIB_CONCURRENCY, ZlibLimiter, sharedZlibLimiter } from '../../src/node/deflate/zlib-limiter.js';

/** A job the test finishes by hand. */
function deferredJob(): {
  job: () => Promise<string>;
  started: () => boolean;
  finish: (value: string) => void;
  fail: (error: Error) => void;
} {
  let started = false;
  let resolveJob: (value: string) => void = () => undefined;
  let rejectJob: (error: Error) => void = () => undefined;
  return {
    job: () => {
      started = true;
      return new Promise<string>((resolve, reject) => {
        resolveJob = resolve;
        rejectJob = reject;
      });
    },
    started: () => started,
    finish: (value) => resolveJob(value),
    fail: (error) => rejectJob(error),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ZlibLimiter', () => {
  it('defaults to 10 concurrent jobs, process-wide', () => {
    expect(DEFAULT_ZLIB_CONCURRENCY).toBe(10);
    expect(new ZlibLimiter().concurrency).toBe(10);
    expect(sharedZlibLimiter.concurrency).toBe(10);
  });

  it('runs at most `concurrency` jobs and starts the others first-in first-out', async () => {
    const limiter = new ZlibLimiter(2);
    const jobs = Array.from({ length: 5 }, () => deferredJob());
    const results = jobs.map((job) => limiter.run(job.job));
    expect(jobs.map((job) => job.started())).toEqual([true, true, false, false, false]);
    expect([limiter.active, limiter.pending]).toEqual([2, 3]);

    jobs[1]?.finish('b');
    await tick();
    expect(jobs.map((job) => job.started())).toEqual([true, true, true, false, false]);
    jobs[0]?.finish('a');
    await tick();
    expect(jobs.map((job) => job.started())).toEqual([true, true, true, true, false]);
    jobs[2]?.finish('c');
    jobs[3]?.finish('d');
    await tick();
    expect(jobs[4]?.started()).toBe(true);
    jobs[4]?.finish('e');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([limiter.active, limiter.pending]).toEqual([0, 0]);
  });

  it('frees the slot of a job that rejects or throws, and passes the error on', async () => {
    const limiter = new ZlibLimiter(1);
    const failing = deferredJob();
    const first = limiter.run(failing.job);
    const second = limiter.run(() => {
      throw new Error('thrown synchronously');
    });
    const third = limiter.run(async () => 'third');
    failing.fail(new Error('rejected'));
    await expect(first).rejects.toThrow('rejected');
    await expect(second).rejects.toThrow('thrown synchronously');
    await expect(third).resolves.toBe('third');
    expect(limiter.active).toBe(0);
  });

  it('never runs more than its limit across thousands of jobs, and runs all of them', async () => {
    const limiter = new ZlibLimiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 3000 }, (_, index) =>
        limiter.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          // Half the jobs finish after a turn of the event loop, so jobs overlap.
          if (index % 2 === 0) await tick();
          running -= 1;
          return index;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 3000 }, (_, index) => index));
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a concurrency of %s', (concurrency) => {
    expect(() => new ZlibLimiter(concurrency)).toThrow(UsageError);
  });

  it('accepts Infinity (no limit)', async () => {
    const limiter = new ZlibLimiter(Number.POSITIVE_INFINITY);
    const jobs = Array.from({ length: 50 }, () => deferredJob());
    const results = jobs.map((job) => limiter.run(job.job));
    expect(jobs.every((job) => job.started())).toBe(true);
    for (const job of jobs) job.finish('x');
    await Promise.all(results);
  });
});
