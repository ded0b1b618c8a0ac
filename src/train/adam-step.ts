/**
 * One optimisation step from a loss closure, the step all three trainers run (ModaLink, the
 * registration model, the explicit baseline): gradients of the loss over the optimizer's
 * variables, a guard that applies no update when the loss is NaN or infinite, optional
 * clipping by global norm (clip-grad-norm.ts), optional PyTorch-style L2 weight decay, and
 * the Adam update (adam.ts). Variables off the loss's path (e.g. the FPN in the registration
 * model's stage 'gpdm') get no gradient; Adam leaves them and their moments as they are.
 *
 * Order, as in PyTorch training loops: clip_grad_norm_ on the raw gradients, then
 * torch.optim.Adam with weight_decay adds weightDecay * w to the (clipped) gradient.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor1D, type Variable } from '../core/tf.js';
import type { Adam } from './adam.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { flattenTensors } from './flat-layout.js';

type Scalar = ReturnType<typeof tf.scalar>;

/** Options of {@link adamStep}. */
export interface AdamStepOptions {
  /** L2 weight decay added to the gradients (torch.optim.Adam's weight_decay), >= 0. Default 0. */
  weightDecay?: number;
  /** Clip the gradients to this global L2 norm, > 0; null = no clipping. Default null. */
  clipGradNorm?: number | null;
  /** Added to the loss (a test hook for the NaN guard). Default 0. */
  lossOffset?: number;
}

/** What a step did. */
export interface AdamStepResult {
  /** The loss minimised (plus lossOffset). */
  loss: number;
  /** Every term the closure returned (`total` included), as numbers. */
  parts: Record<string, number>;
  /** false: the loss was not finite and no update was applied. */
  applied: boolean;
  /** Global L2 norm of the gradients before clipping; null when clipping is off or nothing was applied. */
  gradNorm: number | null;
}

// #region adamStep
/**
 * One Adam step; no tensor outlives the call.
 * @param losses builds the loss terms (scalars; `total` is minimised) from the current weights
 */
export function adamStep(optimizer: Adam, losses: () => { total: Tensor } & Record<string, Tensor>, o: AdamStepOptions = {}): AdamStepResult {
  const offset = o.lossOffset ?? 0;
  let terms: Record<string, Tensor> = {};
  const { value, grads } = tf.variableGrads(() => {
    terms = losses();
    for (const t of Object.values(terms)) tf.keep(t);
    return (offset === 0 ? tf.clone(terms.total) : tf.add(terms.total, offset)) as Scalar;
  }, optimizer.variables as Variable[]);
  const loss = value.dataSync()[0];
  const parts = Object.fromEntries(Object.entries(terms).map(([k, t]) => [k, t.dataSync()[0]]));
  tf.dispose([value, ...Object.values(terms)]);
  const list = optimizer.variables.map((v) => grads[v.name] ?? null);
  if (!Number.isFinite(loss)) {
    tf.dispose(list.filter((g): g is Tensor => g !== null));
    return { loss, parts, applied: false, gradNorm: null };
  }
  const live = list.map((g) => g !== null);
  let flat: Tensor1D = tf.tidy(() => flattenTensors(list.map((g, i) => g ?? tf.zeros([optimizer.layout.sizes[i]])))); // [P], zeros where no gradient
  tf.dispose(list.filter((g): g is Tensor => g !== null));
  let gradNorm: number | null = null;
  if (o.clipGradNorm != null) {
    const clipped = clipGradNorm(flat, o.clipGradNorm);
    flat.dispose();
    flat = clipped.grad;
    gradNorm = clipped.norm;
  }
  try {
    optimizer.update(flat, { live, weightDecay: o.weightDecay ?? 0 });
  } finally {
    flat.dispose();
  }
  return { loss, parts, applied: true, gradNorm };
}
// #endregion adamStep
