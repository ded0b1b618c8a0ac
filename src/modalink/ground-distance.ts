/**
 * Distances between frames on the GROUND PLANE, from KITTI odometry poses, and the
 * positives / negatives that training and evaluation draw from them.
 *
 * Convention: KITTI poses are worldFromCam0, row-major 3x4, in camera-0 axes (x right,
 * y DOWN, z forward). The ground plane is x-z: translation x = entry 3, z = entry 11.
 * ModaLink's released code uses x and y (entries 3 and 7), but y is height: a bug this
 * library does not copy.
 * @see notebooks/03-place-recognition.ipynb (issue 4)
 */
import { InputError } from '../core/errors.js';
import { assertInt, assertRange } from '../core/shapes.js';
import type { Rng } from '../core/rng.js';

/** Row-major 3x4 indices of the ground-plane translation in a KITTI pose. */
export const KITTI_POSE_X = 3;
/** Forward (z) translation index; NOT 7, which is y, the height. */
export const KITTI_POSE_Z = 11;

// #region positions
/**
 * Ground-plane positions (x, z) of KITTI poses.
 * @param poses per frame [12] (row-major 3x4, or the first 12 of a 4x4) worldFromCam0, metres
 * @returns [N * 2] float64 (x, z) per frame, metres, world frame
 */
export function groundPositionsFromPoses(poses: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const out = new Float64Array(poses.length * 2);
  poses.forEach((p, i) => {
    if (p.length !== 12 && p.length !== 16) throw new InputError(`groundPositionsFromPoses: poses[${i}]`, `expected 12 (3x4) or 16 (4x4) numbers, got ${p.length}`);
    out[2 * i] = p[KITTI_POSE_X];
    out[2 * i + 1] = p[KITTI_POSE_Z];
  });
  return out;
}
// #endregion positions

function count(where: string, positionsXZ: ArrayLike<number>): number {
  if (positionsXZ.length % 2 !== 0) throw new InputError(where, `expected N x 2 (x, z) values, got length ${positionsXZ.length}`);
  return positionsXZ.length / 2;
}

/** Ground-plane distance between frames i and j of positionsXZ [N * 2], metres. */
export function groundDistance(positionsXZ: ArrayLike<number>, i: number, j: number): number {
  return Math.hypot(positionsXZ[2 * i] - positionsXZ[2 * j], positionsXZ[2 * i + 1] - positionsXZ[2 * j + 1]);
}

/**
 * All distances from a set of query positions to a set of database positions.
 * @param queryXZ [Q * 2] (x, z), metres
 * @param dbXZ [N * 2] (x, z), metres (pass queryXZ again for the pairwise matrix)
 * @returns [Q * N] float32, row q = distances from query q, metres
 */
export function groundDistanceMatrix(queryXZ: ArrayLike<number>, dbXZ: ArrayLike<number>): Float32Array {
  const Q = count('groundDistanceMatrix: queryXZ', queryXZ);
  const N = count('groundDistanceMatrix: dbXZ', dbXZ);
  const out = new Float32Array(Q * N);
  for (let q = 0; q < Q; q++) {
    const x = queryXZ[2 * q], z = queryXZ[2 * q + 1];
    for (let j = 0; j < N; j++) out[q * N + j] = Math.hypot(x - dbXZ[2 * j], z - dbXZ[2 * j + 1]);
  }
  return out;
}

/**
 * Frames within `radiusM` of frame `queryIdx` (distance <= radiusM), nearest first.
 * @param positionsXZ [N * 2] (x, z), metres
 * @param excludeSelf leave out queryIdx itself (default true)
 * @returns frame indices
 */
export function positivesWithin(queryIdx: number, positionsXZ: ArrayLike<number>, radiusM: number, excludeSelf = true): Int32Array {
  const N = count('positivesWithin: positionsXZ', positionsXZ);
  assertInt('positivesWithin: queryIdx', queryIdx, 0, N - 1);
  assertRange('positivesWithin: radiusM', radiusM, 0);
  const hits: Array<[number, number]> = [];
  for (let j = 0; j < N; j++) {
    if (excludeSelf && j === queryIdx) continue;
    const d = groundDistance(positionsXZ, queryIdx, j);
    if (d <= radiusM) hits.push([d, j]);
  }
  hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return Int32Array.from(hits, (h) => h[1]);
}

// #region negatives
/**
 * ModaLink's negatives for one query: the NEAREST frame farther than `thresholdM` (the
 * hardest), then count - 1 distinct frames drawn uniformly among the other frames farther
 * than `thresholdM`.
 * @param positionsXZ [N * 2] (x, z), metres
 * @param thresholdM negatives are strictly farther than this, metres
 * @param count how many negatives (>= 1); ModaLink uses 10
 * @param rng seeded source of the random draws
 * @returns [count] frame indices; index 0 is the nearest beyond the threshold
 * @throws RangeError when fewer than `count` frames lie beyond the threshold
 */
export function sampleNegatives(queryIdx: number, positionsXZ: ArrayLike<number>, thresholdM: number, count: number, rng: Rng): Int32Array {
  const N = positionsXZ.length / 2;
  if (!Number.isInteger(N)) throw new InputError('sampleNegatives: positionsXZ', `expected N x 2 (x, z) values, got length ${positionsXZ.length}`);
  assertInt('sampleNegatives: queryIdx', queryIdx, 0, N - 1);
  assertRange('sampleNegatives: thresholdM', thresholdM, 0);
  assertInt('sampleNegatives: count', count, 1);
  const far: number[] = [];
  let nearest = -1, nearestD = Infinity;
  for (let j = 0; j < N; j++) {
    const d = groundDistance(positionsXZ, queryIdx, j);
    if (!(d > thresholdM)) continue;
    far.push(j);
    if (d < nearestD) { nearestD = d; nearest = j; }
  }
  if (far.length < count) throw new RangeError(`sampleNegatives: only ${far.length} frames lie farther than ${thresholdM} m from frame ${queryIdx}, need count = ${count}`);
  const pool = far.filter((j) => j !== nearest);
  const out = new Int32Array(count);
  out[0] = nearest;
  for (let i = 1; i < count; i++) {
    const r = i - 1 + rng.int(pool.length - (i - 1)); // partial Fisher-Yates
    [pool[i - 1], pool[r]] = [pool[r], pool[i - 1]];
    out[i] = pool[i - 1];
  }
  return out;
}
// #endregion negatives
