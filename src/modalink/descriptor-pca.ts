/**
 * A 2-D (or k-D) projection of descriptors by PCA: centre the rows, then find the leading
 * eigenvectors of the covariance by power iteration with deflation, never forming the
 * D x D covariance (D is 5 000 to 17 000). Pure TypeScript, float64 accumulation.
 * @see notebooks/03-place-recognition.ipynb
 */
import { createRng } from '../core/rng.js';
import { InputError } from '../core/errors.js';

/** What {@link pcaProject} returns. */
export interface PcaProjection {
  /** [N * k] row-major coordinates of every row along the components. */
  coords: Float64Array;
  /** [k * D] unit principal directions, row-major. */
  components: Float64Array;
  /** [k] variance along each component (eigenvalue of the covariance). */
  variance: Float64Array;
  /** Total variance (trace of the covariance): variance[i] / total = explained share. */
  totalVariance: number;
}

// #region pca
/**
 * PCA of N rows of length D.
 * @param x [N * D] row-major (e.g. descriptors from describeView)
 * @param iterations power iterations per component (default 100)
 */
export function pcaProject(x: ArrayLike<number>, N: number, D: number, k = 2, iterations = 100, seed = 0): PcaProjection {
  if (!(Number.isInteger(N) && N >= 2 && Number.isInteger(D) && D >= 1 && x.length === N * D)) throw new InputError('pcaProject: x', `expected N x D = ${N} x ${D} values with N >= 2, got ${x.length}`);
  if (!(Number.isInteger(k) && k >= 1 && k <= Math.min(N, D))) throw new InputError('pcaProject: k', `expected an integer in [1, ${Math.min(N, D)}], got ${k}`);
  const mean = new Float64Array(D);
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) mean[j] += x[i * D + j] / N;
  const xc = new Float64Array(N * D); // centred rows
  let total = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) { const v = x[i * D + j] - mean[j]; xc[i * D + j] = v; total += (v * v) / (N - 1); }
  const rng = createRng(seed);
  const comps = new Float64Array(k * D), variance = new Float64Array(k), t = new Float64Array(N);
  for (let c = 0; c < k; c++) {
    const v = comps.subarray(c * D, (c + 1) * D);
    for (let j = 0; j < D; j++) v[j] = rng.normal();
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      for (let p = 0; p < c; p++) { // deflate: keep v orthogonal to earlier components
        const u = comps.subarray(p * D, (p + 1) * D);
        let d = 0; for (let j = 0; j < D; j++) d += u[j] * v[j];
        for (let j = 0; j < D; j++) v[j] -= d * u[j];
      }
      for (let i = 0; i < N; i++) { let s = 0; for (let j = 0; j < D; j++) s += xc[i * D + j] * v[j]; t[i] = s; } // t = Xc v
      v.fill(0);
      for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) v[j] += xc[i * D + j] * t[i]; // v = Xc^T Xc v
      let n = 0; for (let j = 0; j < D; j++) n += v[j] * v[j];
      n = Math.sqrt(n);
      lambda = n / (N - 1);
      if (n === 0) break;
      for (let j = 0; j < D; j++) v[j] /= n;
    }
    variance[c] = lambda;
  }
  const coords = new Float64Array(N * k);
  for (let i = 0; i < N; i++) for (let c = 0; c < k; c++) {
    let s = 0; for (let j = 0; j < D; j++) s += xc[i * D + j] * comps[c * D + j];
    coords[i * k + c] = s;
  }
  return { coords, components: comps, variance, totalVariance: total };
}
// #endregion pca
