/**
 * The seeds of a training run. Every draw during training comes from (seed, epoch, step), so a
 * run's random state is those three numbers and a resumed run draws exactly what an
 * uninterrupted one would: the epoch's order of the training items from
 * {@link epochSeed}, a step's draws (negatives, crops, subsamples, perturbations) from
 * {@link stepSeed}. All are {@link mixSeed} with fixed second and third arguments.
 * @see notebooks/03-place-recognition.ipynb
 */

/**
 * A 32-bit seed from (seed, a, b): multiplicative hashes of the three, XOR-ed.
 * The values are part of every trained run (they fix the shuffles and draws): do not change them.
 * @param seed the run's seed, an integer
 * @param a first index (an epoch; -1 and -2 mark the kinds of draw)
 * @param b second index (a step)
 * @returns an unsigned 32-bit integer, the seed of a {@link createRng} generator
 */
export function mixSeed(seed: number, a: number, b: number): number {
  return (Math.imul(seed ^ 0x85ebca6b, 2654435761) ^ Math.imul(a + 1, 73856093) ^ Math.imul(b + 1, 19349663)) >>> 0;
}

/**
 * The seed of an epoch's order of the training items: mixSeed(seed, epoch, -1).
 * @param epoch epochs completed before this one
 */
export function epochSeed(seed: number, epoch: number): number {
  return mixSeed(seed, epoch, -1);
}

/**
 * The seed of a step's draws: mixSeed(seed, -2, step).
 * @param step steps done before this one, counted over the whole run
 */
export function stepSeed(seed: number, step: number): number {
  return mixSeed(seed, -2, step);
}
