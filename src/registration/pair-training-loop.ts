/**
 * The epoch / step loop shared by the ICL model's training (train.ts) and the explicit
 * baseline's (explicit-baseline.ts): per epoch the learning rate lr * lrDecay^epoch and a
 * shuffled order of the training pairs; per step a batch of pairs drawn with a generator
 * seeded from (seed, step), one update by the caller's `step`, progress, and a checkpoint
 * every `checkpointEverySteps` steps and at each epoch end. `maxSteps` stops early and saves
 * the stopping point, so `--resume` continues exactly.
 *
 * Convention: every draw comes from (seed, epoch, step): the epoch's order from
 * mix(seed, epoch, -1), a step's crops / subsamples / perturbations from mix(seed, -2, step).
 */
import { tf } from '../core/tf.js';
import { createRng, permutation, type Rng } from '../core/rng.js';
import { disposeBatch, stackPairs, type PairBatch, type PairSourceCache } from './pair-batches.js';

type Adam = ReturnType<typeof tf.train.adam>;

/** A 32-bit seed from (seed, a, b). */
export function mix(seed: number, a: number, b: number): number {
  return (Math.imul(seed ^ 0x85ebca6b, 2654435761) ^ Math.imul(a + 1, 73856093) ^ Math.imul(b + 1, 19349663)) >>> 0;
}

/** Where a run stands (what a checkpoint records besides the weights). */
export interface PairLoopState { epoch: number; stepInEpoch: number; step: number; lastLoss: number | null }

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
