/**
 * A seeded random source in [0, 1) (mulberry32: 32-bit state, full period), so a test that needs
 * randomness replays exactly from its seed. The seed is `KEEL_TEST_SEED` when set (to replay a
 * failure), else drawn per run; the test prints it on failure.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d_2b_79_f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `KEEL_TEST_SEED` when set, else a fresh 32-bit seed. */
export function testSeed(): number {
  const fromEnvironment = process.env.KEEL_TEST_SEED;
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    const seed = Number(fromEnvironment);
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
      throw new RangeError(`KEEL_TEST_SEED must be an integer in [0, 2^32), got ${fromEnvironment}`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 32);
}
