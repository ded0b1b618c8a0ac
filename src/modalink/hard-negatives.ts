/**
 * Hard-negative mining for ModaLink training (config `hardNegatives`, `hardNegativePool`), as
 * NetVLAD's training does: at the start of every epoch the current model describes every
 * training photo and every training depth image, and each photo keeps the `pool` depth images
 * of its own drive that lie beyond `negativeThresholdM` on the ground yet are nearest to it in
 * descriptor space. A step then draws `hardNegatives` of its M negatives from that pool instead
 * of at random. The paper's sampler (the nearest frame beyond the threshold + random ones,
 * ground-distance.ts) gives negatives the model already separates: the laptop model's lazy
 * triplet loss is near 0 for most steps after a few epochs, while its test failures are
 * confusions with far places (experiments/probes/modalink-failures.mts).
 *
 * Exact resume: the pool of an epoch is saved in `<run>/hard-negatives.json` and reloaded when
 * a run resumes inside that epoch (it was mined from the weights of the epoch's start, which a
 * mid-epoch resume no longer has).
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import { tf } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { groundDistance, sampleNegatives } from './ground-distance.js';

// #region mine
/**
 * For every query, the `pool` database rows nearest to it in descriptor space (squared L2,
 * nearest first; ties to the lower index) among the rows farther than `thresholdM` on the
 * ground. Queries and rows are the same frames (query i is row i).
 * @param queryDesc [N * D] float32; dbDesc [N * D] float32; positionsXZ [N * 2] metres
 * @returns [N * pool] row indices, -1 where fewer than `pool` rows lie beyond the threshold
 */
export function hardestNegatives(queryDesc: Float32Array, dbDesc: Float32Array, D: number, positionsXZ: ArrayLike<number>, thresholdM: number, pool: number): Int32Array {
  const N = positionsXZ.length / 2;
  if (!Number.isInteger(N) || queryDesc.length !== N * D || dbDesc.length !== N * D) {
    throw new InputError('hardestNegatives', `expected ${N} x ${D} query and database descriptors and N x 2 positions, got ${queryDesc.length}, ${dbDesc.length} and ${positionsXZ.length} values`);
  }
  if (!Number.isInteger(pool) || pool < 1) throw new InputError('hardestNegatives: pool', `expected an integer >= 1, got ${pool}`);
  const d2 = tf.tidy(() => {
    const q = tf.tensor2d(queryDesc, [N, D]), x = tf.tensor2d(dbDesc, [N, D]);
    const qq = tf.sum(tf.square(q), 1, true), xx = tf.reshape(tf.sum(tf.square(x), 1), [1, N]);
    return tf.sub(tf.add(qq, xx), tf.mul(2, tf.matMul(q, x, false, true)));
  });
  const dist = d2.dataSync() as Float32Array;
  d2.dispose();
  const out = new Int32Array(N * pool).fill(-1);
  const cand: number[] = [];
  for (let i = 0; i < N; i++) {
    cand.length = 0;
    for (let j = 0; j < N; j++) if (groundDistance(positionsXZ, i, j) > thresholdM) cand.push(j);
    cand.sort((a, b) => dist[i * N + a] - dist[i * N + b] || a - b);
    for (let k = 0; k < Math.min(pool, cand.length); k++) out[i * pool + k] = cand[k];
  }
  return out;
}
// #endregion mine

// #region draw
/**
 * A query's M negatives with mining: the paper's draw (sampleNegatives: the nearest frame
 * beyond the threshold, then random ones) whose last `hard` entries are replaced by distinct
 * random picks from the query's pool row (entries already drawn skipped). With fewer usable pool
 * entries, the paper's picks stay in the remaining places.
 * @param poolRow the query's row of {@link hardestNegatives} (-1 = empty)
 */
export function drawNegatives(queryIdx: number, positionsXZ: ArrayLike<number>, thresholdM: number, count: number, hard: number, poolRow: ArrayLike<number>, rng: Rng): Int32Array {
  const out = sampleNegatives(queryIdx, positionsXZ, thresholdM, count, rng);
  if (hard <= 0) return out;
  const keep = Math.max(0, count - hard);
  const taken = new Set(Array.from(out.subarray(0, keep)));
  const usable = Array.from(poolRow).filter((j) => j >= 0 && !taken.has(j));
  for (let k = keep, u = 0; k < count && u < usable.length; k++, u++) {
    const r = u + rng.int(usable.length - u); // partial Fisher-Yates over the pool
    [usable[u], usable[r]] = [usable[r], usable[u]];
    out[k] = usable[u];
  }
  return out;
}
// #endregion draw

// #region persist
/** An epoch's mined pools, one [N * pool] row set per training view. */
export interface MinedPools { epoch: number; pool: number; seconds: number; views: Int32Array[] }

/** The file of a run's current pools. */
export const HARD_NEGATIVES_FILE = 'hard-negatives.json';

/** Writes the pools of `m.epoch` into the run folder (replacing the previous epoch's). */
export function saveMinedPools(runDir: string, m: MinedPools): void {
  const body = { epoch: m.epoch, pool: m.pool, seconds: m.seconds, views: m.views.map((v) => Array.from(v)) };
  fs.writeFileSync(path.join(runDir, HARD_NEGATIVES_FILE), JSON.stringify(body));
}

/**
 * The saved pools of `epoch`, or null when the run has none for that epoch.
 * @param sizes frames per training view: a file for other views is an error
 * @throws InputError naming the file when it is not what this run mined
 */
export function loadMinedPools(runDir: string, epoch: number, pool: number, sizes: number[]): MinedPools | null {
  const file = path.join(runDir, HARD_NEGATIVES_FILE);
  if (!fs.existsSync(file)) return null;
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { epoch: number; pool: number; seconds: number; views: number[][] };
  if (j.epoch !== epoch) return null;
  const ok = j.pool === pool && Array.isArray(j.views) && j.views.length === sizes.length && j.views.every((v, i) => v.length === sizes[i] * pool);
  if (!ok) throw new InputError(file, `expected pools of ${pool} for ${sizes.length} training views of ${sizes.join(', ')} frames (this run's data and config), got another shape`);
  return { epoch: j.epoch, pool: j.pool, seconds: j.seconds, views: j.views.map((v) => Int32Array.from(v)) };
}
// #endregion persist
