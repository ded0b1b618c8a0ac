/**
 * Least-squares rigid (or similarity) fit between corresponding 3D points, without SVD:
 * Horn's closed-form quaternion method (J. Opt. Soc. Am. A, 1987), with Umeyama's scale.
 *
 * Minimises `sum_i w_i |b_i - (s R a_i + t)|^2` over rotations R (det +1 always: a unit
 * quaternion cannot encode a reflection, so no sign fix as in SVD-Kabsch is needed),
 * t, and optionally s > 0. Steps: weighted centroids; cross-covariance
 * `S = sum w a' b'^T`; Horn's symmetric 4x4 matrix N(S); the unit eigenvector of its
 * largest eigenvalue (Jacobi, see symmetric-eigen.ts) is the rotation quaternion; then
 * `s = lambda_max / sum w |a'|^2` and `t = b_mean - s R a_mean`.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { assertFlat } from '../core/shapes.js';
import type { Mat3, Mat4, Vec3 } from './matrix.js';
import { rotationFromQuaternion } from './quaternion.js';
import { fromRt } from './se3.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Options of {@link kabsch}. */
export interface KabschOptions {
  /** [N] non-negative per-pair weights (default all 1); at least 3 must be positive. */
  weights?: ArrayLike<number>;
  /** Also fit a uniform scale s (Umeyama 1991); default false (s = 1). */
  withScale?: boolean;
  /** Relative threshold below which A is called collinear (second / first covariance eigenvalue); default 1e-10. */
  degenerateTol?: number;
}

/** Result of {@link kabsch}. */
export interface KabschResult {
  /** [16] row-major `[s R, t; 0 0 0 1]` mapping frame-A points onto frame B. */
  bFromA: Mat4;
  /** [9] row-major rotation R (det +1). */
  R: Mat3;
  /** [3] translation t, metres, frame B. */
  t: Vec3;
  /** Uniform scale s (1 unless `withScale`). */
  scale: number;
  /** Weighted RMS residual sqrt(sum w |b - (s R a + t)|^2 / sum w), metres. */
  rmsM: number;
}

function centroid(p: ArrayLike<number>, w: ArrayLike<number> | undefined, n: number, wsum: number): Vec3 {
  const c = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    c[0] += wi * p[3 * i]; c[1] += wi * p[3 * i + 1]; c[2] += wi * p[3 * i + 2];
  }
  c[0] /= wsum; c[1] /= wsum; c[2] /= wsum;
  return c;
}

// #region kabsch
/**
 * Fits `bFromA` so that `b_i ~ s R a_i + t` for corresponding points.
 * @param pointsA [N * 3] metres, frame A (source)
 * @param pointsB [N * 3] metres, frame B (target), same order as pointsA
 * @param options weights, scale, degeneracy tolerance
 * @returns bFromA, R, t, scale, rmsM
 * @throws InputError for fewer than 3 (positively weighted) pairs, mismatched lengths,
 *   bad weights, collinear or coincident source points, or an ambiguous rotation
 */
export function kabsch(pointsA: ArrayLike<number>, pointsB: ArrayLike<number>, options: KabschOptions = {}): KabschResult {
  const n = assertFlat('kabsch: pointsA', pointsA, 3);
  const nb = assertFlat('kabsch: pointsB', pointsB, 3);
  if (n !== nb) throw new InputError('kabsch: pointsB', `has ${nb} points but pointsA has ${n}; expected pairs`);
  const w = options.weights;
  let wsum = 0, positive = 0;
  if (w) {
    if (w.length !== n) throw new InputError('kabsch: weights', `expected ${n} weights, got ${w.length}`);
    for (let i = 0; i < n; i++) {
      if (!(Number.isFinite(w[i]) && w[i] >= 0)) throw new InputError('kabsch: weights', `weight ${i} is ${w[i]}; expected a finite number >= 0`);
      wsum += w[i];
      if (w[i] > 0) positive++;
    }
  } else { wsum = n; positive = n; }
  if (positive < 3) throw new InputError('kabsch', `needs at least 3 point pairs with positive weight, got ${positive}`);
  for (const [name, p] of [['pointsA', pointsA], ['pointsB', pointsB]] as const) {
    for (let i = 0; i < 3 * n; i++) if (!Number.isFinite(p[i])) throw new InputError(`kabsch: ${name}`, `value ${i} (point ${Math.floor(i / 3)}) is ${p[i]}`);
  }
  const ca = centroid(pointsA, w, n, wsum);
  const cb = centroid(pointsB, w, n, wsum);
  const S = new Float64Array(9); // S[3i+j] = sum w a'_i b'_j
  const C = new Float64Array(9); // covariance of a' (collinearity test)
  let ssA = 0, ssB = 0;
  for (let k = 0; k < n; k++) {
    const wk = w ? w[k] : 1;
    if (wk === 0) continue;
    const a = [pointsA[3 * k] - ca[0], pointsA[3 * k + 1] - ca[1], pointsA[3 * k + 2] - ca[2]];
    const b = [pointsB[3 * k] - cb[0], pointsB[3 * k + 1] - cb[1], pointsB[3 * k + 2] - cb[2]];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) { S[3 * i + j] += wk * a[i] * b[j]; C[3 * i + j] += wk * a[i] * a[j]; }
    }
    ssA += wk * (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    ssB += wk * (b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
  }
  const tol = options.degenerateTol ?? 1e-10;
  const covA = symmetricEigen(C, 3).values;
  if (!(covA[0] > 0) || covA[1] <= tol * covA[0]) {
    throw new InputError('kabsch: pointsA', `source points are ${covA[0] > 0 ? 'collinear' : 'coincident'} (covariance eigenvalues ${Array.from(covA, (v) => v.toExponential(2)).join(', ')}); the rotation about their line is undetermined`);
  }
  const [sxx, sxy, sxz, syx, syy, syz, szx, szy, szz] = S;
  const N = new Float64Array([
    sxx + syy + szz, syz - szy, szx - sxz, sxy - syx,
    syz - szy, sxx - syy - szz, sxy + syx, szx + sxz,
    szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy,
    sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz,
  ]);
  const eig = symmetricEigen(N, 4);
  if (eig.values[0] - eig.values[1] <= 1e-12 * Math.sqrt(ssA * ssB)) {
    throw new InputError('kabsch: pointsB', 'the best rotation is not unique (target points collinear or coincident)');
  }
  const q = [eig.vectors[0], eig.vectors[4], eig.vectors[8], eig.vectors[12]]; // column 0
  const R = rotationFromQuaternion(q);
  const scale = options.withScale ? eig.values[0] / ssA : 1;
  const Ra = [R[0] * ca[0] + R[1] * ca[1] + R[2] * ca[2], R[3] * ca[0] + R[4] * ca[1] + R[5] * ca[2], R[6] * ca[0] + R[7] * ca[1] + R[8] * ca[2]];
  const t = new Float64Array([cb[0] - scale * Ra[0], cb[1] - scale * Ra[1], cb[2] - scale * Ra[2]]);
  const sR = R.map((v) => v * scale);
  let sse = 0;
  for (let k = 0; k < n; k++) {
    const ax = pointsA[3 * k], ay = pointsA[3 * k + 1], az = pointsA[3 * k + 2];
    const dx = sR[0] * ax + sR[1] * ay + sR[2] * az + t[0] - pointsB[3 * k];
    const dy = sR[3] * ax + sR[4] * ay + sR[5] * az + t[1] - pointsB[3 * k + 1];
    const dz = sR[6] * ax + sR[7] * ay + sR[8] * az + t[2] - pointsB[3 * k + 2];
    sse += (w ? w[k] : 1) * (dx * dx + dy * dy + dz * dz);
  }
  return { bFromA: fromRt(sR, t), R, t, scale, rmsM: Math.sqrt(sse / wsum) };
}
// #endregion kabsch
