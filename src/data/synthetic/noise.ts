/**
 * Counter-based noise for the sensors: a value per (stream seed, index), so a pixel's or a
 * ray's noise needs no generator state and allocates nothing (a stateful RNG's per-sample
 * calls and boxed numbers cost more than the shading itself at 350k samples per frame).
 */

/** A 32-bit hash of (seed, index), well mixed (murmur3 finaliser). */
export function hashU32(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in [0, 1) from a hash. */
export function unitFromHash(h: number): number {
  return h / 4294967296;
}

/**
 * Approximately standard normal from a hash: the sum of its four bytes (Irwin-Hall, n = 4),
 * centred and scaled to unit variance; range +-3.46.
 */
export function normalFromHash(h: number): number {
  const s = (h & 255) + ((h >>> 8) & 255) + ((h >>> 16) & 255) + (h >>> 24);
  return (s / 255 - 2) * 1.7320508075688772;
}
