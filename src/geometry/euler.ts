/**
 * Euler angles, in the two orders this project meets.
 *
 * Convention (one matrix, two namings): both functions here describe
 * `R = Rz(az) * Ry(ay) * Rx(ax)`, i.e. rotate about the FIXED x axis first, then fixed y,
 * then fixed z (extrinsic x-y-z), which equals intrinsic z-y'-x'' (yaw, pitch, roll).
 * - `eulerXYZFromMatrix` returns `[ax, ay, az]`: scipy's `Rotation.as_euler('xyz')`
 *   (lower-case = extrinsic). The registration papers (CorrI2P, VP2P-Match, ICL) compute
 *   RRE = sum(|ax| + |ay| + |az|) of the relative rotation with exactly this call.
 * - `eulerZYXFromMatrix` returns `{ yaw: az, pitch: ay, roll: ax }` (aerospace / ROS rpy).
 * Ranges: ax, az in (-pi, pi], ay in [-pi/2, pi/2]. At gimbal lock (|cos ay| < 1e-9) az is
 * set to 0 and the remaining rotation goes into ax, as scipy does.
 * Careful: upper-case 'XYZ' in scipy is INTRINSIC and a different matrix.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { assertMatrix, type Mat3 } from './matrix.js';

/** Yaw (about z), pitch (about y), roll (about x), radians, for R = Rz(yaw) Ry(pitch) Rx(roll). */
export interface YawPitchRoll {
  yaw: number;
  pitch: number;
  roll: number;
}

// #region rotationFromEulerXYZ
/**
 * Rotation from extrinsic x-y-z angles: `R = Rz(az) * Ry(ay) * Rx(ax)` (scipy `from_euler('xyz', [ax, ay, az])`).
 * @param ax radians about x (applied first)
 * @param ay radians about y
 * @param az radians about z (applied last)
 * @returns [9] row-major rotation matrix
 */
export function rotationFromEulerXYZ(ax: number, ay: number, az: number): Mat3 {
  const ca = Math.cos(ax), sa = Math.sin(ax);
  const cb = Math.cos(ay), sb = Math.sin(ay);
  const cc = Math.cos(az), sc = Math.sin(az);
  return new Float64Array([
    cc * cb, cc * sb * sa - sc * ca, cc * sb * ca + sc * sa,
    sc * cb, sc * sb * sa + cc * ca, sc * sb * ca - cc * sa,
    -sb, cb * sa, cb * ca,
  ]);
}
// #endregion rotationFromEulerXYZ

// #region eulerXYZFromMatrix
/**
 * Extrinsic x-y-z angles of R (scipy `as_euler('xyz')`), the inverse of {@link rotationFromEulerXYZ}.
 * From the matrix above: R20 = -sin ay, (R21, R22) = cos ay (sin ax, cos ax),
 * (R10, R00) = cos ay (sin az, cos az); ay uses atan2 (accurate near +-pi/2, unlike asin).
 * @param R [9] row-major rotation matrix
 * @returns [3] [ax, ay, az] radians
 */
export function eulerXYZFromMatrix(R: ArrayLike<number>): Float64Array {
  assertMatrix('eulerXYZFromMatrix: R', R, 9);
  const cb = Math.hypot(R[0], R[3]);
  const ay = Math.atan2(-R[6], cb);
  if (cb < 1e-9) {
    // gimbal lock: only ax - az (ay = +pi/2) or ax + az (ay = -pi/2) is defined; az := 0
    return new Float64Array([Math.atan2(-R[5], R[4]), ay, 0]);
  }
  return new Float64Array([Math.atan2(R[7], R[8]), ay, Math.atan2(R[3], R[0])]);
}
// #endregion eulerXYZFromMatrix

/**
 * Rotation from yaw, pitch, roll: `R = Rz(yaw) * Ry(pitch) * Rx(roll)` (intrinsic z-y'-x'').
 * @param yaw radians about z
 * @param pitch radians about y
 * @param roll radians about x
 * @returns [9] row-major rotation matrix
 */
export function rotationFromEulerZYX(yaw: number, pitch: number, roll: number): Mat3 {
  return rotationFromEulerXYZ(roll, pitch, yaw);
}

/**
 * Yaw, pitch, roll of R for `R = Rz(yaw) * Ry(pitch) * Rx(roll)`; the same numbers as
 * {@link eulerXYZFromMatrix}, named and reordered.
 * @param R [9] row-major rotation matrix
 * @returns radians; pitch in [-pi/2, pi/2]
 */
export function eulerZYXFromMatrix(R: ArrayLike<number>): YawPitchRoll {
  const [ax, ay, az] = eulerXYZFromMatrix(R);
  return { yaw: az, pitch: ay, roll: ax };
}
