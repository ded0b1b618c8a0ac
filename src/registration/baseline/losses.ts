/**
 * The explicit baseline's losses: in-frustum BCE + InfoNCE (each sampled in-frustum point
 * against every pixel cell of its own image; the positive is the cell its ground-truth
 * projection falls in, see targets.ts).
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { inFrustumLoss } from '../losses.js';
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D } from '../../core/tf.js';
import { assertShape } from '../../core/shapes.js';
import { InputError } from '../../core/errors.js';
import type { ExplicitBaselineConfig } from './config.js';
import type { ExplicitBaselineOutput } from './model.js';
import type { ContrastiveTargets } from './targets.js';

type Scalar = ReturnType<typeof tf.scalar>;

// #region loss
/**
 * InfoNCE from points to pixel cells: -log softmax_j(<q_i, p_j> / T) at the positive cell,
 * averaged over the real slots (0 when there are none). Descriptors are used as given (the
 * model has already normalised them, so <.,.> is the cosine).
 * @param pointDescriptors [B, N, D] float32; pixelDescriptors [B, h, w, D] float32
 * @param t slots from contrastiveTargets (targets.ts); temperature > 0
 * @returns scalar
 */
export function contrastiveLoss(pointDescriptors: Tensor3D, pixelDescriptors: Tensor4D, t: ContrastiveTargets, temperature: number): Scalar {
  const [B, N, D] = pointDescriptors.shape, [, h, w] = pixelDescriptors.shape, M = t.perPair, hw = h * w;
  assertShape('contrastiveLoss: pixelDescriptors', pixelDescriptors.shape, [B, null, null, D]);
  if (t.pointIndex.length !== B * M) throw new InputError('contrastiveLoss: targets', `expected ${B} x ${M} slots, got ${t.pointIndex.length}`);
  return tf.tidy(() => {
    const flatIdx = Int32Array.from(t.pointIndex, (i, k) => Math.floor(k / M) * N + i);
    const q = tf.reshape(tf.gather(tf.reshape(pointDescriptors, [B * N, D]), tf.tensor1d(flatIdx, 'int32')), [B, M, D]); // [B, M, D]
    const logits = tf.div(tf.matMul(q, tf.reshape(pixelDescriptors, [B, hw, D]), false, true), temperature); // [B, M, hw]
    const logp = tf.reshape(tf.logSoftmax(logits), [B * M * hw]);
    const picked = tf.gather(logp, tf.tensor1d(Int32Array.from(t.cellIndex, (c, k) => k * hw + c), 'int32')); // [B * M]
    const wt = tf.tensor1d(t.weight);
    return tf.div(tf.neg(tf.sum(tf.mul(picked, wt))), Math.max(1, t.weight.reduce((a, b) => a + b, 0))) as Scalar;
  });
}

/** The baseline's losses (scalars; the caller disposes them). */
export type ExplicitBaselineLosses = { total: Scalar; cls: Scalar; contrastive: Scalar };

/**
 * Weighted in-frustum BCE + InfoNCE.
 * @param out the model's output; inFrustum [B, N] float32 0/1 ground truth; t InfoNCE slots
 * @param clsLoss the in-frustum loss, as ICL's (registration config clsLoss: 'balanced', CorrI2P's, or plain 'bce'); default 'bce'
 */
export function explicitBaselineLoss(out: ExplicitBaselineOutput, inFrustum: Tensor2D, t: ContrastiveTargets, config: Pick<ExplicitBaselineConfig, 'weights' | 'temperature'>, clsLoss: 'balanced' | 'bce' = 'bce'): ExplicitBaselineLosses {
  return tf.tidy(() => {
    const cls = inFrustumLoss(inFrustum, out.inFrustumLogits, clsLoss);
    const contrastive = contrastiveLoss(out.pointDescriptors, out.pixelDescriptors, t, config.temperature);
    const total = tf.add(tf.mul(cls, config.weights.cls), tf.mul(contrastive, config.weights.contrastive)) as Scalar;
    return { total, cls, contrastive } as unknown as Record<string, Tensor>;
  }) as unknown as ExplicitBaselineLosses;
}
// #endregion loss
