/**
 * Layer normalisation over the last axis as one op with a hand-written gradient.
 *
 * Differentiated op by op, the composite (moments, subtract, sqrt, divide, scale, shift) keeps
 * about five tensors of x's size for the backward pass and runs some twenty-five kernels back,
 * most of them broadcasts and their reductions. Here the forward keeps x-hat (one tensor of
 * x's size) and 1 / sigma per row, and the backward is the closed form
 *   dgamma = sum_rows(dy x-hat),  dbeta = sum_rows(dy),
 *   dx = (1 / sigma) (g - mean_c(g) - x-hat mean_c(g x-hat)),  g = dy gamma,
 * eleven kernels. The PointNet++ levels of the registration model run it on every grouped
 * neighbour ([B, M, k, C] maps), where it took most of the step's memory.
 * @see notebooks/04-attention-queries.ipynb
 */
import { tf } from '../core/tf.js';
import type { Tensor } from '../core/tf.js';

// #region layerNorm
/**
 * LayerNorm y = (x - mean) / sqrt(var + eps) * gamma + beta over the last axis (biased variance).
 * @param x [..., C] float32
 * @param gamma [C] float32 scale
 * @param beta [C] float32 shift
 * @param epsilon added to the variance, > 0
 * @param composite differentiate the composite op by op instead (tests compare the two)
 * @returns [..., C] float32
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number, composite = false): Tensor {
  const C = x.shape[x.rank - 1];
  if (gamma.rank !== 1 || gamma.shape[0] !== C || beta.rank !== 1 || beta.shape[0] !== C) {
    throw new RangeError(`layerNorm: gamma and beta: expected shape [${C}] (x's last axis), got [${gamma.shape.join(', ')}] and [${beta.shape.join(', ')}]`);
  }
  if (!(epsilon > 0)) throw new RangeError(`layerNorm: epsilon must be > 0, got ${epsilon}`);
  if (composite) {
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true); // [..., 1]
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
    });
  }
  const op = tf.customGrad(((xx: Tensor, g: Tensor, b: Tensor, save: (t: Tensor[]) => void) => {
    const mean = tf.mean(xx, -1, true); // [..., 1]
    const xc = tf.sub(xx, mean); // [..., C]
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), epsilon)); // [..., 1]
    const xhat = tf.mul(xc, rstd); // [..., C]
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sh, sr, sg] = saved;
        const rows = dy.size / C;
        const dyFlat = tf.reshape(dy, [rows, C]), xhFlat = tf.reshape(sh, [rows, C]);
        const dgamma = tf.sum(tf.mul(dyFlat, xhFlat), 0); // [C]
        const dbeta = tf.sum(dyFlat, 0); // [C]
        const gx = tf.mul(dy, sg); // [..., C]
        const dx = tf.mul(sr, tf.sub(tf.sub(gx, tf.mean(gx, -1, true)), tf.mul(sh, tf.mean(tf.mul(gx, sh), -1, true)))); // [..., C]
        return [dx, dgamma, dbeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, gamma, beta);
}
// #endregion layerNorm
