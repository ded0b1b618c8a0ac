/**
 * The one training core of the library (issue 10): the Adam update on flat vectors, the step
 * from a loss closure (NaN guard, clipping, L2 weight decay), the learning-rate schedule
 * (step decay, linear warm-up), the epoch / step loop with exact resume, the per-step loss log,
 * checkpoints, and the run folder. ModaLink, the registration model and the explicit baseline
 * all train through it.
 */
export { mixSeed, epochSeed, stepSeed } from './seed.js';
export { NonFiniteLossError } from './non-finite.js';
export type { FlatLayout } from './flat-layout.js';
export { flatLayout, flattenTensors, unflattenTensor, splitFlatArray, joinFlatArrays } from './flat-layout.js';
export type { AdamConfig, AdamState, AdamUpdateOptions, Adam } from './adam.js';
export { createAdam } from './adam.js';
export { CLIP_NORM_EPSILON, clipGradNorm } from './clip-grad-norm.js';
export type { AdamStepOptions, AdamStepResult } from './adam-step.js';
export { adamStep } from './adam-step.js';
export type { LearningRateSchedule } from './lr-schedule.js';
export { learningRateAt } from './lr-schedule.js';
export type { OptimizerFields } from './optimizer-fields.js';
export { DEFAULT_OPTIMIZER_FIELDS, checkOptimizerFields } from './optimizer-fields.js';
export type { CheckpointModel, CheckpointState } from './checkpoint.js';
export { writeFileAtomic, saveCheckpoint, readCheckpointState, loadCheckpoint } from './checkpoint.js';
export type { ExportedModel } from './export-model.js';
export { exportModelFolder, sha256File } from './export-model.js';
export type { LossLogLine, LossLog } from './loss-log.js';
export { createLossLog } from './loss-log.js';
export { readRunCheckpoint, writeRunConfig, withTrainingModel } from './run-folder.js';
export type { LoopState, LoopSchedule, StepResult, StepAt, TrainingLoopOptions } from './loop.js';
export { loopStart, stepsPerEpoch, runTrainingLoop } from './loop.js';
