/**
 * Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_: the L2 norm of all
 * gradients together, ||g|| = sqrt(sum of g_i^2 over every element of every variable); when it
 * exceeds `maxNorm` every gradient is scaled by maxNorm / (||g|| + 1e-6), so the direction is
 * kept and the norm becomes (just under) maxNorm. Works on the flat gradient of flat-layout.ts,
 * where the global norm is one reduction.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor1D } from '../core/tf.js';

/** Added to the norm before dividing, as torch's clip_grad_norm_ (no division by zero). */
export const CLIP_NORM_EPSILON = 1e-6;

/**
 * Scales a flat gradient down to a global L2 norm of at most `maxNorm`.
 * @param grad [P] float32, every variable's gradient flattened into one vector
 * @param maxNorm largest allowed norm, > 0
 * @returns grad: [P] the clipped gradient (a new tensor, the caller disposes it), norm: ||grad|| before clipping, scale: the factor applied (1 when not clipped)
 * @throws RangeError when maxNorm is not a finite number > 0
 */
export function clipGradNorm(grad: Tensor1D, maxNorm: number): { grad: Tensor1D; norm: number; scale: number } {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be a finite number > 0, got ${maxNorm}`);
  const normT = tf.tidy(() => tf.sqrt(tf.sum(tf.square(grad))));
  const norm = normT.dataSync()[0];
  normT.dispose();
  const coef = maxNorm / (norm + CLIP_NORM_EPSILON);
  const scale = coef < 1 ? coef : 1;
  return { grad: tf.tidy(() => (scale < 1 ? tf.mul(grad, scale) : tf.clone(grad)) as Tensor1D), norm, scale };
}
