/**
 * The continuous 6D rotation representation of Zhou et al. (CVPR 2019, "On the Continuity
 * of Rotation Representations in Neural Networks"), in typed arrays.
 *
 * Convention: the 6 numbers are the first two COLUMNS of R, column by column:
 * `x = [R00, R10, R20, R01, R11, R21]` (Zhou's released code). PyTorch3D's
 * `matrix_to_rotation_6d` uses the first two ROWS instead; do not mix them.
 * Back to a matrix: b1 = a1 / |a1|, b2 = normalise(a2 - (b1 . a2) b1), b3 = b1 x b2,
 * R = [b1 b2 b3] (columns), which is a rotation for any input with a1, a2 independent.
 * The tfjs (differentiable) version is in rotation-6d-tf.ts.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { assertMatrix, type Mat3 } from './matrix.js';

// #region rotation6dToMatrix
/**
 * Rotation matrix from a 6D vector by Gram-Schmidt.
 * @param x [6] two 3-vectors a1 = x[0..2], a2 = x[3..5] (any scale)
 * @returns [9] row-major rotation matrix with columns b1, b2, b1 x b2
 * @throws InputError when |a1| < 1e-12 or a2 is (nearly) parallel to a1
 */
export function rotation6dToMatrix(x: ArrayLike<number>): Mat3 {
  assertMatrix('rotation6dToMatrix: x', x, 6);
  const n1 = Math.hypot(x[0], x[1], x[2]);
  if (n1 < 1e-12) throw new InputError('rotation6dToMatrix: x', `first column has norm ${n1}; expected a non-zero vector`);
  const b1x = x[0] / n1, b1y = x[1] / n1, b1z = x[2] / n1;
  const d = b1x * x[3] + b1y * x[4] + b1z * x[5];
  let ux = x[3] - d * b1x, uy = x[4] - d * b1y, uz = x[5] - d * b1z;
  const n2 = Math.hypot(ux, uy, uz);
  if (n2 < 1e-12 * Math.max(1, Math.hypot(x[3], x[4], x[5]))) {
    throw new InputError('rotation6dToMatrix: x', 'second column is parallel to the first; expected two independent vectors');
  }
  ux /= n2; uy /= n2; uz /= n2;
  const cx = b1y * uz - b1z * uy, cy = b1z * ux - b1x * uz, cz = b1x * uy - b1y * ux;
  return new Float64Array([b1x, ux, cx, b1y, uy, cy, b1z, uz, cz]);
}
// #endregion rotation6dToMatrix

/**
 * The 6D representation of a rotation: its first two columns.
 * @param R [9] row-major rotation matrix
 * @returns [6] [R00, R10, R20, R01, R11, R21]
 */
export function matrixToRotation6d(R: ArrayLike<number>): Float64Array {
  assertMatrix('matrixToRotation6d: R', R, 9);
  return new Float64Array([R[0], R[3], R[6], R[1], R[4], R[7]]);
}
