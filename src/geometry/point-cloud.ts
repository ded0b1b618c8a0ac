/**
 * Point-cloud housekeeping: finiteness checks, voxel downsampling, seeded subsampling.
 *
 * Convention: clouds are flat arrays of N x stride values (xyz first, then extra channels
 * such as KITTI reflectance), metres. Every random choice takes an {@link Rng}.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { permutation, type Rng } from '../core/rng.js';
import { assertFlat, assertInt, assertRange } from '../core/shapes.js';

/** Result of {@link finiteCheck}. */
export interface FiniteReport {
  /** True when every value is finite. */
  ok: boolean;
  /** Number of points with at least one NaN or +-Inf value. */
  badPoints: number;
  /** Index of the first bad point, or -1. */
  firstPoint: number;
  /** Channel of the first bad value in that point, or -1. */
  firstChannel: number;
}

/**
 * Finds NaN / +-Inf values in a point cloud (readers report them; nothing drops them silently).
 * @param points [N * stride]
 * @param stride channels per point (>= 1)
 */
export function finiteCheck(points: ArrayLike<number>, stride: number): FiniteReport {
  assertInt('finiteCheck: stride', stride, 1);
  const n = assertFlat('finiteCheck: points', points, stride);
  let badPoints = 0, firstPoint = -1, firstChannel = -1;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < stride; c++) {
      if (!Number.isFinite(points[i * stride + c])) {
        if (firstPoint < 0) { firstPoint = i; firstChannel = c; }
        badPoints++;
        break;
      }
    }
  }
  return { ok: badPoints === 0, badPoints, firstPoint, firstChannel };
}

/**
 * Throws an InputError naming `where`, the first bad point and channel, unless all values are finite.
 * @param where e.g. the file name the cloud came from
 */
export function assertFinitePoints(where: string, points: ArrayLike<number>, stride: number): void {
  const r = finiteCheck(points, stride);
  if (!r.ok) {
    const v = points[r.firstPoint * stride + r.firstChannel];
    throw new InputError(where, `${r.badPoints} point(s) have non-finite values; first: point ${r.firstPoint}, channel ${r.firstChannel} = ${v}`);
  }
}

// #region voxelDownsample
/**
 * Replaces the points of each occupied voxel (cubes of side voxelM, aligned at the
 * origin: voxel = floor(x / voxelM), ...) by their centroid, all channels averaged
 * (float64 sums). Output order: voxels in order of their first point in the input, so the
 * same input gives the same output.
 * @param points [N * stride] float32, metres
 * @param stride channels per point (>= 3)
 * @param voxelM voxel side, metres (> 0), e.g. 0.1 in the registration papers
 * @returns [M * stride] float32 centroids, M <= N
 * @throws InputError on non-finite points or when the grid would exceed 2^53 cells
 */
export function voxelDownsample(points: ArrayLike<number>, stride: number, voxelM: number): Float32Array {
  assertInt('voxelDownsample: stride', stride, 3);
  const n = assertFlat('voxelDownsample: points', points, stride);
  assertRange('voxelDownsample: voxelM', voxelM, Number.MIN_VALUE);
  assertFinitePoints('voxelDownsample: points', points, stride);
  if (n === 0) return new Float32Array(0);
  const keys = new Int32Array(3 * n);
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const k = Math.floor(points[i * stride + c] / voxelM);
      if (Math.abs(k) > 2 ** 30) throw new InputError('voxelDownsample: points', `point ${i} is too far (${points[i * stride + c]} m) for voxelM = ${voxelM}`);
      keys[3 * i + c] = k;
      if (k < lo[c]) lo[c] = k;
      if (k > hi[c]) hi[c] = k;
    }
  }
  const nx = hi[0] - lo[0] + 1, ny = hi[1] - lo[1] + 1, nz = hi[2] - lo[2] + 1;
  if (nx * ny * nz > Number.MAX_SAFE_INTEGER) throw new InputError('voxelDownsample: voxelM', `grid of ${nx} x ${ny} x ${nz} cells is too large; use a larger voxel`);
  const slot = new Map<number, number>();
  const voxelOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = keys[3 * i] - lo[0] + nx * (keys[3 * i + 1] - lo[1] + ny * (keys[3 * i + 2] - lo[2]));
    let s = slot.get(key);
    if (s === undefined) { s = slot.size; slot.set(key, s); }
    voxelOf[i] = s;
  }
  const m = slot.size;
  const sums = new Float64Array(m * stride);
  const counts = new Uint32Array(m);
  for (let i = 0; i < n; i++) {
    const s = voxelOf[i];
    counts[s]++;
    for (let c = 0; c < stride; c++) sums[s * stride + c] += points[i * stride + c];
  }
  const out = new Float32Array(m * stride);
  for (let s = 0; s < m; s++) for (let c = 0; c < stride; c++) out[s * stride + c] = sums[s * stride + c] / counts[s];
  return out;
}
// #endregion voxelDownsample

// #region randomSubsample
/**
 * Indices for a fixed-size sample, CorrI2P's scheme: when n <= N, n distinct indices
 * without replacement (random order); when n > N, floor(n / N) whole copies of 0..N-1 in
 * order, then n mod N distinct random indices (so each point appears floor(n/N) or
 * floor(n/N) + 1 times).
 * @param N points available
 * @param n points wanted (>= 0)
 * @param rng seeded generator
 * @returns [n] Int32Array of indices in [0, N)
 */
export function subsampleIndices(N: number, n: number, rng: Rng): Int32Array {
  assertInt('subsampleIndices: N', N, 0);
  assertInt('subsampleIndices: n', n, 0);
  if (n <= N) return permutation(rng, N, n);
  if (N === 0) throw new InputError('subsampleIndices: N', `cannot draw ${n} points from an empty cloud`);
  const out = new Int32Array(n);
  const copies = Math.floor(n / N);
  for (let k = 0; k < copies * N; k++) out[k] = k % N;
  out.set(permutation(rng, N, n - copies * N), copies * N);
  return out;
}

/**
 * Copies the listed points.
 * @param points [N * stride]
 * @param indices [M] point indices
 * @returns [M * stride] float32
 */
export function gatherPoints(points: ArrayLike<number>, stride: number, indices: ArrayLike<number>): Float32Array {
  const n = assertFlat('gatherPoints: points', points, stride);
  const out = new Float32Array(indices.length * stride);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new InputError('gatherPoints: indices', `index ${k} is ${i}; expected an integer in [0, ${n})`);
    for (let c = 0; c < stride; c++) out[k * stride + c] = points[i * stride + c];
  }
  return out;
}

/**
 * A fixed-size random sample of a cloud (see {@link subsampleIndices}); the same seed gives the same sample.
 * @param points [N * stride] float32
 * @param stride channels per point
 * @param n points wanted, e.g. 40960 in the registration papers
 * @param rng seeded generator
 * @returns [n * stride] float32
 */
export function randomSubsample(points: ArrayLike<number>, stride: number, n: number, rng: Rng): Float32Array {
  assertInt('randomSubsample: stride', stride, 1);
  const N = assertFlat('randomSubsample: points', points, stride);
  return gatherPoints(points, stride, subsampleIndices(N, n, rng));
}
// #endregion randomSubsample
