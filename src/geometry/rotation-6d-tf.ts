/**
 * The 6D rotation representation (Zhou et al. 2019) as differentiable tfjs ops, for pose
 * regression heads. Same layout as rotation-6d.ts: x = [first column of R, second column].
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { tf, type Tensor2D, type Tensor3D } from '../core/tf.js';
import { assertShape } from '../core/shapes.js';

/** Floor on vector norms in the tfjs Gram-Schmidt (Zhou's code uses 1e-8), so zero input gives finite values and gradients. */
export const ROTATION_6D_EPS = 1e-8;

function normalizeRows(v: Tensor2D): Tensor2D {
  // sqrt(max(|v|^2, eps^2)): finite value and gradient even at v = 0
  const n = tf.sqrt(tf.maximum(tf.sum(tf.square(v), 1, true), ROTATION_6D_EPS * ROTATION_6D_EPS)); // [B, 1]
  return tf.div(v, n);
}

function crossRows(a: Tensor2D, b: Tensor2D): Tensor2D {
  const [ax, ay, az] = tf.unstack(a, 1); // each [B]
  const [bx, by, bz] = tf.unstack(b, 1);
  return tf.stack([
    tf.sub(tf.mul(ay, bz), tf.mul(az, by)),
    tf.sub(tf.mul(az, bx), tf.mul(ax, bz)),
    tf.sub(tf.mul(ax, by), tf.mul(ay, bx)),
  ], 1) as Tensor2D; // [B, 3]
}

// #region rotation6dToMatrixTf
/**
 * Rotation matrices from 6D vectors by Gram-Schmidt; differentiable everywhere (norms are
 * floored at {@link ROTATION_6D_EPS}).
 * @param x [B, 6] float32: a1 = x[:, 0:3], a2 = x[:, 3:6]
 * @returns [B, 3, 3] float32 rotation matrices, `R[b, i, j]` = row i, column j; columns b1, b2, b1 x b2
 */
export function rotation6dToMatrixTf(x: Tensor2D): Tensor3D {
  assertShape('rotation6dToMatrixTf: x', x.shape, [null, 6]);
  return tf.tidy(() => {
    const B = x.shape[0];
    const a1 = tf.slice(x, [0, 0], [B, 3]); // [B, 3]
    const a2 = tf.slice(x, [0, 3], [B, 3]); // [B, 3]
    const b1 = normalizeRows(a1);
    const proj = tf.mul(b1, tf.sum(tf.mul(b1, a2), 1, true)); // [B, 3]
    const b2 = normalizeRows(tf.sub(a2, proj));
    const b3 = crossRows(b1, b2);
    return tf.stack([b1, b2, b3], 2) as Tensor3D; // [B, 3, 3], last axis = column
  });
}
// #endregion rotation6dToMatrixTf

/**
 * The 6D representation of rotation matrices: their first two columns.
 * @param R [B, 3, 3] float32 rotation matrices
 * @returns [B, 6] float32 [R00, R10, R20, R01, R11, R21] per row
 */
export function matrixToRotation6dTf(R: Tensor3D): Tensor2D {
  assertShape('matrixToRotation6dTf: R', R.shape, [null, 3, 3]);
  return tf.tidy(() => {
    const B = R.shape[0];
    const cols = tf.transpose(tf.slice(R, [0, 0, 0], [B, 3, 2]), [0, 2, 1]); // [B, 2, 3]
    return tf.reshape(cols, [B, 6]) as Tensor2D;
  });
}
