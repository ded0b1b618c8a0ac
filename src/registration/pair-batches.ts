/**
 * Batches of image / point-cloud pairs as tensors for the registration model, with a cache
 * of the deterministic part of each pair (data/pairs' loadPairSource: image resize, voxel
 * grid) so every epoch only crops, subsamples and perturbs.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor2D, type Tensor3D, type Tensor4D } from '../core/tf.js';
import type { Rng } from '../core/rng.js';
import { PairDataset } from '../data/pairs/pair-dataset.js';
import { loadPairSource, pairFromSource, type ImagePointPair, type PairSource } from '../data/pairs/build-pair.js';
import type { KittiColorCamera, KittiSequence } from '../data/kitti/odometry-sequence.js';
import type { PairConfig, PairSplit } from '../data/pairs/index.js';

/** A batch: the model input and its ground truth (caller disposes the tensors). */
export interface PairBatch {
  /** [B, H, W, 3] RGB in [0, 1]. */ image: Tensor4D;
  /** [B, N, 3] metres, perturbed cloud frame. */ points: Tensor3D;
  /** [B, 3, 3] pixels. */ K: Tensor3D;
  /** [B, 4, 4] ground-truth camFromPoints. */ camFromPoints: Tensor3D;
  /** [B, N] 0/1 ground-truth in-frustum labels. */ inFrustum: Tensor2D;
  /** [B, 3] metres, camera frame: each pair's LiDAR origin (rig calibration). */ lidarOrigin: Tensor2D;
  /** The pairs themselves (typed arrays). */ pairs: ImagePointPair[];
}

/** A split's pairs with a source cache. */
export interface PairSourceCache {
  readonly dataset: PairDataset;
  /** Builds pair i (train pairs draw from rng; test pairs use their fixed seed). */
  pair(i: number, rng?: Rng): ImagePointPair;
}

// #region createPairSourceCache
/**
 * @param root KITTI-layout root (real or synthetic)
 * @param config pair config
 * @param split 'train' or 'test'
 */
export function createPairSourceCache(root: string, config: Readonly<PairConfig>, split: PairSplit): PairSourceCache {
  const dataset = new PairDataset(root, config, split);
  const cache = new Map<string, PairSource>();
  const load = (s: KittiSequence, frame: number, camera: KittiColorCamera): PairSource => {
    const key = `${s.id}/${frame}/${camera}`;
    let src = cache.get(key);
    if (!src) { src = loadPairSource(s, frame, camera, config, dataset.sourceScale); cache.set(key, src); }
    return src;
  };
  return {
    dataset,
    pair: (i, rng) => pairFromSource(dataset.pairSource(i, rng, load), config, rng, { split }),
  };
}
// #endregion createPairSourceCache

// #region stackPairs
/** Stacks pairs (same crop size and point count) into tensors. */
export function stackPairs(pairs: ImagePointPair[]): PairBatch {
  const B = pairs.length, { width: W, height: H } = pairs[0], N = pairs[0].points.length / 3;
  const cat = (get: (p: ImagePointPair) => ArrayLike<number>, per: number): Float32Array => {
    const out = new Float32Array(B * per);
    pairs.forEach((p, b) => out.set(get(p), b * per));
    return out;
  };
  return {
    image: tf.tensor4d(cat((p) => p.image, H * W * 3), [B, H, W, 3]),
    points: tf.tensor3d(cat((p) => p.points, N * 3), [B, N, 3]),
    K: tf.tensor3d(cat((p) => p.K, 9), [B, 3, 3]),
    camFromPoints: tf.tensor3d(cat((p) => p.camFromPoints, 16), [B, 4, 4]),
    inFrustum: tf.tensor2d(cat((p) => p.inFrustum, N), [B, N]),
    lidarOrigin: tf.tensor2d(cat((p) => p.lidarOriginCam, 3), [B, 3]),
    pairs,
  };
}
// #endregion stackPairs

/** Disposes a batch's tensors. */
export function disposeBatch(b: PairBatch): void {
  tf.dispose([b.image, b.points, b.K, b.camFromPoints, b.inFrustum, b.lidarOrigin]);
}

/**
 * Builds the batch of training pairs `indices` (drawing crops, subsamples and perturbations
 * from `rng`, in index order), runs `fn` on it and disposes it, also when `fn` throws: a
 * training step of the registration models on the training core's item indices.
 */
export function withPairBatch<R>(data: PairSourceCache, indices: readonly number[], rng: Rng, fn: (batch: PairBatch) => R): R {
  const batch = stackPairs(indices.map((i) => data.pair(i, rng)));
  try { return fn(batch); } finally { disposeBatch(batch); }
}
