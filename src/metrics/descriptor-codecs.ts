/**
 * Compact storage of descriptor rows for a resident database (descriptor-database.ts):
 * IEEE 754 half precision (2 bytes a value, 11 significant bits) and int8 with one float
 * scale per row (1 byte a value). tfjs has neither dtype, so rows are kept in typed arrays
 * and decoded to float32 block by block before the matrix product.
 *
 * Convention: half precision rounds to nearest, ties to even (as hardware conversions do);
 * values below 2^-24 in magnitude flush to (signed) zero, 2^-24 .. 2^-14 become subnormals.
 * int8 uses a symmetric scale per row, scale = max|x| / 127, code = round(x / scale).
 * @see notebooks/03-place-recognition.ipynb
 */
import { InputError } from '../core/errors.js';

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** Largest finite half, 65504 = (2 - 2^-10) 2^15. */
export const HALF_MAX = 65504;

// #region half
/** The half bits of x (round to nearest, ties to even), or -1 when x is not finite or rounds beyond HALF_MAX. */
function halfBits(x: number): number {
  F32[0] = x; // float32 first: the descriptors are float32
  const bits = U32[0];
  const sign = (bits >>> 16) & 0x8000;
  const e = (bits >>> 23) & 0xff;
  const m = bits & 0x7fffff;
  let he = e - 127 + 15; // half exponent field
  if (e === 0xff || he >= 0x1f) return -1;
  if (he <= 0) { // half subnormal: value = hm 2^-24
    if (he < -10) return sign; // |x| < 2^-25 rounds to zero
    const full = m | 0x800000, shift = 14 - he; // 14..24
    let hm = full >>> shift;
    const rem = full & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rem > half || (rem === half && (hm & 1) === 1)) hm++; // may carry into the smallest normal: still right
    return sign | hm;
  }
  let hm = m >>> 13;
  const rem = m & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (hm & 1) === 1)) {
    hm++;
    if (hm === 0x400) { hm = 0; he++; if (he >= 0x1f) return -1; }
  }
  return sign | (he << 10) | hm;
}

const tooLarge = (where: string, x: number): InputError => new InputError(where, `expected a finite value with |x| <= ${HALF_MAX} (half precision), got ${x}`);

/**
 * The half-precision bits of one number (round to nearest, ties to even).
 * @throws InputError when x is not finite or rounds beyond {@link HALF_MAX}
 */
export function toHalfBits(x: number, where = 'toHalfBits: x'): number {
  const h = halfBits(x);
  if (h < 0) throw tooLarge(where, x);
  return h;
}

/** The value of every half bit pattern: [65536] float32 (Infinity and NaN included). */
export const HALF_TABLE: Float32Array = (() => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1, e = (h >>> 10) & 0x1f, m = h & 0x3ff;
    t[h] = e === 0 ? s * m * 2 ** -24 : e === 0x1f ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return t;
})();

/**
 * Encodes float32 values as half bits.
 * @param x [n] values, finite, |x| <= 65504
 * @returns [n] uint16 half bits
 */
export function encodeHalf(x: ArrayLike<number>, where = 'encodeHalf: x'): Uint16Array {
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const h = halfBits(x[i]);
    if (h < 0) throw tooLarge(`${where}[${i}]`, x[i]);
    out[i] = h;
  }
  return out;
}

/**
 * Decodes half bits into `out` (a table look-up per value).
 * @param h [n] uint16 half bits; out [>= n] float32, written from 0
 */
export function decodeHalf(h: Uint16Array, out: Float32Array = new Float32Array(h.length)): Float32Array {
  const t = HALF_TABLE;
  for (let i = 0; i < h.length; i++) out[i] = t[h[i]];
  return out;
}
// #endregion half

// #region int8
/** Rows quantised to int8 with one scale per row: row i ~ scales[i] * codes[i * D .. (i + 1) * D). */
export interface Int8Rows {
  /** [N * D] int8 codes in [-127, 127]. */
  codes: Int8Array;
  /** [N] float32 scale per row: max |x_i| / 127 (0 for an all-zero row). */
  scales: Float32Array;
}

/**
 * Symmetric per-row int8 quantisation.
 * @param x [N * D] row-major finite values
 */
export function quantizeRowsInt8(x: ArrayLike<number>, N: number, D: number, where = 'quantizeRowsInt8: x'): Int8Rows {
  if (x.length !== N * D) throw new InputError(where, `expected ${N} x ${D} = ${N * D} values, got ${x.length}`);
  const codes = new Int8Array(N * D), scales = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    let amax = 0;
    for (let j = i * D; j < (i + 1) * D; j++) {
      if (!Number.isFinite(x[j])) throw new InputError(where, `expected finite values, got ${x[j]} at row ${i}, column ${j - i * D}`);
      amax = Math.max(amax, Math.abs(x[j]));
    }
    scales[i] = amax / 127;
    if (scales[i] === 0) continue;
    for (let j = i * D; j < (i + 1) * D; j++) codes[j] = Math.max(-127, Math.min(127, Math.round(x[j] / scales[i])));
  }
  return { codes, scales };
}
// #endregion int8
