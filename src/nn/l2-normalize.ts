/**
 * L2 normalisation along one axis, as torch's `F.normalize`: x / max(||x||, eps).
 *
 * Written as x * rsqrt(max(sum(x^2), eps^2)) so that the gradient stays finite (zero) on
 * an all-zero vector, where sqrt would give 0/0. Used for per-pixel encoder features,
 * NetVLAD's intra-normalisation and every descriptor part.
 * @see notebooks/03-place-recognition.ipynb (issue 4)
 */
import { tf, type Tensor } from '../core/tf.js';
import { assertRange } from '../core/shapes.js';

/** Default floor of the norm: vectors shorter than this are divided by it instead. */
export const L2_NORMALIZE_EPS = 1e-12;

// #region l2Normalize
/**
 * Scales every vector along `axis` to unit L2 norm (vectors with norm < eps are divided by eps).
 * @param x [..., D, ...] float32, any unit (the result is unitless)
 * @param axis the axis holding the vector components; negative counts from the end (default -1)
 * @param eps floor of the norm, > 0 (default 1e-12)
 * @returns same shape as x, float32 (a new tensor; the caller disposes it)
 */
export function l2Normalize<T extends Tensor>(x: T, axis = -1, eps = L2_NORMALIZE_EPS): T {
  assertRange('l2Normalize: eps', eps, Number.MIN_VALUE);
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new RangeError(`l2Normalize: axis must be an integer in [${-x.rank}, ${x.rank - 1}], got ${axis}`);
  }
  return tf.tidy(() => {
    const sumSq = tf.sum(tf.square(x), axis, true); // [..., 1, ...]
    return tf.mul(x, tf.rsqrt(tf.maximum(sumSq, eps * eps)));
  }) as T;
}
// #endregion l2Normalize
