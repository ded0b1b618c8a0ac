/**
 * Seeded pseudo-random numbers. Every random choice in the library takes a seed and
 * goes through this generator, so that the same seed gives the same tables.
 *
 * Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Counter, 128-bit state), seeded
 * through splitmix32 from one 32-bit integer. Passes PractRand to 2^40 bytes; not for
 * cryptography.
 */

/** A seeded random source. */
export interface Rng {
  /** Uniform float in [0, 1), 32 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal N(0, 1) (Box-Muller). */
  normal(): number;
  /** A new independent generator derived from this one (for sub-streams). */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a generator from an integer seed.
 * @param seed any integer (taken modulo 2^32)
 * @returns a deterministic {@link Rng}
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`createRng: seed must be a finite number, got ${seed}`);
  const init = splitmix32(Math.floor(seed));
  let a = init(), b = init(), c = init(), d = init();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  let spare: number | undefined;
  const rng: Rng = {
    next: () => u32() / 4294967296,
    int: (n) => {
      if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
      return Math.floor((u32() / 4294967296) * n);
    },
    uniform: (lo, hi) => lo + (hi - lo) * (u32() / 4294967296),
    normal: () => {
      if (spare !== undefined) { const s = spare; spare = undefined; return s; }
      let u = 0;
      while (u === 0) u = u32() / 4294967296;
      const v = u32() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: () => createRng(u32()),
  };
  return rng;
}

/**
 * Fisher-Yates shuffle of `0..n-1`, or a sample of `k` distinct indices without replacement.
 * @returns Int32Array of length k (default n)
 */
export function permutation(rng: Rng, n: number, k = n): Int32Array {
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) throw new RangeError(`permutation: k must be an integer in [0, ${n}], got ${k}`);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  return k === n ? idx : idx.slice(0, k);
}
