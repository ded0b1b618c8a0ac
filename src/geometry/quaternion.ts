/**
 * Unit quaternions <-> rotation matrices.
 *
 * Convention: quaternions are ordered (w, x, y, z) with the scalar FIRST (Eigen's
 * constructor, scipy's `scalar_first=True`; scipy's default and ROS put w last). A unit
 * quaternion q and -q give the same rotation; functions here return the one with w >= 0.
 * The matrix is the active rotation R(q) with `p' = R p` (Hamilton product).
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { assertMatrix, type Mat3 } from './matrix.js';

/** A quaternion (w, x, y, z), scalar first: `Float64Array(4)`. */
export type Quaternion = Float64Array;

// #region rotationFromQuaternion
/**
 * Rotation matrix of a quaternion; the input is normalised first.
 * @param q [4] (w, x, y, z), any non-zero norm
 * @returns [9] row-major rotation matrix
 * @throws InputError when |q| < 1e-12 or an entry is not finite
 */
export function rotationFromQuaternion(q: ArrayLike<number>): Mat3 {
  assertMatrix('rotationFromQuaternion: q', q, 4);
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  if (n < 1e-12) throw new InputError('rotationFromQuaternion: q', `norm ${n} is too small to define a rotation`);
  const w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
  return new Float64Array([
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ]);
}
// #endregion rotationFromQuaternion

// #region quaternionFromRotation
/**
 * Quaternion of a rotation matrix by Shepperd's method (1978): of the four candidate
 * formulas (4w^2 = 1 + tr, 4x^2 = 1 + 2 R00 - tr, ...), use the one with the largest
 * square, so no division is by a small number; accurate near 0 and near pi.
 * @param R [9] row-major rotation matrix (orthonormal, det +1; not checked beyond finiteness)
 * @returns [4] unit quaternion (w, x, y, z) with w >= 0
 */
export function quaternionFromRotation(R: ArrayLike<number>): Quaternion {
  assertMatrix('quaternionFromRotation: R', R, 9);
  const r00 = R[0], r11 = R[4], r22 = R[8];
  const tr = r00 + r11 + r22;
  let w: number, x: number, y: number, z: number;
  if (tr >= r00 && tr >= r11 && tr >= r22) {
    const s = 2 * Math.sqrt(Math.max(1 + tr, 0)); // s = 4w
    w = s / 4; x = (R[7] - R[5]) / s; y = (R[2] - R[6]) / s; z = (R[3] - R[1]) / s;
  } else if (r00 >= r11 && r00 >= r22) {
    const s = 2 * Math.sqrt(Math.max(1 + r00 - r11 - r22, 0)); // s = 4x
    w = (R[7] - R[5]) / s; x = s / 4; y = (R[1] + R[3]) / s; z = (R[2] + R[6]) / s;
  } else if (r11 >= r22) {
    const s = 2 * Math.sqrt(Math.max(1 + r11 - r00 - r22, 0)); // s = 4y
    w = (R[2] - R[6]) / s; x = (R[1] + R[3]) / s; y = s / 4; z = (R[5] + R[7]) / s;
  } else {
    const s = 2 * Math.sqrt(Math.max(1 + r22 - r00 - r11, 0)); // s = 4z
    w = (R[3] - R[1]) / s; x = (R[2] + R[6]) / s; y = (R[5] + R[7]) / s; z = s / 4;
  }
  const sign = w < 0 ? -1 : 1;
  const n = Math.hypot(w, x, y, z) * sign;
  return new Float64Array([w / n, x / n, y / n, z / n]);
}
// #endregion quaternionFromRotation

/**
 * Hamilton product `a * b` (the rotation b first, then a).
 * @param a [4] (w, x, y, z)
 * @param b [4] (w, x, y, z)
 * @returns [4] (w, x, y, z), not renormalised
 */
export function quaternionMultiply(a: ArrayLike<number>, b: ArrayLike<number>): Quaternion {
  return new Float64Array([
    a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
    a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
    a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
    a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
  ]);
}
