/**
 * Small fixed-size matrices in typed arrays: the types every geometry file shares.
 *
 * Convention: matrices are ROW-MAJOR `Float64Array`s: `m[r * cols + c]` is row r, column c.
 * A 3x4 matrix (KITTI calib lines) is 12 numbers, a 4x4 one 16. Vectors multiply on the
 * right (`y = M x`), so a chain of transforms composes right to left.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';

// #region types
/** A 3x3 matrix, row-major: `Float64Array(9)`, `m[3 * row + col]`. */
export type Mat3 = Float64Array;
/** A 4x4 matrix, row-major: `Float64Array(16)`, `m[4 * row + col]`. */
export type Mat4 = Float64Array;
/** A 3-vector: `Float64Array(3)`. */
export type Vec3 = Float64Array;
// #endregion types

/**
 * Throws unless `m` has exactly `n` finite entries.
 * @param where name used in the error (e.g. `compose: aFromB`)
 * @param m [n] array to check
 * @param n expected length (3, 9, 12 or 16)
 */
export function assertMatrix(where: string, m: ArrayLike<number>, n: number): void {
  if (m === null || m === undefined || typeof m.length !== 'number' || m.length !== n) {
    throw new InputError(where, `expected ${n} numbers (row-major), got length ${m?.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(m[i])) throw new InputError(where, `entry ${i} is ${m[i]}; expected a finite number`);
  }
}

/** The 3x3 identity. @returns [9] row-major */
export function identity3(): Mat3 {
  return new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
}

/**
 * Product `a * b` of two 3x3 matrices.
 * @param a [9] row-major
 * @param b [9] row-major
 * @returns [9] row-major
 */
export function matmul3(a: ArrayLike<number>, b: ArrayLike<number>): Mat3 {
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
    }
  }
  return out;
}

/** Transpose of a 3x3 matrix (the inverse of a rotation). @returns [9] row-major */
export function transpose3(m: ArrayLike<number>): Mat3 {
  return new Float64Array([m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]]);
}

/** Determinant of a 3x3 matrix. */
export function det3(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

/**
 * `m * v` for a 3x3 matrix and a 3-vector.
 * @param m [9] row-major
 * @param v [3]
 * @returns [3]
 */
export function mulMat3Vec3(m: ArrayLike<number>, v: ArrayLike<number>): Vec3 {
  return new Float64Array([
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ]);
}

/**
 * Inverse of a general 3x3 matrix (adjugate / determinant).
 * @param m [9] row-major, non-singular
 * @returns [9] row-major
 * @throws InputError when |det| is below 1e-300 or not finite
 */
export function invert3(m: ArrayLike<number>): Mat3 {
  const d = det3(m);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-300) throw new InputError('invert3', `matrix is singular (det = ${d})`);
  const i = 1 / d;
  return new Float64Array([
    (m[4] * m[8] - m[5] * m[7]) * i, (m[2] * m[7] - m[1] * m[8]) * i, (m[1] * m[5] - m[2] * m[4]) * i,
    (m[5] * m[6] - m[3] * m[8]) * i, (m[0] * m[8] - m[2] * m[6]) * i, (m[2] * m[3] - m[0] * m[5]) * i,
    (m[3] * m[7] - m[4] * m[6]) * i, (m[1] * m[6] - m[0] * m[7]) * i, (m[0] * m[4] - m[1] * m[3]) * i,
  ]);
}

/**
 * Largest absolute entry-wise difference of two equal-length arrays (a test and debug aid).
 * @returns max_i |a_i - b_i|
 */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new InputError('maxAbsDiff', `lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
