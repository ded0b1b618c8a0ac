/**
 * Training of the registration model, one stage per call (ICL's code: stage 1 'gpdm' trains
 * the encoders + GPDM on L_cls + L_fru; stage 2 'rest' trains ICLM + PRM on L_corr + L_div +
 * L_cam with GPDM frozen; 'joint' trains all on all). Adam (lr x lrDecay per epoch, L2 weight
 * decay added to the gradients as PyTorch's Adam does), checkpoints via modalink/checkpoint.ts
 * (variables by name + Adam moments, atomic), exact resume, NaN guard.
 *
 * Stages in one run folder: a call whose stage differs from the checkpoint's starts that
 * stage from the checkpoint's weights with a fresh optimizer (`--stage rest` after
 * `--stage gpdm`); `resume` continues the checkpoint's own stage exactly.
 * Convention: every draw comes from (seed, epoch, step): the epoch's order from (seed, epoch),
 * a step's crops / subsamples / perturbations from (seed, step).
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import fs from 'node:fs';
import path from 'node:path';
import { tf, type Variable } from '../core/tf.js';
import { loadCheckpoint, readCheckpointState, saveCheckpoint, writeFileAtomic, type CheckpointModel } from '../modalink/checkpoint.js';
import { NonFiniteLossError } from '../modalink/train.js';
import { registrationPairConfig, validateRegistrationConfig, type RegistrationConfig, type RegistrationStage } from './config.js';
import { createRegistrationModel, type RegistrationBatch, type RegistrationModel } from './model.js';
import { registrationLoss, type RegistrationTarget } from './losses.js';
import { createPairSourceCache } from './pair-batches.js';
import { adamStep, loopStart, runPairTrainingLoop, withTrainingModel, type PairLoopState } from './pair-training-loop.js';

type Adam = ReturnType<typeof tf.train.adam>;
export { NonFiniteLossError };

/** One step's report. */
export interface RegistrationStepReport { stage: RegistrationStage; epoch: number; step: number; loss: number; parts: Record<string, number>; pairsPerSec: number; learningRate: number }

/** Options of {@link trainRegistration}. */
export interface RegistrationTrainOptions {
  /** KITTI-layout root. */ dataRoot: string;
  /** Run folder. */ runDir: string;
  /** Config (ignored on resume). */ config?: Partial<RegistrationConfig>;
  /** Stage to train (overrides config.stage; on resume must match the checkpoint's). */ stage?: RegistrationStage;
  /** Continue exactly from `<run>/checkpoint.json`. */ resume?: boolean;
  /** Override the number of epochs. */ epochs?: number;
  /** Stop after this many steps of this stage (tests). */ maxSteps?: number;
  /** Callback per step. */ progress?: (r: RegistrationStepReport) => void;
  /** Test hook added to a step's loss (NaN tests the guard). */ lossOffset?: (step: number) => number;
  /**
   * Another run whose checkpoint supplies the GPDM group (both encoders and the GPDM heads:
   * variables `image.*`, `point.*`, `gpdm.*`) before this run starts: stage 'rest' of ablation
   * variants (N_q, L, no ICLM) that share one stage-1 run. Only for a fresh run folder.
   */
  initFrom?: string;
}

/** Names of the variables {@link RegistrationTrainOptions.initFrom} copies. */
export const GPDM_GROUP_PATTERN = /^(image|point|gpdm)\./;

/** What training did (the caller disposes `model`). */
export interface RegistrationTrainResult { steps: number; epochs: number; losses: number[]; model: RegistrationModel }

// #region step
/**
 * One Adam step of `stage` on `batch`: gradients of the weighted loss over `vars`, PyTorch-style
 * L2 weight decay added to them, update applied. A non-finite loss applies no update (the
 * caller decides what to do; {@link trainRegistration} throws NonFiniteLossError).
 * Variables off the loss's path (e.g. the FPN in stage gpdm) get null gradients; Adam skips them.
 * @param offset added to the loss (test hook for the NaN guard)
 * @returns the loss and every term as numbers
 */
export function registrationStep(model: RegistrationModel, optimizer: Adam, vars: Variable[], batch: RegistrationBatch & RegistrationTarget, c: Readonly<RegistrationConfig>, stage: RegistrationStage, offset = 0): { loss: number; parts: Record<string, number> } {
  const pc = registrationPairConfig(c);
  return adamStep(optimizer, vars, c.weightDecay, () =>
    registrationLoss(model.forward(batch, true, stage), batch, c, stage, pc.cropWidth, pc.cropHeight), offset);
}
// #endregion step

// #region fitFixedBatch
/**
 * The first debugging step of any new model: train on ONE fixed batch for `steps` steps and
 * watch the loss. A model that cannot drive the loss down on four pairs it sees again and again
 * has a bug (or a learning rate far off); one that can, but does not generalise, needs data
 * and time. The model's variables change; the optimizer is created and disposed here.
 * @returns the loss and its terms after every step
 */
export function fitFixedBatch(model: RegistrationModel, batch: RegistrationBatch & RegistrationTarget, o: { steps: number; stage?: RegistrationStage; learningRate?: number; progress?: (step: number, loss: number, parts: Record<string, number>) => void }): { losses: number[]; parts: Record<string, number>[] } {
  const stage = o.stage ?? 'joint';
  const c = validateRegistrationConfig({ ...model.config, stage });
  const optimizer: Adam = tf.train.adam(o.learningRate ?? c.learningRate);
  const vars = model.trainableVariables(stage);
  const losses: number[] = [], parts: Record<string, number>[] = [];
  try {
    for (let i = 0; i < o.steps; i++) {
      const r = registrationStep(model, optimizer, vars, batch, c, stage);
      if (!Number.isFinite(r.loss)) throw new Error(`fitFixedBatch: the loss is ${r.loss} at step ${i} (no update applied); lower learningRate`);
      losses.push(r.loss); parts.push(r.parts);
      o.progress?.(i + 1, r.loss, r.parts);
    }
  } finally {
    optimizer.dispose();
  }
  return { losses, parts };
}
// #endregion fitFixedBatch

// #region train
/**
 * Trains (or resumes) one stage. Writes `<run>/config.json` and checkpoints.
 * @throws NonFiniteLossError on a NaN/Inf loss (that step's update is not applied)
 */
export async function trainRegistration(o: RegistrationTrainOptions): Promise<RegistrationTrainResult> {
  const prev = readCheckpointState<RegistrationConfig>(o.runDir);
  if (o.resume && !prev) throw new Error(`--resume: no checkpoint.json in ${o.runDir}`);
  const prevConfig = prev ? validateRegistrationConfig(prev.config) : null;
  const base = o.resume || (prevConfig && o.config === undefined) ? prevConfig! : validateRegistrationConfig(o.config ?? {});
  const stage = o.stage ?? (o.resume ? prevConfig!.stage : base.stage);
  if (o.resume && stage !== prevConfig!.stage) throw new Error(`--resume: the checkpoint trains stage '${prevConfig!.stage}', not '${stage}'`);
  const c = validateRegistrationConfig({ ...base, stage, ...(o.epochs ? { epochs: o.epochs } : {}) });
  const init = o.initFrom === undefined ? null : readCheckpointState<RegistrationConfig>(o.initFrom);
  if (o.initFrom !== undefined) {
    if (prev) throw new Error(`--init-from: ${o.runDir} already has a checkpoint (init-from starts a fresh run folder)`);
    if (!init) throw new Error(`--init-from: no checkpoint.json in ${o.initFrom}`);
  }
  fs.mkdirSync(o.runDir, { recursive: true });
  writeFileAtomic(path.join(o.runDir, 'config.json'), JSON.stringify({ ...c, data: o.dataRoot, ...(o.initFrom ? { initFrom: o.initFrom } : {}) }, null, 2) + '\n');
  const data = createPairSourceCache(o.dataRoot, registrationPairConfig(c), 'train');
  const model = createRegistrationModel(c);
  const vars = model.trainableVariables(stage);
  const ckModel: CheckpointModel = { variables: model.variables, trainableVariables: vars }; // the stage's trainables: its Adam moments
  const optimizer: Adam = tf.train.adam(c.learningRate);
  const save = (s: PairLoopState) => saveCheckpoint(o.runDir, ckModel, optimizer, { config: c, ...s }, c.seed);
  return withTrainingModel(model, optimizer, async () => {
    const start = loopStart(o.resume ? prev : null);
    if (o.resume) await loadCheckpoint(o.runDir, prev!, ckModel, optimizer);
    else {
      if (prev && prevConfig!.stage !== stage) await loadCheckpoint(o.runDir, prev, ckModel); // next stage: weights only
      if (init) { // the GPDM group of another run; InputError naming the tensor when one is missing or mis-shaped
        const group = new Map([...model.variables].filter(([name]) => GPDM_GROUP_PATTERN.test(name)));
        await loadCheckpoint(o.initFrom!, init, { variables: group, trainableVariables: [] });
      }
      await save(start);
    }
    return runPairTrainingLoop({
      data, schedule: c, optimizer, start, maxSteps: o.maxSteps, save,
      step: (batch, _rng, step) => {
        const res = registrationStep(model, optimizer, vars, batch, c, stage, o.lossOffset?.(step) ?? 0);
        if (!Number.isFinite(res.loss)) throw new NonFiniteLossError(step, res.loss, path.join(o.runDir, 'checkpoint.json'));
        return res;
      },
      report: (res, at) => o.progress?.({ stage, epoch: at.epoch, step: at.step, loss: res.loss, parts: res.parts, pairsPerSec: at.pairsPerSec, learningRate: at.learningRate }),
    });
  });
}
// #endregion train
