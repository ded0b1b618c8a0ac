/**
 * Batched rigid transforms as differentiable tfjs ops (pose losses, keypoint reprojection).
 *
 * Convention: as in se3.ts, `bFromA` maps frame-A points into frame B; a batch of them is
 * a [B, 4, 4] float32 tensor, `T[b, row, col]`. Points are [B, N, 3] row vectors, so the
 * op computes `p_B = p_A R^T + t` per batch element.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { tf, type Tensor2D, type Tensor3D } from '../core/tf.js';
import { assertShape } from '../core/shapes.js';
import { InputError } from '../core/errors.js';

// #region transformPointsTf
/**
 * Moves batched points from frame A into frame B.
 * @param bFromA [B, 4, 4] float32 (only the top 3x4 block is used)
 * @param pointsA [B, N, 3] float32, metres, frame A
 * @returns [B, N, 3] float32, metres, frame B
 */
export function transformPointsTf(bFromA: Tensor3D, pointsA: Tensor3D): Tensor3D {
  assertShape('transformPointsTf: bFromA', bFromA.shape, [null, 4, 4]);
  assertShape('transformPointsTf: pointsA', pointsA.shape, [null, null, 3]);
  const B = bFromA.shape[0];
  if (pointsA.shape[0] !== B) {
    throw new InputError('transformPointsTf: pointsA', `batch size ${pointsA.shape[0]} differs from bFromA's ${B}`);
  }
  return tf.tidy(() => {
    const R = tf.slice(bFromA, [0, 0, 0], [B, 3, 3]); // [B, 3, 3]
    const t = tf.reshape(tf.slice(bFromA, [0, 0, 3], [B, 3, 1]), [B, 1, 3]); // [B, 1, 3]
    return tf.add(tf.matMul(pointsA, R, false, true), t) as Tensor3D; // [B, N, 3]
  });
}
// #endregion transformPointsTf

/**
 * Builds batched transforms `[R t; 0 0 0 1]` (differentiable in R and t).
 * @param R [B, 3, 3] float32 rotations
 * @param t [B, 3] float32 translations, metres
 * @returns [B, 4, 4] float32
 */
export function fromRtTf(R: Tensor3D, t: Tensor2D): Tensor3D {
  assertShape('fromRtTf: R', R.shape, [null, 3, 3]);
  assertShape('fromRtTf: t', t.shape, [R.shape[0], 3]);
  return tf.tidy(() => {
    const B = R.shape[0];
    const top = tf.concat([R, tf.reshape(t, [B, 3, 1])], 2); // [B, 3, 4]
    const bottom = tf.tile(tf.tensor3d([0, 0, 0, 1], [1, 1, 4]), [B, 1, 1]); // [B, 1, 4]
    return tf.concat([top, bottom], 1) as Tensor3D; // [B, 4, 4]
  });
}

/**
 * Inverts batched rigid transforms: `aFromB = [R^T, -R^T t]` (assumes orthonormal R).
 * @param bFromA [B, 4, 4] float32 rigid transforms
 * @returns [B, 4, 4] float32 aFromB
 */
export function invertTf(bFromA: Tensor3D): Tensor3D {
  assertShape('invertTf: bFromA', bFromA.shape, [null, 4, 4]);
  return tf.tidy(() => {
    const B = bFromA.shape[0];
    const Rt = tf.transpose(tf.slice(bFromA, [0, 0, 0], [B, 3, 3]), [0, 2, 1]); // [B, 3, 3]
    const t = tf.slice(bFromA, [0, 0, 3], [B, 3, 1]); // [B, 3, 1]
    const tInv = tf.neg(tf.matMul(Rt, t)); // [B, 3, 1]
    return fromRtTf(Rt as Tensor3D, tf.reshape(tInv, [B, 3]) as Tensor2D);
  });
}
