/**
 * Training-mode batch normalisation over B, H, W of an NHWC map, as one op with its own
 * gradient.
 *
 * On the native TensorFlow backend it runs TensorFlow's fused kernels (FusedBatchNormV3 forward,
 * FusedBatchNormGradV3 backward, registered by src/core/native-kernels.ts): about three passes
 * over the map forward and three backward, keeping only x and two [C] vectors for the
 * backward pass. Elsewhere (pure-JS cpu) it is the textbook composite: mean and biased
 * variance by `tf.moments`, then `x * scale + shift`, differentiated by tfjs op by op.
 * Both give y = gamma (x - mean) / sqrt(var + eps) + beta with the batch's biased variance;
 * they differ only in float32 rounding (about 1e-7 relative, test/nn/batch-norm.test.ts).
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf } from '../core/tf.js';
import type { Tensor, Tensor1D, Tensor4D } from '../core/tf.js';
import { hasNativeKernel, NATIVE_KERNELS } from '../core/native-kernels.js';
import { assertShape } from '../core/shapes.js';

/** The normalised map and the batch statistics it used. */
export interface BatchNormTrainingResult {
  /** [B, H, W, C] float32 */
  y: Tensor4D;
  /** [C] float32, the batch mean (no gradient flows through it) */
  mean: Tensor1D;
  /** [C] float32, the batch's biased variance (divided by B H W; no gradient) */
  variance: Tensor1D;
}

// #region batchNormTraining
/**
 * Batch norm with the batch's statistics (training mode), differentiable in x, gamma, beta.
 * @param x [B, H, W, C] float32
 * @param gamma [C] float32 scale
 * @param beta [C] float32 shift
 * @param epsilon added to the variance, > 0
 * @param composite force the composite path (tests compare the two)
 * @returns y [B, H, W, C]; mean and biased variance [C], for the running statistics only (the
 *   composite path's are on the gradient tape, the native path's are not; the caller disposes all three)
 */
export function batchNormTraining(x: Tensor4D, gamma: Tensor1D, beta: Tensor1D, epsilon: number, composite = false): BatchNormTrainingResult {
  const C = x.shape[3];
  assertShape('batchNormTraining: gamma', gamma.shape, [C]);
  assertShape('batchNormTraining: beta', beta.shape, [C]);
  if (!(epsilon > 0)) throw new RangeError(`batchNormTraining: epsilon must be > 0, got ${epsilon}`);
  if (composite || !hasNativeKernel(NATIVE_KERNELS.batchNormTrain) || x.dtype !== 'float32') {
    return tf.tidy(() => {
      const m = tf.moments(x, [0, 1, 2]);
      const scale = tf.mul(gamma, tf.rsqrt(tf.add(m.variance, epsilon))); // [C]
      const shift = tf.sub(beta, tf.mul(m.mean, scale)); // [C]
      return { y: tf.add(tf.mul(x, scale), shift) as Tensor4D, mean: m.mean as Tensor1D, variance: m.variance as Tensor1D };
    });
  }
  let stats: Tensor[] = [];
  const op = tf.customGrad(((xx: Tensor, g: Tensor, b: Tensor, save: (t: Tensor[]) => void) => {
    const [y, mean, , savedMean, savedVar] = tf.engine().runKernel(NATIVE_KERNELS.batchNormTrain, { x: xx, scale: g, offset: b }, { epsilon }) as Tensor[];
    stats = [tf.keep(mean), tf.keep(savedVar)];
    save([xx, g, savedMean, savedVar]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx, sg, sm, sv] = saved;
        return tf.engine().runKernel(NATIVE_KERNELS.batchNormGrad, { dy, x: sx, scale: sg, savedMean: sm, savedVariance: sv }, { epsilon }) as Tensor[];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta) as Tensor4D;
  return { y, mean: stats[0] as Tensor1D, variance: stats[1] as Tensor1D };
}
// #endregion batchNormTraining
