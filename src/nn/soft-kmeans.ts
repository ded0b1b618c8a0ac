/**
 * Per-image soft k-means on the unit sphere: an alternative to NMF for ModaLink's "semantic"
 * branch (config `semanticMethod: 'soft-kmeans'`). Every pixel feature x_p (L2-normalised) is
 * softly assigned to K centres by the cosine, sharpened by a temperature tau:
 *
 *   R_pk = softmax_k(x_p . mu_k / tau)        mu_k <- normalize(sum_p R_pk x_p)
 *
 * from K seeded distinct pixels of the image, for a fixed number of iterations; the
 * responsibilities R (rows sum to 1) play the role of NMF's W: K soft part heatmaps. As the
 * paper's NMF, it is solved per image (an image's heatmaps never depend on its batch-mates)
 * and, `detached`, passes no gradient to the encoder. tau -> 0 gives hard k-means on the
 * sphere (spherical k-means); a large tau spreads every pixel evenly.
 * @see notebooks/02-nmf-clustering.ipynb (the NMF branch it replaces)
 */
import { tf, type Tensor3D } from '../core/tf.js';
import { createRng, permutation } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import { stopGradient } from '../core/stop-gradient.js';
import { l2Normalize } from './l2-normalize.js';

/** Soft k-means settings. */
export interface SoftKmeansConfig {
  /** K, the number of centres (heatmaps), integer >= 1 and <= the pixels of an image. */ clusters: number;
  /** Centre updates, integer >= 0 (0: the responsibilities of the seeded start). */ iterations: number;
  /** tau, > 0: the softmax temperature on cosines in [-1, 1]. */ temperature: number;
  /** Seed of the K starting pixels (the same pixels for every image). */ seed: number;
  /** No gradient to the features (as the paper's NMF) or through every update. */ detached: boolean;
}

/** The starting pixels: K distinct indices of n, drawn from `seed`. */
export function softKmeansStart(n: number, k: number, seed: number): Int32Array {
  return permutation(createRng(seed), n, k);
}

// #region softKmeans
/**
 * @param features [B, n, C] float32 pixel features (n = h w, row-major)
 * @returns R [B, n, K] responsibilities (rows sum to 1) and the centres [B, K, C] (unit vectors)
 * @throws InputError for a bad shape or K > n; RangeError for a bad setting
 */
export function softKmeans(features: Tensor3D, c: Readonly<SoftKmeansConfig>): { R: Tensor3D; centres: Tensor3D } {
  if (features.rank !== 3) throw new InputError('softKmeans: features', `expected [B, n, C], got [${features.shape.join(', ')}]`);
  const [, n] = features.shape;
  if (!Number.isInteger(c.clusters) || c.clusters < 1 || c.clusters > n) throw new InputError('softKmeans: clusters', `expected an integer in [1, ${n}] (the pixels of an image), got ${c.clusters}`);
  if (!Number.isInteger(c.iterations) || c.iterations < 0) throw new RangeError(`softKmeans: iterations must be an integer >= 0, got ${c.iterations}`);
  if (!(c.temperature > 0)) throw new RangeError(`softKmeans: temperature must be > 0, got ${c.temperature}`);
  const start = softKmeansStart(n, c.clusters, c.seed);
  const [R, centres] = tf.tidy(() => {
    const x = l2Normalize(c.detached ? stopGradient(features) : features, -1) as Tensor3D; // [B, n, C]
    let mu = tf.gather(x, tf.tensor1d(start, 'int32'), 1) as Tensor3D; // [B, K, C]
    const assign = (m: Tensor3D): Tensor3D => tf.softmax(tf.div(tf.matMul(x, m, false, true), c.temperature), -1) as Tensor3D; // [B, n, K]
    for (let t = 0; t < c.iterations; t++) mu = l2Normalize(tf.matMul(assign(mu), x, true, false), -1) as Tensor3D; // [B, K, C]
    return [assign(mu), mu];
  }) as [Tensor3D, Tensor3D];
  return { R, centres };
}
// #endregion softKmeans

/**
 * Plain float64 soft k-means on one image, the test oracle.
 * @param X [n * C] row-major features (normalised here)
 * @returns R [n * K] and centres [K * C]
 */
export function softKmeansReference(X: ArrayLike<number>, n: number, C: number, c: Readonly<SoftKmeansConfig>): { R: Float64Array; centres: Float64Array } {
  const K = c.clusters;
  const x = new Float64Array(n * C);
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let j = 0; j < C; j++) s += X[p * C + j] ** 2;
    const norm = Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < C; j++) x[p * C + j] = X[p * C + j] / norm;
  }
  const mu = new Float64Array(K * C);
  softKmeansStart(n, K, c.seed).forEach((p, k) => mu.set(x.subarray(p * C, (p + 1) * C), k * C));
  const R = new Float64Array(n * K);
  const assign = (): void => {
    for (let p = 0; p < n; p++) {
      const l = Array.from({ length: K }, (_, k) => { let d = 0; for (let j = 0; j < C; j++) d += x[p * C + j] * mu[k * C + j]; return d / c.temperature; });
      const m = Math.max(...l), e = l.map((v) => Math.exp(v - m)), z = e.reduce((a, b) => a + b, 0);
      for (let k = 0; k < K; k++) R[p * K + k] = e[k] / z;
    }
  };
  for (let t = 0; t < c.iterations; t++) {
    assign();
    mu.fill(0);
    for (let p = 0; p < n; p++) for (let k = 0; k < K; k++) for (let j = 0; j < C; j++) mu[k * C + j] += R[p * K + k] * x[p * C + j];
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < C; j++) s += mu[k * C + j] ** 2;
      const norm = Math.max(Math.sqrt(s), 1e-12);
      for (let j = 0; j < C; j++) mu[k * C + j] /= norm;
    }
  }
  assign();
  return { R, centres: mu };
}
