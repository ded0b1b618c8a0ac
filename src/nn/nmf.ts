/**
 * Non-negative matrix factorisation of encoder feature maps (ModaLink's NMF branch):
 * V = ReLU(features) ~ W H per image, by Lee and Seung's multiplicative updates
 * (NIPS 2000), which never increase the Frobenius loss ||V - W H||^2:
 *
 *   H <- H * (W^T V) / (W^T W H + eps)        W <- W * (V H^T) / (W H H^T + eps)
 *
 * V_b is HW x C (pixels x channels), W_b is HW x K (K soft "part" heatmaps), H_b is K x C.
 *
 * Convention: solved PER IMAGE with batched matmuls, from an initialisation that depends
 * only on the seed and on the image itself, so an image's W does not depend on its
 * batch-mates. ModaLink's released code instead solves one joint problem over the whole
 * batch (a descriptor then depends on the batch); {@link nmfJointReleased} reproduces that
 * quirk only so notebook 02 can show it. The paper puts no gradient through NMF
 * (`detached`); `unrolled` differentiates through every iteration.
 * @see notebooks/02-nmf-clustering.ipynb (issue 4)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D } from '../core/tf.js';
import { createRng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import { booleanField, checkConfigObject, numberFields, oneOfField } from '../core/config-fields.js';
import { assertInt } from '../core/shapes.js';
import { l2Normalize } from './l2-normalize.js';

/** `detached`: the paper (no gradient reaches the encoder through NMF); `unrolled`: differentiable through every update. */
export type NmfMode = 'detached' | 'unrolled';

// #region config
/** NMF settings. */
export interface NmfConfig {
  /** K, the number of factors (heatmaps), integer in [1, 1024]. Paper 16. */
  factors: number;
  /** Multiplicative updates, integer in [0, 10000]. Paper 50. */
  iterations: number;
  /** Added to every update's denominator (no 0/0), > 0. Default 1e-8. */
  epsilon: number;
  /** Seed of the non-negative start (integer). Default 0. */
  seed: number;
  /** Gradient mode. Default 'detached' (paper). */
  mode: NmfMode;
  /** Scale the uniform start per image by sqrt(mean(V_b) / K) (sklearn's 'random' init). Default true. */
  scaleInit: boolean;
}

/** The paper's settings: K = 16, 50 updates, no gradient. */
export const DEFAULT_NMF_CONFIG: Readonly<NmfConfig> = Object.freeze({
  factors: 16, iterations: 50, epsilon: 1e-8, seed: 0, mode: 'detached', scaleInit: true,
});
// #endregion config

/** What callers may pass: any subset of the fields. */
export type NmfConfigInput = Partial<NmfConfig>;

/**
 * Merges `partial` over {@link DEFAULT_NMF_CONFIG} and checks every field.
 * @throws ConfigError naming the field (e.g. `nmf.factors`) for unknown fields or bad values
 */
export function validateNmfConfig(partial: NmfConfigInput = {}): Readonly<NmfConfig> {
  checkConfigObject('nmf', partial, Object.keys(DEFAULT_NMF_CONFIG));
  const c = { ...DEFAULT_NMF_CONFIG, ...partial };
  numberFields('nmf', c, {
    factors: { min: 1, max: 1024, integer: true }, iterations: { min: 0, max: 10000, integer: true },
    seed: { min: -(2 ** 31), max: 2 ** 32 - 1, integer: true }, epsilon: { min: 0, minOpen: true },
  });
  oneOfField('nmf.mode', c.mode, ['detached', 'unrolled']);
  booleanField('nmf.scaleInit', c.scaleInit);
  return Object.freeze(c);
}

/** An explicit starting point, shared by every image: W0 [HW, K] and H0 [K, C], row-major, all >= 0. */
export interface NmfInit {
  W: ArrayLike<number>;
  H: ArrayLike<number>;
}

/** Per-call options (not part of a saved config). */
export interface NmfOptions {
  /** Use this start instead of the seeded one; it is NOT rescaled (`scaleInit` is ignored). */
  init?: NmfInit;
  /** Also return the Frobenius loss after every iteration (costs one V-sized product each). */
  trackLoss?: boolean;
}

/** Result of {@link nmf}: new tensors the caller disposes. */
export interface NmfResult {
  /** [B, HW, K] float32 >= 0, factor loadings per pixel (reshape with {@link nmfHeatmaps}). */
  W: Tensor3D;
  /** [B, K, C] float32 >= 0, factor signatures over channels. */
  H: Tensor3D;
  /** With `trackLoss`: per solved problem, ||V - W H||_F^2 at iterations 0..T (length T + 1). */
  loss?: Float32Array[];
}

/**
 * The seeded start: uniform in [1e-3, 1), the same for every image (so no batch dependence).
 * @returns W0 [n * k] and H0 [k * m], row-major float32
 */
export function nmfInit(n: number, m: number, k: number, seed: number): { W: Float32Array; H: Float32Array } {
  const rng = createRng(seed);
  const W = Float32Array.from({ length: n * k }, () => rng.uniform(1e-3, 1));
  const H = Float32Array.from({ length: k * m }, () => rng.uniform(1e-3, 1));
  return { W, H };
}

// #region solve
/**
 * The multiplicative updates on a batch of independent problems V [B, n, m]: one set of
 * batched matMuls per update for all B images (12 kernels an iteration whatever B, so the
 * time per image falls with B until the products dominate; bench/retrieval.bench.ts).
 * `keepGraph` false (detached NMF): each iteration's intermediates are freed as soon as the
 * next W and H exist, with the same arithmetic (bit-identical results).
 */
function solve(V: Tensor3D, W0: Tensor3D, H0: Tensor3D, iterations: number, eps: number, trackLoss: boolean, keepGraph: boolean): { W: Tensor3D; H: Tensor3D; loss: Tensor2D | null } {
  const frob = (W: Tensor3D, H: Tensor3D): Tensor => tf.tidy(() => tf.sum(tf.squaredDifference(V, tf.matMul(W, H)), [1, 2])); // [B]
  const losses: Tensor[] = trackLoss ? [frob(W0, H0)] : [];
  const e = tf.scalar(eps); // made once, not once per update
  const update = (W: Tensor3D, H: Tensor3D): [Tensor3D, Tensor3D] => {
    const WtV = tf.matMul(W, V, true, false); // [B, K, m]
    const WtWH = tf.matMul(tf.matMul(W, W, true, false), H); // [B, K, K] @ [B, K, m] -> [B, K, m]
    const H1 = tf.div(tf.mul(H, WtV), tf.add(WtWH, e)) as Tensor3D;
    const VHt = tf.matMul(V, H1, false, true); // [B, n, K]
    const WHHt = tf.matMul(W, tf.matMul(H1, H1, false, true)); // [B, n, K] @ [B, K, K] -> [B, n, K]
    return [tf.div(tf.mul(W, VHt), tf.add(WHHt, e)) as Tensor3D, H1];
  };
  let W = W0;
  let H = H0;
  for (let t = 0; t < iterations; t++) {
    if (keepGraph) {
      [W, H] = update(W, H); // unrolled: the backward pass needs every intermediate (the caller's tidy frees them)
    } else {
      const [W1, H1] = tf.tidy(() => update(W, H));
      tf.dispose([W, H]);
      [W, H] = [W1, H1];
    }
    if (trackLoss) losses.push(frob(W, H));
  }
  e.dispose();
  return { W, H, loss: trackLoss ? (tf.stack(losses) as Tensor2D) : null }; // loss [T + 1, B]
}
// #endregion solve

/** Checks features [B, HW, C] and builds the start W0 [B, HW, K], H0 [B, K, C] for V. */
function start(where: string, V: Tensor3D, c: NmfConfig, init: NmfInit | undefined): [Tensor3D, Tensor3D] {
  const [, n, m] = V.shape;
  const k = c.factors;
  if (init !== undefined) {
    if (init.W.length !== n * k) throw new InputError(`${where}: options.init.W`, `expected ${n} x ${k} = ${n * k} values, got ${init.W.length}`);
    if (init.H.length !== k * m) throw new InputError(`${where}: options.init.H`, `expected ${k} x ${m} = ${k * m} values, got ${init.H.length}`);
    for (const [name, a] of [['W', init.W], ['H', init.H]] as const) {
      for (let i = 0; i < a.length; i++) if (!(a[i] >= 0)) throw new InputError(`${where}: options.init.${name}`, `expected values >= 0, got ${a[i]} at ${i}`);
    }
  }
  const u = init ?? nmfInit(n, m, k, c.seed);
  const W0 = tf.tensor3d(Float32Array.from(u.W), [1, n, k]);
  const H0 = tf.tensor3d(Float32Array.from(u.H), [1, k, m]);
  const B = V.shape[0];
  if (init !== undefined || !c.scaleInit) return [tf.tile(W0, [B, 1, 1]), tf.tile(H0, [B, 1, 1])];
  // sklearn's 'random' init scale, per image: sqrt(mean(V_b) / K)
  const s = tf.sqrt(tf.maximum(tf.div(tf.mean(V, [1, 2], true), k), c.epsilon)); // [B, 1, 1]
  return [tf.mul(W0, s), tf.mul(H0, s)]; // [B, n, K], [B, K, m]
}

function checkFeatures(where: string, features: Tensor): void {
  if (features.rank !== 3) throw new InputError(`${where}: features`, `expected rank 3 [B, HW, C], got shape [${features.shape.join(', ')}]`);
  if (features.shape.some((d) => d < 1)) throw new InputError(`${where}: features`, `expected non-empty [B, HW, C], got [${features.shape.join(', ')}]`);
}

/** Packs the result, reading the loss curves (one per problem) out of loss [T + 1, P]. */
function finish(W: Tensor3D, H: Tensor3D, loss: Tensor2D | undefined): NmfResult {
  if (loss === undefined) return { W, H };
  const [T1, P] = loss.shape;
  const flat = loss.dataSync() as Float32Array;
  loss.dispose();
  return { W, H, loss: Array.from({ length: P }, (_, p) => Float32Array.from({ length: T1 }, (_, t) => flat[t * P + p])) };
}

/**
 * A view of x that the gradient tape does not connect to x (tfjs has no stopGradient):
 * a new tensor on the same data, made without recording a kernel (as tf.variable does),
 * so no backward pass runs through what is computed from it.
 */
function detach<T extends Tensor>(x: T): T {
  const view = tf.engine().makeTensorFromDataId(x.dataId, x.shape, x.dtype) as T;
  tf.backend().incRef(x.dataId); // the view holds its own reference to the data
  return view;
}

// #region nmf
/**
 * Factorises ReLU(features) ~ W H independently for every image of the batch.
 * @param features [B, HW, C] float32 encoder features (pixels flattened row-major), unitless
 * @param config K, iterations, epsilon, seed, mode (`detached`: no gradient; `unrolled`: through every update)
 * @param options explicit start, loss tracking
 * @returns W [B, HW, K], H [B, K, C] (new tensors), loss per image when tracked
 */
export function nmf(features: Tensor3D, config: NmfConfigInput = {}, options: NmfOptions = {}): NmfResult {
  const c = validateNmfConfig(config);
  checkFeatures('nmf', features);
  const [W, H, loss] = tf.tidy(() => {
    const x = c.mode === 'detached' ? detach(features) : features;
    const V = tf.relu(x) as Tensor3D; // [B, HW, C]
    const [W0, H0] = start('nmf', V, c, options.init);
    const r = solve(V, W0, H0, c.iterations, c.epsilon, options.trackLoss === true, c.mode === 'unrolled');
    return r.loss ? [r.W, r.H, r.loss] : [r.W, r.H];
  }) as [Tensor3D, Tensor3D, Tensor2D?];
  return finish(W, H, loss);
}
// #endregion nmf

// #region joint
/**
 * THE RELEASED CODE'S QUIRK, for demonstration only: one joint problem over the whole batch
 * (pixels of all images stacked: V is (B HW) x C, one shared H), always without gradient.
 * An image's W then changes with its batch-mates. Use {@link nmf} for anything else.
 * @param features [B, HW, C] float32 encoder features
 * @returns W [B, HW, K], H [B, K, C] (the shared H repeated per image), one loss curve
 */
export function nmfJointReleased(features: Tensor3D, config: NmfConfigInput = {}, options: NmfOptions = {}): NmfResult {
  const c = validateNmfConfig(config);
  checkFeatures('nmfJointReleased', features);
  const [B, n, m] = features.shape;
  const [W, H, loss] = tf.tidy(() => {
    const V = tf.reshape(tf.relu(detach(features)), [1, B * n, m]) as Tensor3D; // [1, B HW, C]
    const [W0, H0] = start('nmfJointReleased', V, c, options.init);
    const r = solve(V, W0, H0, c.iterations, c.epsilon, options.trackLoss === true, false);
    const Wb = tf.reshape(r.W, [B, n, c.factors]); // [B, HW, K]
    const Hb = tf.tile(r.H, [B, 1, 1]); // [B, K, C]
    return r.loss ? [Wb, Hb, r.loss] : [Wb, Hb];
  }) as [Tensor3D, Tensor3D, Tensor2D?];
  return finish(W, H, loss);
}
// #endregion joint

/**
 * Reshapes W into K heatmaps and (by default) L2-normalises every pixel over K, as
 * ModaLink does before its NMF NetVLAD.
 * @param W [B, h * w, K] float32 >= 0 from {@link nmf}
 * @returns [B, h, w, K] float32 (a new tensor)
 */
export function nmfHeatmaps(W: Tensor3D, h: number, w: number, normalize = true): Tensor4D {
  assertInt('nmfHeatmaps: h', h, 1);
  assertInt('nmfHeatmaps: w', w, 1);
  if (W.rank !== 3 || W.shape[1] !== h * w) throw new InputError('nmfHeatmaps: W', `expected [B, ${h} x ${w} = ${h * w}, K], got [${W.shape.join(', ')}]`);
  return tf.tidy(() => {
    const maps = tf.reshape(W, [W.shape[0], h, w, W.shape[2]]) as Tensor4D; // [B, h, w, K]
    return normalize ? l2Normalize(maps, -1) : maps;
  });
}

// #region reference
/**
 * Plain float64 Lee-Seung updates on one matrix, the test oracle and the notebook's
 * from-scratch version (no ReLU: V must already be non-negative).
 * @param V [n * m] row-major, >= 0
 * @param init W0 [n * k], H0 [k * m], row-major, >= 0
 * @returns W [n * k], H [k * m] and the loss ||V - W H||_F^2 at iterations 0..iters
 */
export function nmfReference(V: ArrayLike<number>, n: number, m: number, k: number, iters: number, init: NmfInit, epsilon = 1e-8): { W: Float64Array; H: Float64Array; loss: Float64Array } {
  if (V.length !== n * m) throw new InputError('nmfReference: V', `expected ${n} x ${m} = ${n * m} values, got ${V.length}`);
  if (init.W.length !== n * k || init.H.length !== k * m) throw new InputError('nmfReference: init', `expected W ${n * k} and H ${k * m} values, got ${init.W.length} and ${init.H.length}`);
  for (let i = 0; i < V.length; i++) if (!(V[i] >= 0)) throw new InputError('nmfReference: V', `expected values >= 0, got ${V[i]} at ${i}`);
  const W = Float64Array.from(init.W);
  const H = Float64Array.from(init.H);
  // C = A (r x s) times B (s x t); tA / tB read A / B transposed from their stored shapes
  const mul = (A: Float64Array | ArrayLike<number>, B: Float64Array, r: number, s: number, t: number, tA: boolean, tB: boolean): Float64Array => {
    const C = new Float64Array(r * t);
    for (let i = 0; i < r; i++) for (let j = 0; j < t; j++) {
      let acc = 0;
      for (let l = 0; l < s; l++) acc += (tA ? A[l * r + i] : A[i * s + l]) * (tB ? B[j * s + l] : B[l * t + j]);
      C[i * t + j] = acc;
    }
    return C;
  };
  const frob = (): number => {
    const WH = mul(W, H, n, k, m, false, false);
    let sum = 0;
    for (let i = 0; i < n * m; i++) sum += (V[i] - WH[i]) ** 2;
    return sum;
  };
  const loss = new Float64Array(iters + 1);
  loss[0] = frob();
  for (let t = 0; t < iters; t++) {
    const WtV = mul(W, Float64Array.from(V), k, n, m, true, false); // [k, m]
    const WtWH = mul(mul(W, W, k, n, k, true, false), H, k, k, m, false, false); // [k, m]
    for (let i = 0; i < k * m; i++) H[i] = (H[i] * WtV[i]) / (WtWH[i] + epsilon);
    const VHt = mul(V, H, n, m, k, false, true); // [n, k]
    const WHHt = mul(W, mul(H, H, k, m, k, false, true), n, k, k, false, false); // [n, k]
    for (let i = 0; i < n * k; i++) W[i] = (W[i] * VHt[i]) / (WHHt[i] + epsilon);
    loss[t + 1] = frob();
  }
  return { W, H, loss };
}
// #endregion reference
