/**
 * NetVLAD pooling (Arandjelović et al., CVPR 2016): a soft assignment of every local
 * feature to K centroids, the sum of residuals (x - c_k) per centroid, intra-normalisation
 * of each centroid's block, then a global L2 normalisation: [B, h, w, D] -> [B, K D].
 *
 * The soft assignment is a 1x1 convolution (here a matmul) with weight w_k = 2 alpha c_k
 * and bias b_k = -alpha ||c_k||^2, followed by a softmax over K: for unit-norm features it
 * equals softmax_k(-alpha ||x - c_k||^2). As in the paper, centroids, weights and biases
 * start coupled and are then trained as separate variables.
 *
 * Convention: ModaLink's main NetVLAD has K = 64, D = 256 (16384-d); its NMF NetVLAD
 * K = 64, D = 16 (1024-d). Centroids come from k-means on encoder features
 * ({@link NetVlad.initFromFeatures}); before that they are random unit vectors.
 * @see notebooks/03-place-recognition.ipynb (issue 4)
 */
import { tf, type Tensor2D, type Tensor4D, type Variable } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { booleanField, checkConfigObject, numberFields } from '../core/config-fields.js';
import { createRng, type Rng } from '../core/rng.js';
import { l2Normalize } from './l2-normalize.js';
import { kmeans, type KMeansConfig, type KMeansResult } from './kmeans.js';

// #region config
/** NetVLAD settings. */
export interface NetVladConfig {
  /** K, number of centroids, integer in [1, 4096]. ModaLink 64. */
  clusters: number;
  /** D, dimension of the local features, integer in [1, 65536]. ModaLink 256 (main) or the NMF K (16). */
  dim: number;
  /** Sharpness of the soft assignment, > 0. Default 100 (pytorch-NetVlad's default, for unit-norm features). */
  alpha: number;
  /** L2-normalise every local feature before pooling (and before k-means). Default true. */
  normalizeInput: boolean;
  /** Floor of every norm in the normalisations, > 0. Default 1e-12. */
  epsilon: number;
  /** Seed of the random start of the centroids (before k-means). Default 0. */
  seed: number;
}

/** ModaLink's main NetVLAD: 64 x 256, alpha 100. */
export const DEFAULT_NETVLAD_CONFIG: Readonly<NetVladConfig> = Object.freeze({
  clusters: 64, dim: 256, alpha: 100, normalizeInput: true, epsilon: 1e-12, seed: 0,
});
// #endregion config

/**
 * Merges `partial` over {@link DEFAULT_NETVLAD_CONFIG} and checks every field.
 * @throws ConfigError naming the field (e.g. `netvlad.alpha`)
 */
export function validateNetVladConfig(partial: Partial<NetVladConfig> = {}): Readonly<NetVladConfig> {
  checkConfigObject('netvlad', partial, Object.keys(DEFAULT_NETVLAD_CONFIG));
  const c = { ...DEFAULT_NETVLAD_CONFIG, ...partial };
  numberFields('netvlad', c, {
    clusters: { min: 1, max: 4096, integer: true }, dim: { min: 1, max: 65536, integer: true },
    seed: { min: -(2 ** 31), max: 2 ** 32 - 1, integer: true }, alpha: { min: 0, minOpen: true }, epsilon: { min: 0, minOpen: true },
  });
  booleanField('netvlad.normalizeInput', c.normalizeInput);
  return Object.freeze(c);
}

/** A NetVLAD layer: trainable variables and the pooling function. */
export interface NetVlad {
  readonly config: Readonly<NetVladConfig>;
  /** [K, D] float32 centroids c_k (residuals are taken against these). */
  readonly centroids: Variable;
  /** [D, K] float32 assignment weights (1x1 conv), initially 2 alpha c^T. */
  readonly weight: Variable;
  /** [K] float32 assignment biases, initially -alpha ||c_k||^2. */
  readonly bias: Variable;
  /** centroids, weight, bias: what an optimizer trains. */
  readonly trainableVariables: Variable[];
  /**
   * Pools local features into one descriptor per image.
   * @param x [B, h, w, D] float32 local features (unitless)
   * @returns [B, K * D] float32, unit L2 norm per row; block k (D values) is intra-normalised
   */
  apply(x: Tensor4D): Tensor2D;
  /** Sets the centroids [K * D] and the coupled weight and bias (from alpha). */
  setCentroids(centroids: ArrayLike<number>): void;
  /**
   * Centroids by k-means (k-means++ start from `rng`) on a sample of local features.
   * @param features [N, D] float32 (tensor or row-major values), N >= K; normalised first when `normalizeInput`
   * @returns the k-means result (centroids, assignments, inertia)
   */
  initFromFeatures(features: Tensor2D | ArrayLike<number>, rng: Rng, kmeansConfig?: Partial<KMeansConfig>): KMeansResult;
  /** Frees the variables. */
  dispose(): void;
}

// #region netvlad
/**
 * Makes a NetVLAD layer with seeded random unit centroids.
 * @param config K, D, alpha, input normalisation, seed
 * @returns a {@link NetVlad}; call `initFromFeatures` for k-means centroids, `dispose` when done
 */
export function createNetVlad(config: Partial<NetVladConfig> = {}): NetVlad {
  const c = validateNetVladConfig(config);
  const { clusters: K, dim: D } = c;
  const rng = createRng(c.seed);
  const start = Float32Array.from({ length: K * D }, () => rng.normal());
  // inside tidy: the zero start tensors are freed, the variables (not tracked by tidy) stay
  const [centroids, weight, bias] = tf.tidy(() => [tf.variable(tf.zeros([K, D])), tf.variable(tf.zeros([D, K])), tf.variable(tf.zeros([K]))]) as Variable[];

  const setCentroids = (values: ArrayLike<number>): void => {
    if (values.length !== K * D) throw new InputError('NetVlad.setCentroids: centroids', `expected ${K} x ${D} = ${K * D} values, got ${values.length}`);
    tf.tidy(() => {
      const cT = tf.tensor2d(Float32Array.from(values), [K, D]);
      centroids.assign(cT);
      weight.assign(tf.mul(tf.transpose(cT), 2 * c.alpha)); // [D, K]
      bias.assign(tf.mul(tf.sum(tf.square(cT), 1), -c.alpha)); // [K]
    });
  };
  const unit = tf.tidy(() => l2Normalize(tf.tensor2d(start, [K, D]), -1, c.epsilon));
  setCentroids(unit.dataSync());
  unit.dispose();

  const apply = (x: Tensor4D): Tensor2D => {
    if (x.rank !== 4 || x.shape[3] !== D) throw new InputError('NetVlad.apply: x', `expected [B, h, w, ${D}], got [${x.shape.join(', ')}]`);
    const [B, h, w] = x.shape;
    return tf.tidy(() => {
      const xn = c.normalizeInput ? l2Normalize(x, -1, c.epsilon) : x;
      const X = tf.reshape(xn, [B, h * w, D]); // [B, N, D]
      // the 1x1 conv as one 2-D matmul (tfjs's batched-matmul gradient does not reduce a broadcast weight)
      const logits = tf.add(tf.matMul(tf.reshape(xn, [B * h * w, D]), weight), bias); // [B N, K]
      const a = tf.softmax(tf.reshape(logits, [B, h * w, K])); // [B, N, K]
      const aSum = tf.expandDims(tf.sum(a, 1), 2); // [B, K, 1]
      const vlad = tf.sub(tf.matMul(a, X, true, false), tf.mul(aSum, centroids)); // [B, K, D]
      const intra = l2Normalize(vlad, -1, c.epsilon); // [B, K, D]
      return l2Normalize(tf.reshape(intra, [B, K * D]), -1, c.epsilon) as Tensor2D; // [B, K D]
    });
  };

  const initFromFeatures = (features: Tensor2D | ArrayLike<number>, krng: Rng, kmeansConfig: Partial<KMeansConfig> = {}): KMeansResult => {
    let values: Float32Array;
    if (features instanceof tf.Tensor) {
      if (features.rank !== 2 || features.shape[1] !== D) throw new InputError('NetVlad.initFromFeatures: features', `expected [N, ${D}], got [${features.shape.join(', ')}]`);
      values = features.dataSync() as Float32Array;
    } else {
      if (features.length % D !== 0) throw new InputError('NetVlad.initFromFeatures: features', `expected N x ${D} values, got ${features.length}`);
      values = Float32Array.from(features);
    }
    const n = values.length / D;
    if (c.normalizeInput) {
      values = Float32Array.from(values);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let t = 0; t < D; t++) s += values[i * D + t] ** 2;
        const inv = 1 / Math.max(Math.sqrt(s), c.epsilon);
        for (let t = 0; t < D; t++) values[i * D + t] *= inv;
      }
    }
    const r = kmeans(values, n, D, K, krng, kmeansConfig);
    setCentroids(r.centroids);
    return r;
  };

  const vars = [centroids, weight, bias];
  return {
    config: c, centroids, weight, bias, trainableVariables: vars,
    apply, setCentroids, initFromFeatures,
    dispose: () => { for (const v of vars) v.dispose(); },
  };
}
// #endregion netvlad
