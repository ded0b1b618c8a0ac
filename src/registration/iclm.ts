/**
 * ICLM, the implicit-correspondence module of ICL: N_q learnable queries attend to the
 * pixel tokens and to the point tokens inside the (geometric) frustum mask
 * (nn/learnable-queries.ts). The last layer's cross-attention weights are each query's
 * heatmap over pixels and over points; the heatmap-weighted means of pixel centres and of
 * point coordinates are its 2D and 3D keypoints (nn/soft-argmax.ts), the heatmap-weighted
 * tokens its descriptors. Tokens get a learned positional term: a dense map of the pixel
 * centre (u / W, v / H) or of the point's coordinates / coordScaleM.
 *
 * Ablation "without ICLM" (`pooled: true`): the token projections stay, the learnable
 * queries go. The output is ONE pooled "query" (Q = 1): descriptors2d = the mean of the pixel
 * tokens, descriptors3d = the mask-weighted mean of the point tokens, keypoints2d = the mean
 * pixel centre, keypoints3d = the mask-weighted mean point (an empty mask gives zeros, not
 * NaN), queries = zeros (there is no query feature), and no heatmaps (empty weight lists).
 *
 * Convention: keypoints2d are in pixels of the INPUT image (pixel centres at integers): the
 * centre of feature cell (j, i) of stride s is (s (j + 0.5) - 0.5, s (i + 0.5) - 0.5).
 * @see notebooks/04-attention-queries.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../core/tf.js';
import type { Rng } from '../core/rng.js';
import { assertShape } from '../core/shapes.js';
import { createDense } from '../nn/mlp.js';
import { createLearnableQueries } from '../nn/learnable-queries.js';
import { pixelGrid, softKeypoints2d, softKeypoints3d } from '../nn/soft-argmax.js';

/** Sizes of an {@link Iclm}. */
export interface IclmSizes {
  pixelDim: number; pointDim: number; dModel: number; numQueries: number; layers: number; heads: number;
  ffnHidden: number; coordScaleM: number; seed: number;
  /** Ablation: no learnable queries, one pooled "query" instead (see the module doc). Default false. */
  pooled?: boolean;
}

/** What {@link Iclm.apply} returns. */
export type IclmOutput = {
  /** [B, Q, d] final query features (Q = 1 and zeros when pooled). */
  queries: Tensor3D;
  /** [B, Q, 2] (u, v) pixels of the input image. */
  keypoints2d: Tensor3D;
  /** [B, Q, 3] metres, cloud frame. */
  keypoints3d: Tensor3D;
  /** [B, Q, d] heatmap-weighted pixel tokens. */
  descriptors2d: Tensor3D;
  /** [B, Q, d] heatmap-weighted point tokens. */
  descriptors3d: Tensor3D;
  /** Per layer, [B, Q, h * w] heatmaps over the feature grid (row-major); empty when pooled. */
  pixelWeights: Tensor3D[];
  /** Per layer, [B, Q, N] heatmaps over points (0 outside the mask); empty when pooled. */
  pointWeights: Tensor3D[];
};

/** The ICLM with its own variables. */
export interface Iclm {
  /**
   * @param pixelFeatures [B, h, w, pixelDim] float32 per-pixel features (stride = imageWidth / w)
   * @param pointFeatures [B, N, pointDim] float32
   * @param points [B, N, 3] float32 metres, cloud frame
   * @param mask [B, N] float32 1 = point in the (predicted) frustum
   * @param imageWidth W of the input image, pixels
   * @param imageHeight H of the input image, pixels
   */
  apply(pixelFeatures: Tensor4D, pointFeatures: Tensor3D, points: Tensor3D, mask: Tensor2D, imageWidth: number, imageHeight: number): IclmOutput;
  readonly trainableVariables: Variable[];
  dispose(): void;
}

// #region createIclm
/** Builds the token projections and the query decoder. */
export function createIclm(s: IclmSizes, rng: Rng): Iclm {
  const d = s.dModel;
  const pixIn = createDense(s.pixelDim, d, rng), pixPos = createDense(2, d, rng);
  const ptIn = createDense(s.pointDim, d, rng), ptPos = createDense(3, d, rng);
  const decoder = s.pooled ? null : createLearnableQueries({ numQueries: s.numQueries, layers: s.layers, heads: s.heads, dModel: d, ffnHidden: s.ffnHidden, seed: s.seed });
  const parts = [pixIn, pixPos, ptIn, ptPos];
  return {
    trainableVariables: [...parts.flatMap((p) => p.trainableVariables), ...(decoder?.trainableVariables ?? [])],
    apply(pixelFeatures, pointFeatures, points, mask, W, H) {
      const [B, h, w] = pixelFeatures.shape;
      const N = pointFeatures.shape[1];
      assertShape('iclm: points', points.shape, [B, N, 3]);
      assertShape('iclm: mask', mask.shape, [B, N]);
      return tf.tidy(() => {
        const grid = pixelGrid(w, h); // [hw, 2] feature-cell indices (j, i)
        const sx = W / w, sy = H / h;
        const centres = tf.sub(tf.mul(tf.add(grid, 0.5), tf.tensor1d([sx, sy])), 0.5); // [hw, 2] input pixels
        const pos = pixPos.apply(tf.div(centres, tf.tensor1d([W, H]))); // [hw, d]
        const pix = tf.add(pixIn.apply(tf.reshape(pixelFeatures, [B, h * w, -1])), pos) as Tensor3D; // [B, hw, d]
        const pts = tf.add(ptIn.apply(pointFeatures), ptPos.apply(tf.div(points, s.coordScaleM))) as Tensor3D; // [B, N, d]
        if (!decoder) return pooledOutput(pix, pts, centres, points, mask);
        const r = decoder.apply(pix, pts, mask);
        const hp = r.pixelWeights[r.pixelWeights.length - 1], hq = r.pointWeights[r.pointWeights.length - 1]; // [B, Q, hw], [B, Q, N]
        const cell = softKeypoints2d(hp, w, h); // [B, Q, 2] cell coordinates
        const keypoints2d = tf.sub(tf.mul(tf.add(cell, 0.5), tf.tensor1d([sx, sy])), 0.5) as Tensor3D; // [B, Q, 2] pixels
        return {
          queries: r.queries, keypoints2d, keypoints3d: softKeypoints3d(hq, points),
          descriptors2d: tf.matMul(hp, pix) as Tensor3D, descriptors3d: tf.matMul(hq, pts) as Tensor3D, // [B, Q, d]
          pixelWeights: r.pixelWeights, pointWeights: r.pointWeights,
        } as unknown as Record<string, Tensor>;
      }) as unknown as IclmOutput;
    },
    dispose: () => { parts.forEach((p) => p.dispose()); decoder?.dispose(); },
  };
}
// #endregion createIclm

// #region pooledOutput
/**
 * The "without ICLM" output: one pooled query per pair (see the module doc).
 * @param pix [B, hw, d] pixel tokens; pts [B, N, d] point tokens
 * @param centres [hw, 2] pixel centres of the feature cells, input pixels
 * @param points [B, N, 3] metres, cloud frame; mask [B, N] float32 0/1
 */
function pooledOutput(pix: Tensor3D, pts: Tensor3D, centres: Tensor, points: Tensor3D, mask: Tensor2D): Record<string, Tensor | Tensor[]> {
  const [B, , d] = pix.shape;
  const w = tf.expandDims(tf.div(mask, tf.maximum(tf.sum(mask, 1, true), 1)), 1) as Tensor3D; // [B, 1, N] sums to 1 (or 0)
  return {
    queries: tf.zeros([B, 1, d]), // [B, 1, d]
    keypoints2d: tf.tile(tf.reshape(tf.mean(centres, 0), [1, 1, 2]), [B, 1, 1]), // [B, 1, 2] pixels
    keypoints3d: tf.matMul(w, points), // [B, 1, 3] metres
    descriptors2d: tf.mean(pix, 1, true), descriptors3d: tf.matMul(w, pts), // [B, 1, d]
    pixelWeights: [], pointWeights: [],
  };
}
// #endregion pooledOutput
