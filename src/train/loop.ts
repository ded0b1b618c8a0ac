/**
 * The epoch / step loop of every trainer (ModaLink, the registration model, the explicit
 * baseline). Per epoch a fresh order of the training items, drawn from
 * epochSeed(seed, epoch); per step the learning rate of lr-schedule.ts, a generator seeded from
 * stepSeed(seed, step), one update by the caller's `step` on the next `batchSize` items of the
 * order, a guard against a non-finite loss, the timing (items per second), a line in the loss
 * log and a progress report; a checkpoint every `checkpointEverySteps` steps and at each epoch
 * end. `maxSteps` stops early and saves the stopping point, so a resumed run continues exactly
 * where it stopped.
 *
 * Convention: a run's position is (epoch, stepInEpoch, step): epochs completed, steps done in
 * the current epoch, steps done in all; every draw comes from (seed, epoch, step), so the
 * position is the whole random state and resume is bit for bit.
 * @see notebooks/03-place-recognition.ipynb
 */
import { createRng, permutation, type Rng } from '../core/rng.js';
import { learningRateAt, type LearningRateSchedule } from './lr-schedule.js';
import type { LossLog } from './loss-log.js';
import { NonFiniteLossError } from './non-finite.js';
import { epochSeed, stepSeed } from './seed.js';

/** Where a run stands (what a checkpoint records besides the weights). */
export interface LoopState { epoch: number; stepInEpoch: number; step: number; lastLoss: number | null }

/** Where the loop starts: a checkpoint's state when resuming (`resumeFrom`), else step 0 of epoch 0. */
export function loopStart(resumeFrom?: LoopState | null): LoopState {
  if (!resumeFrom) return { epoch: 0, stepInEpoch: 0, step: 0, lastLoss: null };
  return { epoch: resumeFrom.epoch, stepInEpoch: resumeFrom.stepInEpoch, step: resumeFrom.step, lastLoss: resumeFrom.lastLoss };
}

/** Steps in one epoch of `items` items: whole batches only, at least one. */
export function stepsPerEpoch(items: number, batchSize: number): number {
  return Math.max(1, Math.floor(items / batchSize));
}

/** The schedule fields the loop reads (a validated trainer config has them). */
export interface LoopSchedule extends LearningRateSchedule { epochs: number; batchSize: number; seed: number; checkpointEverySteps: number }

/** What a step returns: its loss and loss terms. */
export interface StepResult { loss: number; parts: Record<string, number> }

/** Where a step runs. */
export interface StepAt {
  /** Epochs completed before this step. */ epoch: number;
  /** Steps done before this one (after the step: including it). */ step: number;
  /** This step's learning rate. */ learningRate: number;
}

/** Options of {@link runTrainingLoop}. */
export interface TrainingLoopOptions<R extends StepResult> {
  /** Training items (queries, pairs); an epoch visits stepsPerEpoch(items, batchSize) batches. */ items: number;
  /** Epochs, batch size, seed, checkpoint interval and learning-rate schedule. */ schedule: Readonly<LoopSchedule>;
  /** The optimizer whose learning rate the loop sets before each step. */ optimizer: { learningRate: number };
  /** Where to start (loopStart: zeros, or a checkpoint's state on resume). */ start: LoopState;
  /** Stop once this many steps are done in total. */ maxSteps?: number;
  /** Writes a checkpoint of this state. */ save: (s: LoopState) => Promise<unknown>;
  /** The checkpoint file named by NonFiniteLossError (`<run>/checkpoint.json`). */ checkpointFile: string;
  /**
   * One update on the items `batch` (indices into the training items); `rng` is the step's
   * generator. It returns a non-finite loss with no update applied (adamStep does), or throws,
   * to stop training.
   */
  step: (batch: number[], rng: Rng, at: StepAt) => R;
  /** Items a step processes, for the throughput (ModaLink counts images). Default batchSize. */ itemsPerStep?: number;
  /** The per-step log (loss-log.ts). */ log?: LossLog;
  /** Called after each step with its result, `at.step` counting it. */ report?: (r: R, at: StepAt & { itemsPerSec: number }) => void;
}

// #region loop
/**
 * Runs the loop from `start`.
 * @returns the steps and epochs reached and this call's losses
 * @throws NonFiniteLossError when a step's loss is NaN or infinite (the checkpoints stay as they were)
 */
export async function runTrainingLoop<R extends StepResult>(o: TrainingLoopOptions<R>): Promise<{ steps: number; epochs: number; losses: number[] }> {
  const s = o.schedule, B = s.batchSize, perEpoch = stepsPerEpoch(o.items, B);
  let { epoch, stepInEpoch, step, lastLoss } = o.start;
  let saved = step; // the step of the checkpoint on disk (the start's, or one this call wrote)
  const save = async (at: LoopState): Promise<void> => { await o.save(at); saved = at.step; };
  const losses: number[] = [];
  o.log?.truncateAfter(step); // lines a killed run wrote after its last checkpoint: this run writes those steps again
  for (; epoch < s.epochs; epoch++, stepInEpoch = 0) {
    const order = permutation(createRng(epochSeed(s.seed, epoch)), o.items);
    for (; stepInEpoch < perEpoch; stepInEpoch++) {
      if (o.maxSteps !== undefined && step >= o.maxSteps) {
        if (saved !== step) await save({ epoch, stepInEpoch, step, lastLoss }); // keep the stopping point
        return { steps: step, epochs: epoch, losses };
      }
      const learningRate = learningRateAt(s, epoch, step);
      o.optimizer.learningRate = learningRate;
      const t0 = performance.now();
      const rng = createRng(stepSeed(s.seed, step));
      const r = o.step(Array.from(order.slice(stepInEpoch * B, (stepInEpoch + 1) * B)), rng, { epoch, step, learningRate });
      if (!Number.isFinite(r.loss)) throw new NonFiniteLossError(step, r.loss, o.checkpointFile);
      step++;
      lastLoss = r.loss;
      losses.push(r.loss);
      const itemsPerSec = (o.itemsPerStep ?? B) / ((performance.now() - t0) / 1000);
      o.log?.append({ step, epoch, loss: r.loss, parts: r.parts, itemsPerSec, learningRate });
      o.report?.(r, { epoch, step, learningRate, itemsPerSec });
      if (step % s.checkpointEverySteps === 0) await save({ epoch, stepInEpoch: stepInEpoch + 1, step, lastLoss });
    }
    await save({ epoch: epoch + 1, stepInEpoch: 0, step, lastLoss });
  }
  return { steps: step, epochs: epoch, losses };
}
// #endregion loop
