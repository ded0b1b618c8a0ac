/**
 * PRM, the pose-regression module of ICL: each keypoint pair becomes a token [query
 * feature, 2D and 3D descriptors, (u / W, v / H), the 3D keypoint in the frustum camera frame
 * / coordScaleM]; a shared MLP, mean + max pooling, then two MLP heads regress a residual
 * rotation (6D) and translation (metres). The final pose is residual * frustumPose (the
 * residual acts in the camera frame). The heads' last layers start at zero, so an untrained
 * PRM returns the frustum pose unchanged.
 *
 * Ablations: without GPDM the model passes the identity as frustumPose, so PRM regresses the
 * pose directly (keypoints3d then stay in the cloud frame); without ICLM it gets one pooled
 * token (Q = 1: mean and max pooling then both equal that token; the zero query feature adds
 * nothing). The layers are the same in every variant.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor2D, type Tensor3D, type Variable } from '../core/tf.js';
import type { Rng } from '../core/rng.js';
import { assertShape } from '../core/shapes.js';
import { createDense, type Dense } from '../nn/mlp.js';
import { rotation6dToMatrixTf } from '../geometry/rotation-6d-tf.js';
import { fromRtTf, transformPointsTf } from '../geometry/se3-tf.js';

/** Sizes of a {@link Prm}. */
export interface PrmSizes { dModel: number; hidden: number; coordScaleM: number }

/** What {@link Prm.apply} returns. */
export type PrmOutput = {
  /** [B, 4, 4] residual camera-frame transform. */
  residual: Tensor3D;
  /** [B, 4, 4] final camFromPoints = residual * frustumPose. */
  camFromPoints: Tensor3D;
};

/** The PRM with its own variables. */
export interface Prm {
  /**
   * @param queries [B, Q, d] (Q >= 1); descriptors2d, descriptors3d [B, Q, d]
   * @param keypoints2d [B, Q, 2] pixels; keypoints3d [B, Q, 3] metres, cloud frame
   * @param frustumPose [B, 4, 4] camFromPoints from GPDM (the identity without GPDM)
   * @param imageWidth W, pixels; imageHeight H, pixels
   */
  apply(queries: Tensor3D, descriptors2d: Tensor3D, descriptors3d: Tensor3D, keypoints2d: Tensor3D, keypoints3d: Tensor3D, frustumPose: Tensor3D, imageWidth: number, imageHeight: number): PrmOutput;
  readonly trainableVariables: Variable[];
  dispose(): void;
}

const IDENTITY_6D = [1, 0, 0, 0, 1, 0];

function zeroLast(d: Dense): Dense {
  tf.tidy(() => { d.kernel.assign(tf.zerosLike(d.kernel)); });
  return d;
}

// #region createPrm
/** Builds the PRM (Glorot dense layers; the heads' output layers zero). */
export function createPrm(s: PrmSizes, rng: Rng): Prm {
  const h = s.hidden, d = s.dModel;
  const e1 = createDense(3 * d + 5, h, rng), e2 = createDense(h, h, rng);
  const r1 = createDense(2 * h, h, rng), r2 = zeroLast(createDense(h, 6, rng));
  const t1 = createDense(2 * h, h, rng), t2 = zeroLast(createDense(h, 3, rng));
  const parts = [e1, e2, r1, r2, t1, t2];
  return {
    trainableVariables: parts.flatMap((p) => p.trainableVariables),
    apply(queries, d2, d3, kp2, kp3, frustumPose, W, H) {
      const [B, Q] = queries.shape;
      if (Q < 1) throw new Error(`prm: expected at least one query, got queries of shape [${queries.shape.join(', ')}]`);
      assertShape('prm: keypoints2d', kp2.shape, [B, Q, 2]);
      assertShape('prm: keypoints3d', kp3.shape, [B, Q, 3]);
      return tf.tidy(() => {
        const uv = tf.div(kp2, tf.tensor1d([W, H])); // [B, Q, 2]
        const xyz = tf.div(transformPointsTf(frustumPose, kp3), s.coordScaleM); // [B, Q, 3] frustum camera frame
        const tok = tf.relu(e2.apply(tf.relu(e1.apply(tf.concat([queries, d2, d3, uv, xyz], 2))))); // [B, Q, h]
        const pooled = tf.concat([tf.mean(tok, 1), tf.max(tok, 1)], 1); // [B, 2h]
        const r6 = tf.add(r2.apply(tf.relu(r1.apply(pooled))), tf.tensor2d([IDENTITY_6D])) as Tensor2D; // [B, 6]
        const t = tf.mul(t2.apply(tf.relu(t1.apply(pooled))), s.coordScaleM) as Tensor2D; // [B, 3] metres
        const residual = fromRtTf(rotation6dToMatrixTf(r6), t); // [B, 4, 4]
        return { residual, camFromPoints: tf.matMul(residual, frustumPose) as Tensor3D };
      });
    },
    dispose: () => parts.forEach((p) => p.dispose()),
  };
}
// #endregion createPrm
