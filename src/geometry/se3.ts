/**
 * Rigid transforms SE(3) as 4x4 row-major matrices, and moving point clouds with them.
 *
 * Convention: a transform is named `bFromA`: it maps points expressed in frame A into
 * frame B, `p_B = R p_A + t`, stored as `Float64Array(16)` row-major [R t; 0 0 0 1].
 * Chains compose right to left: `cFromA = compose(cFromB, bFromA)`. Point clouds are flat
 * `Float32Array`s of N x stride values (stride 3 = xyz, 4 = KITTI xyz + reflectance);
 * only the first three channels are moved. Arithmetic is float64; stored back as float32.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { assertFlat, assertInt } from '../core/shapes.js';
import { assertMatrix, type Mat3, type Mat4, type Vec3 } from './matrix.js';

export type { Mat4 } from './matrix.js';

/** The 4x4 identity. @returns [16] row-major */
export function identity4(): Mat4 {
  return new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
}

/**
 * Builds `bFromA = [R t; 0 0 0 1]`.
 * @param R [9] row-major rotation, A to B
 * @param t [3] translation, metres, in frame B (the origin of A seen from B)
 * @returns [16] row-major
 */
export function fromRt(R: ArrayLike<number>, t: ArrayLike<number>): Mat4 {
  assertMatrix('fromRt: R', R, 9);
  assertMatrix('fromRt: t', t, 3);
  return new Float64Array([R[0], R[1], R[2], t[0], R[3], R[4], R[5], t[1], R[6], R[7], R[8], t[2], 0, 0, 0, 1]);
}

/**
 * Splits `bFromA` into rotation and translation.
 * @param T [16] row-major
 * @returns R [9] row-major and t [3] metres
 */
export function toRt(T: ArrayLike<number>): { R: Mat3; t: Vec3 } {
  assertMatrix('toRt: T', T, 16);
  return {
    R: new Float64Array([T[0], T[1], T[2], T[4], T[5], T[6], T[8], T[9], T[10]]),
    t: new Float64Array([T[3], T[7], T[11]]),
  };
}

/**
 * A 4x4 transform from a row-major 3x4 matrix (the 12 numbers of a KITTI `Tr:` calib line
 * or a poses/XX.txt line), with [0 0 0 1] appended.
 * @param m [12] row-major 3x4
 * @returns [16] row-major
 */
export function mat4From3x4(m: ArrayLike<number>): Mat4 {
  assertMatrix('mat4From3x4: m', m, 12);
  const out = identity4();
  for (let i = 0; i < 12; i++) out[i] = m[i];
  return out;
}

/** The top 3x4 block of a 4x4 transform (KITTI line order). @returns [12] row-major */
export function mat4To3x4(T: ArrayLike<number>): Float64Array {
  assertMatrix('mat4To3x4: T', T, 16);
  return Float64Array.from({ length: 12 }, (_, i) => T[i]);
}

// #region compose
/**
 * Composes transforms right to left: `compose(aFromB, bFromC)` = aFromC; more arguments
 * chain, `compose(aFromB, bFromC, cFromD)` = aFromD. General 4x4 products (no rigidity needed).
 * @param transforms two or more [16] row-major matrices
 * @returns [16] row-major
 */
export function compose(...transforms: ArrayLike<number>[]): Mat4 {
  if (transforms.length < 2) throw new InputError('compose', `expected at least 2 transforms, got ${transforms.length}`);
  transforms.forEach((T, i) => assertMatrix(`compose: argument ${i}`, T, 16));
  let acc = Float64Array.from(transforms[transforms.length - 1]);
  for (let k = transforms.length - 2; k >= 0; k--) {
    const a = transforms[k];
    const out = new Float64Array(16);
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        out[4 * r + c] = a[4 * r] * acc[c] + a[4 * r + 1] * acc[4 + c] + a[4 * r + 2] * acc[8 + c] + a[4 * r + 3] * acc[12 + c];
      }
    }
    acc = out;
  }
  return acc;
}
// #endregion compose

// #region invert
/**
 * Inverse of a rigid transform: `aFromB = [R^T, -R^T t]` (exact for rotations; use only
 * when the 3x3 block is orthonormal, which is not checked).
 * @param bFromA [16] row-major rigid transform
 * @returns aFromB [16] row-major
 * @throws InputError when the last row is not [0 0 0 1]
 */
export function invert(bFromA: ArrayLike<number>): Mat4 {
  assertMatrix('invert: bFromA', bFromA, 16);
  const T = bFromA;
  if (T[12] !== 0 || T[13] !== 0 || T[14] !== 0 || T[15] !== 1) {
    throw new InputError('invert: bFromA', `last row is [${T[12]}, ${T[13]}, ${T[14]}, ${T[15]}]; expected [0, 0, 0, 1]`);
  }
  const out = identity4();
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[4 * r + c] = T[4 * c + r];
    out[4 * r + 3] = -(T[r] * T[3] + T[4 + r] * T[7] + T[8 + r] * T[11]);
  }
  return out;
}
// #endregion invert

// #region transformPoints
/**
 * Moves points from frame A into frame B: `p_B = R p_A + t` (float64 arithmetic).
 * @param bFromA [16] row-major
 * @param pointsA [N * stride] float32, metres, frame A; xyz in the first three channels
 * @param stride channels per point (>= 3)
 * @param out optional [N * 3] output buffer (no allocation when given)
 * @returns [N * 3] float32 xyz, metres, frame B
 */
export function transformPoints(bFromA: ArrayLike<number>, pointsA: ArrayLike<number>, stride = 3, out?: Float32Array): Float32Array {
  assertMatrix('transformPoints: bFromA', bFromA, 16);
  assertInt('transformPoints: stride', stride, 3);
  const n = assertFlat('transformPoints: pointsA', pointsA, stride);
  const res = out ?? new Float32Array(n * 3);
  if (res.length !== n * 3) throw new InputError('transformPoints: out', `expected length ${n * 3}, got ${res.length}`);
  const [r0, r1, r2, tx, r3, r4, r5, ty, r6, r7, r8, tz] = Array.from({ length: 12 }, (_, i) => bFromA[i]);
  for (let i = 0, j = 0; i < n; i++, j += stride) {
    const x = pointsA[j], y = pointsA[j + 1], z = pointsA[j + 2];
    res[3 * i] = r0 * x + r1 * y + r2 * z + tx;
    res[3 * i + 1] = r3 * x + r4 * y + r5 * z + ty;
    res[3 * i + 2] = r6 * x + r7 * y + r8 * z + tz;
  }
  return res;
}
// #endregion transformPoints

/**
 * Like {@link transformPoints} but keeps the extra channels (e.g. reflectance) unchanged.
 * @param bFromA [16] row-major
 * @param pointsA [N * stride] float32, frame A
 * @param stride channels per point (>= 3)
 * @returns [N * stride] float32: xyz in frame B, channels 3.. copied
 */
export function transformPointsKeepChannels(bFromA: ArrayLike<number>, pointsA: ArrayLike<number>, stride: number): Float32Array {
  const xyz = transformPoints(bFromA, pointsA, stride);
  const n = xyz.length / 3;
  const out = new Float32Array(n * stride);
  for (let i = 0; i < n; i++) {
    const o = i * stride;
    out[o] = xyz[3 * i]; out[o + 1] = xyz[3 * i + 1]; out[o + 2] = xyz[3 * i + 2];
    for (let c = 3; c < stride; c++) out[o + c] = pointsA[o + c];
  }
  return out;
}

/**
 * Moves one point: `p_B = R p_A + t`.
 * @param bFromA [16] row-major
 * @param p [3] metres, frame A
 * @returns [3] float64, metres, frame B
 */
export function transformPoint(bFromA: ArrayLike<number>, p: ArrayLike<number>): Vec3 {
  const T = bFromA;
  return new Float64Array([
    T[0] * p[0] + T[1] * p[1] + T[2] * p[2] + T[3],
    T[4] * p[0] + T[5] * p[1] + T[6] * p[2] + T[7],
    T[8] * p[0] + T[9] * p[1] + T[10] * p[2] + T[11],
  ]);
}
