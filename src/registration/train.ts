/**
 * Training of the registration model, one stage per call (ICL's code: stage 1 'gpdm' trains
 * the encoders + GPDM on L_cls + L_fru; stage 2 'rest' trains ICLM + PRM on L_corr + L_div +
 * L_cam with GPDM frozen; 'joint' trains all on all). The step (Adam, L2 weight decay added to
 * the gradients as PyTorch's Adam does, optional clipping), the schedule (lr x lrDecay per
 * epoch, optional warm-up), the loop, the loss log `<run>/losses-<stage>.csv` and the
 * checkpoints (variables by name + Adam moments, atomic, exact resume, NaN guard) are the
 * training core's (src/train/).
 *
 * Stages in one run folder: a call whose stage differs from the checkpoint's starts that
 * stage from the checkpoint's weights with a fresh optimizer (`--stage rest` after
 * `--stage gpdm`); `resume` continues the checkpoint's own stage exactly.
 * Convention: every draw comes from (seed, epoch, step): the epoch's order from (seed, epoch),
 * a step's crops / subsamples / perturbations from (seed, step).
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import path from 'node:path';
import { createAdam, type Adam } from '../train/adam.js';
import { adamStep } from '../train/adam-step.js';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { createLossLog } from '../train/loss-log.js';
import { loopStart, runTrainingLoop, type LoopState } from '../train/loop.js';
import { readRunCheckpoint, withTrainingModel, writeRunConfig } from '../train/run-folder.js';
import { registrationPairConfig, storedRegistrationConfig, validateRegistrationConfig, type RegistrationConfig, type RegistrationStage } from './config.js';
import { createRegistrationModel, type RegistrationBatch, type RegistrationModel } from './model.js';
import { registrationLoss, type RegistrationTarget } from './losses.js';
import { createPairSourceCache, withPairBatch } from './pair-batches.js';
import { tf } from '../core/tf.js';
import type { Rng } from '../core/rng.js';
import { alongHeadingLoss, headingLoss } from './bearing.js';
import { alongOffsets, alongPolarImages, cameraOffsetInCloud, poseCentre, poseHeading, POLAR_CHANNELS } from './bearing-polar.js';

export { NonFiniteLossError } from '../train/non-finite.js';

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
  /**
   * What initFrom copies: 'gpdm' (default, the GPDM group above); 'frustum' (the GPDM group and
   * the bearing network: everything the frustum pose needs, so that stage 'rest' of an ablation
   * variant with another N_q or L trains on the shipped model's frustum pose); or 'all' (every
   * variable: ICLM and PRM too), to fine-tune a trained model on other data, e.g.
   * pairs.neighbourFrames. A variable missing or mis-shaped in initFrom's checkpoint is an InputError naming it.
   */
  initGroup?: InitGroup;
}

/** What {@link RegistrationTrainOptions.initFrom} copies. */
export type InitGroup = 'gpdm' | 'frustum' | 'all';
/** Names of the variables {@link RegistrationTrainOptions.initFrom} copies by default (initGroup 'gpdm'). */
export const GPDM_GROUP_PATTERN = /^(image|point|gpdm)\./;
/** ... and with initGroup 'frustum' (the bearing network too). */
export const FRUSTUM_GROUP_PATTERN = /^(image|point|gpdm|bearing)\./;

/** What training did (the caller disposes `model`). */
export interface RegistrationTrainResult { steps: number; epochs: number; losses: number[]; model: RegistrationModel }

// #region step
/**
 * One Adam step of `stage` on `batch` (the training core's adamStep): gradients of the weighted
 * loss over the optimizer's variables (`model.trainableVariables(stage)`), clipped when
 * `c.clipGradNorm` is set, PyTorch-style L2 weight decay `c.weightDecay` added, update applied.
 * A non-finite loss applies no update (the caller decides what to do; {@link trainRegistration}
 * throws NonFiniteLossError). Variables off the loss's path (e.g. the FPN in stage gpdm) get no
 * gradient; Adam leaves them as they are.
 * @param offset added to the loss (test hook for the NaN guard)
 * @returns the loss and every term as numbers
 */
export function registrationStep(model: RegistrationModel, optimizer: Adam, batch: RegistrationBatch & RegistrationTarget, c: Readonly<RegistrationConfig>, stage: RegistrationStage, offset = 0): { loss: number; parts: Record<string, number> } {
  const pc = registrationPairConfig(c);
  const r = adamStep(optimizer, () => registrationLoss(model.forward(batch, true, stage), batch, c, stage, pc.cropWidth, pc.cropHeight),
    { weightDecay: c.weightDecay, clipGradNorm: c.clipGradNorm, lossOffset: offset });
  return { loss: r.loss, parts: r.parts };
}
// #endregion step

// #region bearingStep
/**
 * One Adam step of stage 'bearing': the bearing network alone, on the heading loss
 * (bearing.ts headingLoss). Each pair's polar image is centred where the test-time one is, on
 * the LiDAR's centre (here the TRUE one: the true camera centre plus the rig's LiDAR origin,
 * turned by the true heading; the camera centre without `lidarOrigin`), moved by Gaussian noise
 * (std bearing.centreNoiseM per axis, drawn from `rng`), the error of the centre estimate; the
 * target is the true heading. With bearing.alongHalfM > 0 the cloud is also seen from that centre moved d metres
 * along the true camera's forward axis (bearing-polar.ts alongOffsets) and the loss is one softmax over (d,
 * heading) against (0, the true heading) (bearing.ts alongHeadingLoss): the heading and where along the axis.
 * @returns the loss and its one term, `heading`
 */
export function bearingStep(model: RegistrationModel, optimizer: Adam, batch: RegistrationBatch & RegistrationTarget, c: Readonly<RegistrationConfig>, rng: Rng, offset = 0): { loss: number; parts: Record<string, number> } {
  const net = model.bearing;
  if (!net) throw new Error("bearingStep: the model has no bearing network (config frustumPose must be 'bearing')");
  const bc = net.config, B = batch.points.shape[0];
  const T = batch.camFromPoints.dataSync(), origin = batch.lidarOrigin?.dataSync() ?? new Float32Array(3 * B);
  const headings = new Float64Array(B), centres = new Float64Array(2 * B);
  for (let b = 0; b < B; b++) {
    const pose = T.subarray(16 * b, 16 * b + 16), ctr = poseCentre(pose), psi = poseHeading(pose);
    const off = cameraOffsetInCloud(psi, origin.subarray(3 * b, 3 * b + 3)); // the LiDAR's centre: c + R^T o
    headings[b] = psi;
    centres[2 * b] = ctr.x + off.x + bc.centreNoiseM * rng.normal();
    centres[2 * b + 1] = ctr.z + off.z + bc.centreNoiseM * rng.normal();
  }
  // along-track search (bearing.alongHalfM > 0): each cloud also seen from centres moved d along the camera's forward axis
  const along = alongOffsets(bc), A = along.length, forward = Float64Array.from({ length: 2 * B }, (_, i) => (i % 2 === 0 ? Math.sin : Math.cos)(headings[i >> 1]));
  const polar = alongPolarImages(batch.points.dataSync() as Float32Array, centres, forward, along, bc);
  const polarT = tf.tensor4d(polar, [B * A, bc.rangeBins, bc.bins, POLAR_CHANNELS]), KT = tf.reshape(batch.K, [B, 9]);
  try {
    const r = adamStep(optimizer, () => {
      const scores = net.scores(polarT, batch.image, KT as never, A);
      const heading = A === 1 ? headingLoss(scores, headings) : alongHeadingLoss(scores, A, along.indexOf(0), headings);
      return { total: heading, heading };
    }, { weightDecay: c.weightDecay, clipGradNorm: c.clipGradNorm, lossOffset: offset });
    return { loss: r.loss, parts: r.parts };
  } finally {
    tf.dispose([polarT, KT]);
  }
}
// #endregion bearingStep

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
  const optimizer = createAdam(model.trainableVariables(stage), { learningRate: o.learningRate ?? c.learningRate });
  const losses: number[] = [], parts: Record<string, number>[] = [];
  try {
    for (let i = 0; i < o.steps; i++) {
      const r = registrationStep(model, optimizer, batch, c, stage);
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
 * Trains (or resumes) one stage. Writes `<run>/config.json`, `<run>/losses-<stage>.csv` and checkpoints.
 * @throws NonFiniteLossError on a NaN/Inf loss (that step's update is not applied)
 * @throws Error naming the option (`resume: ...`, `initFrom: ...`) when the run folders do not fit it
 */
export async function trainRegistration(o: RegistrationTrainOptions): Promise<RegistrationTrainResult> {
  const prev = readRunCheckpoint<RegistrationConfig>(o.runDir, o.resume === true);
  const prevConfig = prev ? storedRegistrationConfig(prev.config) : null;
  const base = o.resume || (prevConfig && o.config === undefined) ? prevConfig! : validateRegistrationConfig(o.config ?? {});
  const stage = o.stage ?? (o.resume ? prevConfig!.stage : base.stage);
  if (o.resume && stage !== prevConfig!.stage) throw new Error(`resume: the checkpoint in ${o.runDir} trains stage '${prevConfig!.stage}', not '${stage}'`);
  const c = validateRegistrationConfig({ ...base, stage, ...(o.epochs ? { epochs: o.epochs } : {}) });
  if (o.initGroup !== undefined && !(['gpdm', 'frustum', 'all'] as unknown[]).includes(o.initGroup)) throw new Error(`initGroup: expected 'gpdm', 'frustum' or 'all', got '${String(o.initGroup)}'`);
  if (o.initGroup !== undefined && o.initFrom === undefined) throw new Error('initGroup: needs initFrom (the run to copy from)');
  if (o.initFrom !== undefined && prev) throw new Error(`initFrom: ${o.runDir} already has a checkpoint (initFrom starts a fresh run folder)`);
  const init = o.initFrom === undefined ? null : readRunCheckpoint<RegistrationConfig>(o.initFrom, true, 'initFrom');
  writeRunConfig(o.runDir, { ...c, data: o.dataRoot, ...(o.initFrom ? { initFrom: o.initFrom, ...(o.initGroup ? { initGroup: o.initGroup } : {}) } : {}) });
  const data = createPairSourceCache(o.dataRoot, registrationPairConfig(c), 'train');
  const model = createRegistrationModel(c);
  const optimizer = createAdam(model.trainableVariables(stage), { learningRate: c.learningRate }); // the stage's trainables: its Adam moments
  const save = (s: LoopState) => saveCheckpoint(o.runDir, model, optimizer, { config: c, ...s }, c.seed);
  return withTrainingModel(model, optimizer, async () => {
    const start = loopStart(o.resume ? prev : null);
    if (o.resume) await loadCheckpoint(o.runDir, prev!, model, optimizer);
    else {
      if (prev && prevConfig!.stage !== stage) await loadCheckpoint(o.runDir, prev, model); // next stage: weights only
      if (init) { // the GPDM group (or every variable) of another run; InputError naming the tensor when one is missing or mis-shaped
        const pattern = o.initGroup === 'frustum' ? FRUSTUM_GROUP_PATTERN : GPDM_GROUP_PATTERN;
        const group = new Map([...model.variables].filter(([name]) => o.initGroup === 'all' || pattern.test(name)));
        await loadCheckpoint(o.initFrom!, init, { variables: group });
      }
      await save(start);
    }
    return runTrainingLoop({
      items: data.dataset.length, schedule: { ...c, lrDecayEveryEpochs: 1 }, optimizer, start, maxSteps: o.maxSteps, save,
      checkpointFile: path.join(o.runDir, 'checkpoint.json'), log: createLossLog(path.join(o.runDir, `losses-${stage}.csv`), 'pairs', !o.resume),
      step: (indices, rng, at) => withPairBatch(data, indices, rng, (batch) => (stage === 'bearing'
        ? bearingStep(model, optimizer, batch, c, rng, o.lossOffset?.(at.step) ?? 0)
        : registrationStep(model, optimizer, batch, c, stage, o.lossOffset?.(at.step) ?? 0))),
      report: (res, at) => o.progress?.({ stage, epoch: at.epoch, step: at.step, loss: res.loss, parts: res.parts, pairsPerSec: at.itemsPerSec, learningRate: at.learningRate }),
    });
  });
}
// #endregion train
