/**
 * Eigen-decomposition of small symmetric matrices by the cyclic Jacobi method, in typed
 * arrays (no SVD, no dependencies). Used by Horn's quaternion fit (4x4) and by the
 * collinearity test (3x3) in kabsch.ts, and by the randomized descriptor PCA
 * (modalink/randomized-pca.ts, n of a few hundred).
 *
 * Why Jacobi and not power iteration: it returns ALL eigenvalues (the gap between the
 * two largest tells whether the fitted rotation is unique), it converges quadratically
 * whatever the spectrum (power iteration slows to a crawl when the two largest
 * eigenvalues are close, and needs a shift because Horn's matrix has negative eigenvalues),
 * and its eigenvectors are orthonormal to machine precision. For n = 4 a solve takes about
 * 5 sweeps of 6 rotations.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';

/** Eigenvalues (descending) and eigenvectors of a symmetric matrix. */
export interface SymmetricEigen {
  /** [n] eigenvalues, largest first. */
  values: Float64Array;
  /** [n * n] row-major; COLUMN k (`vectors[i * n + k]`) is the unit eigenvector of `values[k]`. */
  vectors: Float64Array;
  /** Jacobi sweeps used. */
  sweeps: number;
}

// #region jacobi
/**
 * Eigen-decomposition `A = V diag(values) V^T` of a symmetric n x n matrix.
 * Only the upper triangle is trusted to be symmetric with the lower; asymmetry is not checked.
 * @param a [n * n] row-major symmetric matrix
 * @param n size (1..512); a sweep costs about 6 n^3 flops (n = 32: instant; n = 300: about 0.1 s)
 * @param maxSweeps safety cap, default 60
 * @returns eigenvalues sorted descending and matching eigenvector columns
 */
export function symmetricEigen(a: ArrayLike<number>, n: number, maxSweeps = 60): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || n > 512 || a.length !== n * n) {
    throw new InputError('symmetricEigen', `expected an n x n matrix with 1 <= n <= 512, got n = ${n}, length ${a.length}`);
  }
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  let frob2 = 0;
  for (let i = 0; i < n; i++) {
    V[i * n + i] = 1;
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(A[i * n + j])) throw new InputError('symmetricEigen', `entry (${i}, ${j}) is ${A[i * n + j]}`);
      frob2 += A[i * n + j] * A[i * n + j];
    }
  }
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] * A[p * n + q];
    if (off <= 1e-32 * frob2 || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) { // A <- A J (columns p, q)
          const akp = A[k * n + p], akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) { // A <- J^T A (rows p, q)
          const apk = A[p * n + k], aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let k = 0; k < n; k++) { // V <- V J
          const vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[j * n + j] - A[i * n + i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = A[src * n + src];
    for (let i = 0; i < n; i++) vectors[i * n + k] = V[i * n + src];
  });
  return { values, vectors, sweeps };
}
// #endregion jacobi
