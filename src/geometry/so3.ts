/**
 * Rotations SO(3): axis-angle (Rodrigues), elementary rotations, the geodesic angle.
 *
 * Convention: rotation matrices are active and row-major (`Float64Array(9)`); a rotation
 * `bFromA` maps A-frame vectors into frame B: `v_B = R v_A`. Axis-angle vectors
 * (rotation vectors) are `omega = theta * axis`, theta in radians, right-hand rule.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { assertMatrix, type Mat3, type Vec3 } from './matrix.js';
import { quaternionFromRotation } from './quaternion.js';

export type { Mat3, Vec3 } from './matrix.js';

/** The 3x3 skew-symmetric matrix `[v]x` with `[v]x w = v x w`. @returns [9] row-major */
export function skew(v: ArrayLike<number>): Mat3 {
  return new Float64Array([0, -v[2], v[1], v[2], 0, -v[0], -v[1], v[0], 0]);
}

// #region rodrigues
/**
 * Rotation matrix of a rotation vector (Rodrigues' formula)
 * `R = I + A [w]x + B [w]x^2`, `A = sin t / t`, `B = (1 - cos t) / t^2 = 2 sin^2(t/2) / t^2`.
 * B is evaluated through sin(t/2) (no cancellation) and both use Taylor series below
 * t = 1e-4, so the result is accurate at t = 0 and up to and beyond pi.
 * @param omega [3] rotation vector, radians
 * @returns [9] row-major rotation matrix
 */
export function rotationFromAxisAngle(omega: ArrayLike<number>): Mat3 {
  assertMatrix('rotationFromAxisAngle: omega', omega, 3);
  const x = omega[0], y = omega[1], z = omega[2];
  const t2 = x * x + y * y + z * z;
  const t = Math.sqrt(t2);
  let A: number, B: number;
  if (t < 1e-4) {
    A = 1 - t2 / 6; // error t^4 / 120 < 1e-18
    B = 0.5 - t2 / 24;
  } else {
    A = Math.sin(t) / t;
    const h = Math.sin(t / 2) / t;
    B = 2 * h * h;
  }
  return new Float64Array([
    1 - B * (y * y + z * z), -A * z + B * x * y, A * y + B * x * z,
    A * z + B * x * y, 1 - B * (x * x + z * z), -A * x + B * y * z,
    -A * y + B * x * z, A * x + B * y * z, 1 - B * (x * x + y * y),
  ]);
}
// #endregion rodrigues

// #region axisAngleFromRotation
/**
 * Rotation vector of a rotation matrix, through Shepperd's quaternion (robust near 0 and
 * near pi, where the trace formula `acos((tr - 1) / 2)` loses half the digits).
 * theta = 2 atan2(|q_xyz|, q_w) lies in [0, pi]; at exactly pi the sign of the axis is
 * arbitrary (both describe the same rotation).
 * @param R [9] row-major rotation matrix
 * @returns [3] rotation vector omega = theta * axis, radians
 */
export function axisAngleFromRotation(R: ArrayLike<number>): Vec3 {
  const q = quaternionFromRotation(R);
  const s = Math.hypot(q[1], q[2], q[3]);
  // theta / s, with theta = 2 atan2(s, w); series 2 / w for tiny s (w ~ 1 there)
  const f = s < 1e-10 ? 2 / q[0] : (2 * Math.atan2(s, q[0])) / s;
  return new Float64Array([q[1] * f, q[2] * f, q[3] * f]);
}
// #endregion axisAngleFromRotation

/**
 * Rotation about one coordinate axis by `angle` (right-hand rule).
 * @param axis 'x' | 'y' | 'z'
 * @param angle radians
 * @returns [9] row-major rotation matrix
 */
export function rotationAboutAxis(axis: 'x' | 'y' | 'z', angle: number): Mat3 {
  const c = Math.cos(angle), s = Math.sin(angle);
  if (axis === 'x') return new Float64Array([1, 0, 0, 0, c, -s, 0, s, c]);
  if (axis === 'y') return new Float64Array([c, 0, s, 0, 1, 0, -s, 0, c]);
  if (axis === 'z') return new Float64Array([c, -s, 0, s, c, 0, 0, 0, 1]);
  throw new InputError('rotationAboutAxis: axis', `expected 'x', 'y' or 'z', got '${String(axis)}'`);
}

// #region geodesic
/**
 * Rotation angle of R in [0, pi]: `atan2(|vee(R - R^T)| / 2, (tr R - 1) / 2)`, which is
 * accurate at both ends (unlike acos of the trace alone).
 * @param R [9] row-major rotation matrix
 * @returns radians
 */
export function rotationAngle(R: ArrayLike<number>): number {
  assertMatrix('rotationAngle: R', R, 9);
  const c = (R[0] + R[4] + R[8] - 1) / 2;
  const s = Math.hypot(R[7] - R[5], R[2] - R[6], R[3] - R[1]) / 2;
  return Math.atan2(s, c);
}

/**
 * Geodesic distance on SO(3): the angle of the relative rotation `Ra^T Rb`.
 * @param Ra [9] row-major rotation matrix
 * @param Rb [9] row-major rotation matrix
 * @returns radians in [0, pi]
 */
export function geodesicAngle(Ra: ArrayLike<number>, Rb: ArrayLike<number>): number {
  assertMatrix('geodesicAngle: Ra', Ra, 9);
  assertMatrix('geodesicAngle: Rb', Rb, 9);
  const m = new Float64Array(9); // Ra^T Rb
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) m[3 * r + c] = Ra[r] * Rb[c] + Ra[3 + r] * Rb[3 + c] + Ra[6 + r] * Rb[6 + c];
  }
  return rotationAngle(m);
}
// #endregion geodesic

/**
 * How far R is from orthonormal: |R^T R - I|_max (a reflection, det -1, scores 0 here).
 * @param R [9] row-major
 * @returns 0 for orthonormal columns
 */
export function orthonormalityError(R: ArrayLike<number>): number {
  let e = 0;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      // (R^T R)_rc = sum_k R_kr R_kc
      const d = R[r] * R[c] + R[3 + r] * R[3 + c] + R[6 + r] * R[6 + c] - (r === c ? 1 : 0);
      e = Math.max(e, Math.abs(d));
    }
  }
  return e;
}

/**
 * How far R is from a rotation: max(|R^T R - I|_max, |det R - 1|).
 * @param R [9] row-major
 * @returns 0 for an exact rotation
 */
export function rotationError(R: ArrayLike<number>): number {
  const e = orthonormalityError(R);
  const det = R[0] * (R[4] * R[8] - R[5] * R[7]) - R[1] * (R[3] * R[8] - R[5] * R[6]) + R[2] * (R[3] * R[7] - R[4] * R[6]);
  return Math.max(e, Math.abs(det - 1));
}

/**
 * True when R is a rotation to within `tol` (see {@link rotationError}).
 * @param R [9] row-major
 * @param tol tolerance, default 1e-6
 */
export function isRotation(R: ArrayLike<number>, tol = 1e-6): boolean {
  return R.length === 9 && rotationError(R) <= tol;
}
