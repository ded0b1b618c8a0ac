/**
 * The learning rate of every step: a step decay by epoch (lr x lrDecay every
 * lrDecayEveryEpochs epochs, the ModaLink and ICL schedules) and, at the start of a run, a
 * linear warm-up over `warmupSteps` steps. With warmupSteps 0 it is exactly the step decay the
 * trainers used before the warm-up existed, so their results do not change.
 *
 *   lr(epoch, step) = learningRate * lrDecay^floor(epoch / lrDecayEveryEpochs) * w(step)
 *   w(step) = (step + 1) / warmupSteps while step < warmupSteps, else 1
 *
 * Convention: `step` counts the steps done before this one over the whole run (0 for the
 * first), so the warm-up continues correctly after a resume.
 * @see notebooks/03-place-recognition.ipynb
 */

/** The schedule fields of a trainer's config. */
export interface LearningRateSchedule {
  /** Base learning rate, > 0. */
  learningRate: number;
  /** Factor applied every `lrDecayEveryEpochs` epochs, in (0, 1]. */
  lrDecay: number;
  /** Epochs between decays, integer >= 1 (1 for the registration models: decay every epoch). */
  lrDecayEveryEpochs: number;
  /** Steps of linear warm-up from learningRate / warmupSteps to learningRate, integer >= 0 (0 = none). */
  warmupSteps: number;
}

// #region learningRateAt
/**
 * The learning rate of the step after `step` steps, in epoch `epoch`.
 * @param epoch epochs completed before this step
 * @param step steps done before this one, over the whole run
 */
export function learningRateAt(s: Readonly<LearningRateSchedule>, epoch: number, step: number): number {
  const lr = s.learningRate * s.lrDecay ** Math.floor(epoch / s.lrDecayEveryEpochs);
  return step < s.warmupSteps ? lr * ((step + 1) / s.warmupSteps) : lr;
}
// #endregion learningRateAt
