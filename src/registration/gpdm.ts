/**
 * GPDM, the geometry-prior module of ICL: which points lie in the camera frustum, and the
 * frustum pose. Per point, an MLP on [point feature, coordinates / coordScaleM] plus the
 * projected image global feature gives an in-frustum logit. The probabilities weight a
 * pooled point feature and a centroid; an MLP on [pooled, centroid, image global] regresses
 * the frustum pose. Head 'yaw' (ICL's released code): a heading direction (d0, d1), normalised,
 * with R = rotation about the camera's vertical axis whose (R[2][0], R[0][0]) = (d0, d1), and
 * the camera centre on the ground plane (x, z; y = 0). Head '6d': a general rotation (6D,
 * Gram-Schmidt) and a 3D centre. Either centre is an offset from the weighted centroid
 * (coordScaleM units), and t = -R c. With `detach` (the released code) the pose MLP reads its
 * inputs with the gradient cut, so the pose loss trains the pose MLP alone. The overlap mask
 * used by ICLM is then geometric: {@link geometricMask} projects the points with that pose and K.
 *
 * Convention: frustumPose is camFromPoints (perturbed cloud -> camera), 4x4 row-major, as the
 * pairs' ground truth.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../core/tf.js';
import type { Rng } from '../core/rng.js';
import { assertShape } from '../core/shapes.js';
import { stopGradient, untaped } from '../core/stop-gradient.js';
import { createDense, createLayerNorm } from '../nn/mlp.js';
import { createMultiHeadAttention } from '../nn/attention.js';
import { threeNnInterpolate } from '../nn/point-ops.js';
import { pixelGrid } from '../nn/soft-argmax.js';
import { rotation6dToMatrixTf } from '../geometry/rotation-6d-tf.js';
import { fromRtTf } from '../geometry/se3-tf.js';
import { projectPointsTf } from '../geometry/projection-tf.js';

/** Sizes of a {@link Gpdm}. */
export interface GpdmSizes {
  pointDim: number; imageGlobalDim: number; hidden: number; coordScaleM: number;
  /** Frustum-pose head: 'yaw' (4 outputs) or '6d' (9 outputs); see the file note. Default '6d'. */
  head?: 'yaw' | '6d';
  /** Cut the gradient into the pose MLP's inputs (the released code). Default false. */
  detach?: boolean;
  /**
   * How the image reaches the classifier. 'global' (default): the image summary vector is added to
   * every point. 'attention': the points of a coarse SA level (the `coarse` input) attend to the
   * pixel tokens (cross-attention, `heads` heads, with a learned term of the pixel centre), and the
   * result is interpolated back to every point (three nearest coarse points): a point can look for
   * the image content that matches its neighbourhood (DeepI2P / CorrI2P fuse per point too).
   */
  fusion?: 'global' | 'attention';
  /** 'attention': channels of the coarse level's features and of the pixel tokens, and the heads. */
  coarseDim?: number; pixelDim?: number; heads?: number;
}

/** What GPDM's 'attention' fusion reads besides the per-point inputs. */
export interface GpdmFusionInput {
  /** [B, M, 3] metres, cloud frame: the coarse level's points. */ coarseXyz: Tensor3D;
  /** [B, M, coarseDim] their features. */ coarseFeatures: Tensor3D;
  /** [B, h, w, pixelDim] per-pixel image features. */ pixelFeatures: Tensor4D;
  /** Input image size, pixels (for the pixel centres). */ width: number; height: number;
}

/** What {@link Gpdm.apply} returns (a type alias so tf.tidy can return it). */
export type GpdmOutput = {
  /** [B, N] float32 in-frustum logits. */
  logits: Tensor2D;
  /** [B, 3] float32 probability-weighted centroid of the points, metres, cloud frame. */
  centroid: Tensor2D;
  /** [B, 4, 4] float32 frustum pose camFromPoints. */
  pose: Tensor3D;
};

/** The GPDM heads with their own variables. */
export interface Gpdm {
  /**
   * @param pointFeatures [B, N, pointDim] float32 per-point features
   * @param imageGlobal [B, imageGlobalDim] float32 global image feature
   * @param points [B, N, 3] float32 metres, cloud frame
   * @param fusion required with fusion 'attention' (see {@link GpdmFusionInput})
   */
  apply(pointFeatures: Tensor3D, imageGlobal: Tensor2D, points: Tensor3D, fusion?: GpdmFusionInput): GpdmOutput;
  readonly trainableVariables: Variable[];
  dispose(): void;
}

const IDENTITY_6D = [1, 0, 0, 0, 1, 0];

// #region yawHead
/**
 * The released code's frustum head: out[:, 0:2] + (0, 1) is the heading direction (d0, d1),
 * normalised, so an untrained head (out = 0) gives the identity; out[:, 2:4] is the centre's
 * (x, z) offset. R = [[d1, 0, -d0], [0, 1, 0], [d0, 0, d1]], a rotation about the camera's
 * vertical (y) axis by theta with (cos, sin) = (d1, -d0), so (R[2][0], R[0][0]) = (d0, d1).
 * @param out [B, 4] float32 head output
 * @returns R [B, 3, 3]; offset [B, 3] (x, 0, z), coordScaleM units
 */
export function yawHead(out: Tensor2D): { R: Tensor3D; offset: Tensor2D } {
  const B = out.shape[0];
  assertShape('yawHead: out', out.shape, [B, 4]);
  return tf.tidy(() => {
    const raw = tf.add(tf.slice(out, [0, 0], [B, 2]), tf.tensor2d([[0, 1]])); // [B, 2]
    const d = tf.div(raw, tf.sqrt(tf.add(tf.sum(tf.square(raw), 1, true), 1e-12))); // [B, 2] unit
    const [d0, d1] = tf.split(d, 2, 1); // [B, 1] each
    const z = tf.zerosLike(d0), o = tf.onesLike(d0);
    const R = tf.reshape(tf.concat([d1, z, tf.neg(d0), z, o, z, d0, z, d1], 1), [B, 3, 3]) as Tensor3D;
    const [ox, oz] = tf.split(tf.slice(out, [0, 2], [B, 2]), 2, 1);
    return { R, offset: tf.concat([ox, z, oz], 1) as Tensor2D };
  });
}
// #endregion yawHead

// #region createGpdm
/** Builds the GPDM heads (Glorot dense layers from `rng`). */
export function createGpdm(s: GpdmSizes, rng: Rng): Gpdm {
  const h = s.hidden;
  const inPoint = createDense(s.pointDim + 3, h, rng), inImage = createDense(s.imageGlobalDim, h, rng);
  const norm = createLayerNorm(h), mid = createDense(h, h, rng), cls = createDense(h, 1, rng);
  const yaw = s.head === 'yaw', cut = <T extends Tensor>(x: T): T => (s.detach ? stopGradient(x) : x);
  const pose1 = createDense(h + 3 + h, h, rng), pose2 = createDense(h, h, rng), poseOut = createDense(h, yaw ? 4 : 9, rng);
  // 'attention' fusion: created after the rest, so the 'global' variables keep their names, order and initial values
  const att = s.fusion === 'attention' ? {
    q: createDense((s.coarseDim ?? 0) + 3, h, rng), kv: createDense(s.pixelDim ?? 0, h, rng), pos: createDense(2, h, rng),
    mha: createMultiHeadAttention({ dModel: h, heads: s.heads ?? 4, seed: rng.int(0x7fffffff) }), norm: createLayerNorm(h), out: createDense(h, h, rng),
  } : null;
  const parts = [inPoint, inImage, norm, mid, cls, pose1, pose2, poseOut, ...(att ? [att.q, att.kv, att.pos, att.mha, att.norm, att.out] : [])];
  return {
    trainableVariables: parts.flatMap((p) => p.trainableVariables),
    apply(pointFeatures, imageGlobal, points, fusion) {
      const [B, N] = pointFeatures.shape;
      assertShape('gpdm: points', points.shape, [B, N, 3]);
      assertShape('gpdm: imageGlobal', imageGlobal.shape, [B, s.imageGlobalDim]);
      if (att && !fusion) throw new Error("gpdm: fusion 'attention' needs the coarse level and the pixel features");
      return tf.tidy(() => {
        const xyz = tf.div(points, s.coordScaleM); // [B, N, 3]
        const g = tf.reshape(inImage.apply(imageGlobal), [B, 1, h]); // [B, 1, h]
        let pre = tf.add(inPoint.apply(tf.concat([pointFeatures, xyz], 2)), g); // [B, N, h]
        if (att && fusion) {
          const [, fh, fw] = fusion.pixelFeatures.shape;
          const grid = pixelGrid(fw, fh); // [hw, 2] cell indices (j, i)
          const centres = tf.sub(tf.mul(tf.add(grid, 0.5), tf.tensor1d([fusion.width / fw, fusion.height / fh])), 0.5); // [hw, 2] input pixels
          const kv = tf.add(att.kv.apply(tf.reshape(fusion.pixelFeatures, [B, fh * fw, -1])), att.pos.apply(tf.div(centres, tf.tensor1d([fusion.width, fusion.height])))) as Tensor3D; // [B, hw, h]
          const q = att.q.apply(tf.concat([fusion.coarseFeatures, tf.div(fusion.coarseXyz, s.coordScaleM)], 2)) as Tensor3D; // [B, M, h]
          const a = att.mha.apply(q, kv); // out [B, M, h]
          const fused = att.norm.apply(tf.add(q, a.out)) as Tensor3D; // [B, M, h]
          pre = tf.add(pre, att.out.apply(threeNnInterpolate(points, fusion.coarseXyz, fused))); // [B, N, h]
        }
        const f = tf.relu(norm.apply(pre)); // [B, N, h]
        const hid = tf.relu(mid.apply(f)) as Tensor3D; // [B, N, h]
        const logits = tf.reshape(cls.apply(hid), [B, N]) as Tensor2D; // [B, N]
        const p = cut(tf.sigmoid(logits));
        const w = tf.expandDims(tf.div(p, tf.add(tf.sum(p, 1, true), 1e-6)), 1) as Tensor3D; // [B, 1, N]
        const pooled = tf.reshape(tf.matMul(w, cut(hid)), [B, h]); // [B, h]
        const centroid = tf.reshape(tf.matMul(w, points), [B, 3]) as Tensor2D; // [B, 3] metres
        const x = tf.concat([pooled, tf.div(centroid, s.coordScaleM), cut(tf.reshape(g, [B, h]))], 1); // [B, 2h + 3]
        const out = poseOut.apply(tf.relu(pose2.apply(tf.relu(pose1.apply(x))))) as Tensor2D; // [B, 4] or [B, 9]
        const { R, offset } = yaw ? yawHead(out) : { R: rotation6dToMatrixTf(tf.add(tf.slice(out, [0, 0], [B, 6]), tf.tensor2d([IDENTITY_6D])) as Tensor2D), offset: tf.slice(out, [0, 6], [B, 3]) };
        const base = yaw ? tf.mul(centroid, tf.tensor2d([[1, 0, 1]])) : centroid; // [B, 3] the yaw head's centre stays on y = 0
        const centre = tf.add(base, tf.mul(offset, s.coordScaleM)); // [B, 3] camera centre, cloud frame
        const t = tf.neg(tf.reshape(tf.matMul(R, tf.reshape(centre, [B, 3, 1])), [B, 3])) as Tensor2D; // [B, 3] = -R c
        return { logits, centroid, pose: fromRtTf(R, t) };
      });
    },
    dispose: () => parts.forEach((p) => p.dispose()),
  };
}
// #endregion createGpdm

// #region geometricMask
/**
 * The geometric overlap mask: points that project inside the image with z > minDepthM under
 * a pose (the same test as geometry/frustum.ts's frustumMask: -0.5 <= u < W - 0.5, pixel
 * centres at integers). Not differentiable: a 0/1 mask, returned as a leaf of the gradient tape.
 * @param points [B, N, 3] float32 metres, cloud frame
 * @param camFromPoints [B, 4, 4] float32
 * @param K [3, 3] or [B, 3, 3] float32 intrinsics, pixels
 * @param width W, pixels
 * @param height H, pixels
 * @param minDepthM depth floor, metres (> 0; default 1e-6, i.e. z > 0)
 * @returns [B, N] float32, 1 = inside
 */
export function geometricMask(points: Tensor3D, camFromPoints: Tensor3D, K: Tensor, width: number, height: number, minDepthM = 1e-6): Tensor2D {
  // computed with the tape paused: a leaf, so backpropagation neither enters its comparisons
  // (no gradient in tfjs) nor the comparisons a caller makes of it (the ICLM's attention mask)
  return tf.tidy(() => untaped(() => projectPointsTf(points, camFromPoints, K, { imageSize: { width, height }, minDepthM }).inImage as Tensor2D));
}
// #endregion geometricMask
