/**
 * The training pieces shared by the ICL model (train.ts) and the explicit baseline
 * (baseline/train.ts): one Adam update with L2 weight decay and a non-finite-loss guard
 * ({@link adamStep}), the lifetime of the model and optimizer while training
 * ({@link withTrainingModel}), where a run starts ({@link loopStart}), and the epoch / step
 * loop ({@link runPairTrainingLoop}): per epoch the learning rate lr * lrDecay^epoch and a
 * shuffled order of the training pairs; per step a batch of pairs drawn with a generator
 * seeded from (seed, step), one update by the caller's `step`, progress, and a checkpoint
 * every `checkpointEverySteps` steps and at each epoch end. `maxSteps` stops early and saves
 * the stopping point, so `--resume` continues exactly.
 *
 * Convention: every draw comes from (seed, epoch, step): the epoch's order from
 * mix(seed, epoch, -1), a step's crops / subsamples / perturbations from mix(seed, -2, step).
 */
import { tf, type Tensor, type Variable } from '../core/tf.js';
import { createRng, permutation, type Rng } from '../core/rng.js';
import { disposeBatch, stackPairs, type PairBatch, type PairSourceCache } from './pair-batches.js';

type Adam = ReturnType<typeof tf.train.adam>;
type Scalar = ReturnType<typeof tf.scalar>;

/** A 32-bit seed from (seed, a, b). */
export function mix(seed: number, a: number, b: number): number {
  return (Math.imul(seed ^ 0x85ebca6b, 2654435761) ^ Math.imul(a + 1, 73856093) ^ Math.imul(b + 1, 19349663)) >>> 0;
}

// #region adamStep
/**
 * One Adam update from a loss closure: gradients of `total` (+ `offset`) over `vars`; on a
 * non-finite loss no update is applied (the caller decides what to do, e.g. throw
 * NonFiniteLossError); otherwise PyTorch-style L2 weight decay (g + weightDecay * v, as
 * torch's Adam does) is added to the gradients and the update applied. Variables off the
 * loss's path get null gradients; Adam skips them.
 * @param losses builds the loss terms (scalars, `total` the one minimised) from the current weights
 * @param offset added to the loss (a test hook for the NaN guard)
 * @returns the loss and every term of `losses` as numbers; no tensor outlives the call
 */
export function adamStep(optimizer: Adam, vars: Variable[], weightDecay: number, losses: () => { total: Scalar } & Record<string, Scalar>, offset = 0): { loss: number; parts: Record<string, number> } {
  let terms: Record<string, Scalar> = {};
  const { value, grads } = optimizer.computeGradients(() => {
    terms = losses();
    for (const t of Object.values(terms)) tf.keep(t);
    return (offset === 0 ? tf.clone(terms.total) : tf.add(terms.total, offset)) as Scalar;
  }, vars);
  const loss = value.dataSync()[0];
  const parts = Object.fromEntries(Object.entries(terms).map(([k, t]) => [k, t.dataSync()[0]]));
  tf.dispose([value, ...Object.values(terms)]);
  const live = Object.values(grads).filter((g) => g != null);
  if (!Number.isFinite(loss)) {
    tf.dispose(live);
    return { loss, parts };
  }
  const decayed = weightDecay > 0
    ? Object.fromEntries(vars.map((v) => [v.name, grads[v.name] == null ? null : tf.tidy(() => tf.add(grads[v.name], tf.mul(v, weightDecay)))])) : grads;
  optimizer.applyGradients(decayed as Parameters<typeof optimizer.applyGradients>[0]);
  tf.dispose(live);
  if (decayed !== grads) tf.dispose(Object.values(decayed).filter((g) => g != null) as Tensor[]);
  return { loss, parts };
}
// #endregion adamStep

/**
 * Runs `body` (checkpoint loading and the loop) for a freshly built model and its optimizer:
 * the optimizer is disposed in every case, the model only when `body` throws (on success the
 * caller receives it and disposes it).
 * @returns body's result with the model
 */
export async function withTrainingModel<M extends { dispose(): void }, R extends object>(model: M, optimizer: Adam, body: () => Promise<R>): Promise<R & { model: M }> {
  try {
    return { ...(await body()), model };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
}

/** Where a run stands (what a checkpoint records besides the weights). */
export interface PairLoopState { epoch: number; stepInEpoch: number; step: number; lastLoss: number | null }

/** Where the loop starts: a checkpoint's state when resuming (`resumeFrom`), else step 0 of epoch 0. */
export function loopStart(resumeFrom?: PairLoopState | null): PairLoopState {
  if (!resumeFrom) return { epoch: 0, stepInEpoch: 0, step: 0, lastLoss: null };
  return { epoch: resumeFrom.epoch, stepInEpoch: resumeFrom.stepInEpoch, step: resumeFrom.step, lastLoss: resumeFrom.lastLoss };
}

/** The schedule fields the loop reads (a validated registration config has them). */
export interface PairLoopSchedule { epochs: number; batchSize: number; learningRate: number; lrDecay: number; seed: number; checkpointEverySteps: number }

/** Options of {@link runPairTrainingLoop}. */
export interface PairLoopOptions<R extends { loss: number }> {
  data: PairSourceCache;
  schedule: PairLoopSchedule;
  optimizer: Adam;
  /** Where to start (zeros, or a checkpoint's state on resume). */
  start: PairLoopState;
  /** Stop once this many steps are done in total. */
  maxSteps?: number;
  /** Writes a checkpoint of this state. */
  save: (s: PairLoopState) => Promise<unknown>;
  /**
   * One update on `batch` (disposed by the loop afterwards, also when this throws); `rng` is the
   * step's generator after the batch's draws; `step` the number of steps done before this one.
   * Throws (e.g. NonFiniteLossError) to stop training without an update.
   */
  step: (batch: PairBatch, rng: Rng, step: number) => R;
  /** Called after each step with its result. */
  report?: (r: R, at: { epoch: number; step: number; pairsPerSec: number; learningRate: number }) => void;
}

// #region loop
/** Runs the loop from `start`; returns the steps and epochs reached and this call's losses. */
export async function runPairTrainingLoop<R extends { loss: number }>(o: PairLoopOptions<R>): Promise<{ steps: number; epochs: number; losses: number[] }> {
  const { data, schedule: s, optimizer } = o;
  let { epoch, stepInEpoch, step, lastLoss } = o.start;
  const B = s.batchSize, n = data.dataset.length;
  const stepsPerEpoch = Math.max(1, Math.floor(n / B));
  const losses: number[] = [];
  for (; epoch < s.epochs; epoch++, stepInEpoch = 0) {
    const lr = s.learningRate * s.lrDecay ** epoch;
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    const order = permutation(createRng(mix(s.seed, epoch, -1)), n);
    for (; stepInEpoch < stepsPerEpoch; stepInEpoch++) {
      if (o.maxSteps !== undefined && step >= o.maxSteps) {
        if (stepInEpoch > 0) await o.save({ epoch, stepInEpoch, step, lastLoss }); // keep the stopping point
        return { steps: step, epochs: epoch, losses };
      }
      const t0 = performance.now();
      const rng = createRng(mix(s.seed, -2, step));
      const batch = stackPairs(Array.from(order.slice(stepInEpoch * B, (stepInEpoch + 1) * B), (i) => data.pair(i, rng)));
      let r: R;
      try { r = o.step(batch, rng, step); } finally { disposeBatch(batch); }
      step++;
      lastLoss = r.loss;
      losses.push(r.loss);
      o.report?.(r, { epoch, step, pairsPerSec: B / ((performance.now() - t0) / 1000), learningRate: lr });
      if (step % s.checkpointEverySteps === 0) await o.save({ epoch, stepInEpoch: stepInEpoch + 1, step, lastLoss });
    }
    await o.save({ epoch: epoch + 1, stepInEpoch: 0, step, lastLoss });
  }
  return { steps: step, epochs: epoch, losses };
}
// #endregion loop
