/**
 * k-means on typed arrays: seeded k-means++ start (Arthur and Vassilvitskii, SODA 2007),
 * then Lloyd iterations. Used to initialise NetVLAD's centroids from encoder features
 * (the released ModaLink code loads them from a file it does not ship) and in notebook 02
 * to compare NMF's assignments with k-means'.
 *
 * Plain JS in float64 accumulators: N x K x D multiply-adds per iteration (20 000 features,
 * 64 clusters, 256 dims: about 0.3 s per iteration on one core). An empty cluster is
 * re-seeded with the point farthest from its centroid, so the result always has K centroids.
 * @see notebooks/02-nmf-clustering.ipynb (issue 4)
 */
import { InputError } from '../core/errors.js';
import { checkConfigObject, numberFields } from '../core/config-fields.js';
import { assertInt } from '../core/shapes.js';
import type { Rng } from '../core/rng.js';

// #region config
/** k-means settings. */
export interface KMeansConfig {
  /** Most Lloyd iterations, integer in [0, 10000]. Default 50. */
  iterations: number;
  /** Stop when the inertia falls by less than this fraction in one iteration, >= 0. Default 1e-6. */
  tolerance: number;
}

/** Defaults: up to 50 Lloyd iterations, relative tolerance 1e-6. */
export const DEFAULT_KMEANS_CONFIG: Readonly<KMeansConfig> = Object.freeze({ iterations: 50, tolerance: 1e-6 });
// #endregion config

/**
 * Merges `partial` over {@link DEFAULT_KMEANS_CONFIG} and checks it.
 * @throws ConfigError naming the field (`kmeans.iterations`, `kmeans.tolerance`)
 */
export function validateKMeansConfig(partial: Partial<KMeansConfig> = {}): Readonly<KMeansConfig> {
  checkConfigObject('kmeans', partial, Object.keys(DEFAULT_KMEANS_CONFIG));
  const c = { ...DEFAULT_KMEANS_CONFIG, ...partial };
  numberFields('kmeans', c, { iterations: { min: 0, max: 10000, integer: true }, tolerance: { min: 0 } });
  return Object.freeze(c);
}

/** Result of {@link kmeans}. */
export interface KMeansResult {
  /** [K * D] row-major float32 centroids. */
  centroids: Float32Array;
  /** [N] cluster of every point. */
  assignments: Int32Array;
  /** Sum of squared distances of the points to their centroids. */
  inertia: number;
  /** Lloyd iterations run. */
  iterations: number;
}

function sqDist(x: ArrayLike<number>, i: number, c: ArrayLike<number>, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) { const e = x[i * d + t] - c[j * d + t]; s += e * e; }
  return s;
}

// #region kmeans
/**
 * Clusters N points of dimension D into K groups.
 * @param data [N * D] row-major points, any unit
 * @param n N, number of points (>= K)
 * @param d D, dimension
 * @param k K, number of clusters
 * @param rng seeded source of the k-means++ draws (same seed, same result)
 * @returns centroids [K * D], assignments [N], inertia, iterations run
 */
export function kmeans(data: ArrayLike<number>, n: number, d: number, k: number, rng: Rng, config: Partial<KMeansConfig> = {}): KMeansResult {
  const c = validateKMeansConfig(config);
  assertInt('kmeans: d', d, 1);
  assertInt('kmeans: k', k, 1);
  assertInt('kmeans: n', n, k);
  if (data.length !== n * d) throw new InputError('kmeans: data', `expected ${n} x ${d} = ${n * d} values, got ${data.length}`);
  const centroids = new Float32Array(k * d);
  // k-means++: first centre uniform, then each next with probability proportional to D(x)^2
  const best = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) centroids[j * d + t] = data[pick * d + t];
    let total = 0;
    for (let i = 0; i < n; i++) { best[i] = Math.min(best[i], sqDist(data, i, centroids, j, d)); total += best[i]; }
    if (j === k - 1) break;
    let r = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) { r -= best[i]; if (r < 0) { pick = i; break; } }
  }
  const assignments = new Int32Array(n);
  const dist = new Float64Array(n);
  let inertia = Infinity;
  let iterations = 0;
  const assign = (): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let bj = 0, bd = Infinity;
      for (let j = 0; j < k; j++) { const e = sqDist(data, i, centroids, j, d); if (e < bd) { bd = e; bj = j; } }
      assignments[i] = bj; dist[i] = bd; sum += bd;
    }
    return sum;
  };
  inertia = assign();
  for (let it = 0; it < c.iterations; it++) {
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const j = assignments[i];
      counts[j]++;
      for (let t = 0; t < d; t++) sums[j * d + t] += data[i * d + t];
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // empty cluster: take the point farthest from its centroid (deterministic)
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        for (let t = 0; t < d; t++) centroids[j * d + t] = data[far * d + t];
        dist[far] = 0;
      } else {
        for (let t = 0; t < d; t++) centroids[j * d + t] = sums[j * d + t] / counts[j];
      }
    }
    const next = assign();
    iterations = it + 1;
    const drop = inertia - next;
    inertia = next;
    if (drop <= c.tolerance * inertia) break;
  }
  return { centroids, assignments, inertia, iterations };
}
// #endregion kmeans
