/**
 * The leading principal directions of many long descriptors (N = 4541 rows of D = 17408 for
 * KITTI 00) by randomized subspace iteration (Halko, Martinsson and Tropp, SIAM Review 2011,
 * algorithms 4.4 and 5.1): a few passes of matrix products over the centred rows on tfjs,
 * plus float64 work on r x r matrices (r = dims + oversample) in TypeScript. pcaProject
 * (descriptor-pca.ts) is the exact float64 power iteration it is tested against; it costs
 * N D float64 work per component and iteration, too slow for hundreds of components.
 *
 *   Y = Xc Omega            [N, r], Omega ~ N(0, 1) seeded
 *   repeat q times:  Z = orth(Xc^T Y) [D, r],  Y = orth(Xc Z) [N, r]
 *   B = Y^T Xc [r, D];  B B^T = U diag(s^2) U^T;  components = diag(1 / s) U^T B, first dims rows
 *
 * orth() between power iterations only rescales (Y <- Y L^-T, L L^T = Y^T Y + ridge); the
 * final Y is orthonormalised exactly (float64 Gram-Schmidt), so B and its SVD are right.
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf, type Tensor, type Tensor2D } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { checkConfigObject, numberFields } from '../core/config-fields.js';
import { symmetricEigen } from '../geometry/symmetric-eigen.js';

/** Settings of {@link fitPcaBasis}. */
export interface RandomizedPcaConfig {
  /** Extra random directions beyond dims, integer in [0, 256]; r = dims + oversample <= 512. Default 10. */
  oversample: number;
  /** Subspace (power) iterations, integer in [0, 20]; more = more accurate small components. Default 2. */
  powerIterations: number;
  /** Seed of the random start (integer). Default 0. */
  seed: number;
}

/** Halko et al.'s usual choice: 10 extra directions, 2 power iterations, seed 0. */
export const DEFAULT_RANDOMIZED_PCA_CONFIG: Readonly<RandomizedPcaConfig> = Object.freeze({ oversample: 10, powerIterations: 2, seed: 0 });

/** What {@link fitPcaBasis} returns (plain arrays, no tensors). */
export interface PcaBasis {
  /** [D] float32 mean of the rows. */
  mean: Float32Array;
  /** [dims * D] float32 unit principal directions, row-major, largest variance first (zero rows past the rank of the rows). */
  components: Float32Array;
  /** [dims] variance along each direction (covariance eigenvalue, divided by N - 1). */
  variance: Float64Array;
  /** Trace of the covariance: sum(variance) / totalVariance = the share the basis keeps. */
  totalVariance: number;
}

/** Lower Cholesky factor of a symmetric positive definite r x r matrix, shifted by `ridge` on the diagonal. */
function cholesky(G: Float64Array, r: number, ridge: number): Float64Array {
  const L = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) {
    let s = G[i * r + j] + (i === j ? ridge : 0);
    for (let k = 0; k < j; k++) s -= L[i * r + k] * L[j * r + k];
    L[i * r + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / L[j * r + j];
  }
  return L;
}

/** L^-T for lower-triangular L (r x r, row-major): the upper-triangular inverse of L^T. */
function inverseTransposeLower(L: Float64Array, r: number): Float32Array {
  const inv = new Float64Array(r * r); // inv = L^-1, lower
  for (let j = 0; j < r; j++) {
    inv[j * r + j] = 1 / L[j * r + j];
    for (let i = j + 1; i < r; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * r + k] * inv[k * r + j];
      inv[i * r + j] = s / L[i * r + i];
    }
  }
  const out = new Float32Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) out[i * r + j] = inv[j * r + i];
  return out;
}

/** The values of a tensor, disposing it. */
function take(t: Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

/**
 * Columns of about unit norm spanning Y [M, r], cheaply, between power iterations: Y L^-T with
 * L L^T = Y^T Y + ridge I (float32 Gram; the ridge, 1e-6 of the trace, keeps the Cholesky
 * factor defined when Y is rank-deficient and only shrinks the columns that hold less).
 * Disposes Y.
 */
function normalizeColumns(Y: Tensor2D): Tensor2D {
  const r = Y.shape[1];
  const G = Float64Array.from(take(tf.matMul(Y, Y, true, false))); // [r, r]
  let trace = 0;
  for (let i = 0; i < r; i++) trace += G[i * r + i];
  const next: Tensor2D = tf.tidy(() => tf.matMul(Y, tf.tensor2d(inverseTransposeLower(cholesky(G, r, 1e-6 * trace + 1e-30), r), [r, r]))); // [M, r]
  Y.dispose();
  return next;
}

/**
 * Exactly orthonormal columns spanning Y [M, r]: modified Gram-Schmidt in float64 (M r^2
 * work). A column with nothing left after removing the earlier ones (below 1e-9 of its norm)
 * becomes zero. Disposes Y.
 */
function orthonormalize(Y: Tensor2D): Tensor2D {
  const [M, r] = Y.shape;
  const y = take(Y);
  const cols = Array.from({ length: r }, (_, j) => Float64Array.from({ length: M }, (_, i) => y[i * r + j]));
  for (let j = 0; j < r; j++) {
    const v = cols[j];
    let n0 = 0;
    for (let i = 0; i < M; i++) n0 += v[i] * v[i];
    for (let p = 0; p < j; p++) {
      const u = cols[p];
      let d = 0;
      for (let i = 0; i < M; i++) d += u[i] * v[i];
      for (let i = 0; i < M; i++) v[i] -= d * u[i];
    }
    let n = 0;
    for (let i = 0; i < M; i++) n += v[i] * v[i];
    const scale = n > 1e-18 * n0 && n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let i = 0; i < M; i++) v[i] *= scale;
  }
  const out = new Float32Array(M * r);
  for (let j = 0; j < r; j++) for (let i = 0; i < M; i++) out[i * r + j] = cols[j][i];
  return tf.tensor2d(out, [M, r]);
}

// #region fit
/**
 * Fits a dims-dimensional PCA basis to the rows.
 * @param rows [N * D] row-major float32 descriptors
 * @param dims directions to keep, integer in [1, min(N - 1, D, 512 - oversample)]
 * @throws InputError naming `rows` or `dims`; ConfigError naming `randomizedPca.<field>`
 */
export function fitPcaBasis(rows: Float32Array, N: number, D: number, dims: number, config: Partial<RandomizedPcaConfig> = {}): PcaBasis {
  checkConfigObject('randomizedPca', config, Object.keys(DEFAULT_RANDOMIZED_PCA_CONFIG));
  const c = { ...DEFAULT_RANDOMIZED_PCA_CONFIG, ...config };
  numberFields('randomizedPca', c, { oversample: { min: 0, max: 256, integer: true }, powerIterations: { min: 0, max: 20, integer: true }, seed: { min: 0, max: 2 ** 31 - 1, integer: true } });
  if (!(Number.isInteger(N) && N >= 2 && Number.isInteger(D) && D >= 1 && rows.length === N * D)) throw new InputError('fitPcaBasis: rows', `expected N x D = ${N} x ${D} values with N >= 2, got ${rows.length}`);
  const maxDims = Math.min(N - 1, D, 512 - c.oversample);
  if (!(Number.isInteger(dims) && dims >= 1 && dims <= maxDims)) throw new InputError('fitPcaBasis: dims', `expected an integer in [1, ${maxDims}] (N - 1, D and 512 - oversample bound it), got ${dims}`);
  const r = Math.min(dims + c.oversample, N - 1, D);
  const X = tf.tensor2d(rows, [N, D]);
  const mean = tf.mean(X, 0, true); // [1, D]
  const Xc = tf.sub(X, mean) as Tensor2D; // [N, D]
  X.dispose();
  const totalVariance = take(tf.tidy(() => tf.sum(tf.square(Xc))))[0] / (N - 1);
  let Y = normalizeColumns(tf.tidy(() => tf.matMul(Xc, tf.randomNormal([D, r], 0, 1, 'float32', c.seed)))); // [N, r]
  for (let it = 0; it < c.powerIterations; it++) {
    const Z = normalizeColumns(tf.matMul(Xc, Y, true, false) as Tensor2D); // [D, r]
    Y.dispose();
    Y = normalizeColumns(tf.matMul(Xc, Z) as Tensor2D); // [N, r]
    Z.dispose();
  }
  Y = orthonormalize(Y); // [N, r], Y^T Y = I (zero columns past the rank of Xc)
  const B = tf.matMul(Y, Xc, true, false); // [r, D]
  const S = take(tf.matMul(B, B, false, true)); // [r, r] = U diag(s^2) U^T
  const eig = symmetricEigen(S, r);
  const Ut = new Float32Array(dims * r); // rows: the first dims eigenvectors, scaled by 1 / s
  for (let k = 0; k < dims; k++) {
    if (!(eig.values[k] > 1e-12 * eig.values[0])) continue; // past the rank of the rows: a zero direction, variance 0
    for (let i = 0; i < r; i++) Ut[k * r + i] = eig.vectors[i * r + k] / Math.sqrt(eig.values[k]);
  }
  const comps = tf.tidy(() => tf.matMul(tf.tensor2d(Ut, [dims, r]), B)); // [dims, D]
  const out: PcaBasis = {
    mean: mean.dataSync() as Float32Array, components: comps.dataSync() as Float32Array,
    variance: Float64Array.from(eig.values.subarray(0, dims), (v) => Math.max(v, 0) / (N - 1)), totalVariance,
  };
  tf.dispose([mean, Xc, Y, B, comps]);
  return out;
}
// #endregion fit
