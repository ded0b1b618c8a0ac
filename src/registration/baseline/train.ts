/**
 * Training of the explicit baseline: one Adam step (the training core's adamStep: L2 weight
 * decay, optional clipping, no update on a non-finite loss) on in-frustum BCE + InfoNCE, and the
 * run-folder trainer on the registration config's pair data (the training core's loop, loss log
 * `<run>/losses.csv` and checkpoints, exact resume).
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import path from 'node:path';
import { createAdam, type Adam } from '../../train/adam.js';
import { adamStep } from '../../train/adam-step.js';
import { loadCheckpoint, saveCheckpoint } from '../../train/checkpoint.js';
import { createLossLog } from '../../train/loss-log.js';
import { loopStart, runTrainingLoop, type LoopState } from '../../train/loop.js';
import { NonFiniteLossError } from '../../train/non-finite.js';
import { readRunCheckpoint, withTrainingModel, writeRunConfig } from '../../train/run-folder.js';
import { registrationPairConfig } from '../config.js';
import { createPairSourceCache, withPairBatch, type PairBatch } from '../pair-batches.js';
import { validateExplicitBaselineConfig, type ExplicitBaselineConfig, type ValidExplicitBaselineConfig } from './config.js';
import { createExplicitBaseline, type ExplicitBaselineModel } from './model.js';
import { contrastiveTargets, type ContrastiveTargets } from './targets.js';
import { explicitBaselineLoss } from './losses.js';

// #region train
/** One step's report. */
export interface ExplicitStepReport { epoch: number; step: number; loss: number; cls: number; contrastive: number; pairsPerSec: number; learningRate: number }

/** Options of {@link trainExplicitBaseline}. */
export interface ExplicitTrainOptions {
  /** KITTI-layout root. */ dataRoot: string;
  /** Run folder. */ runDir: string;
  /** Config (ignored on resume). */ config?: Partial<ExplicitBaselineConfig>;
  /** Continue exactly from `<run>/checkpoint.json`. */ resume?: boolean;
  /** Override the number of epochs. */ epochs?: number;
  /** Stop after this many steps in total (tests, short runs). */ maxSteps?: number;
  /** Callback per step. */ progress?: (r: ExplicitStepReport) => void;
  /** Test hook added to a step's loss (NaN tests the guard). */ lossOffset?: (step: number) => number;
}

/**
 * One Adam step on a batch (the training core's adamStep over `optimizer.variables`, the
 * model's trainable variables: L2 weight decay and clipping from the config's registration
 * section, as registration/train.ts).
 * @returns the losses as numbers; throws NonFiniteLossError (no update applied) on NaN / Inf
 */
export function explicitBaselineStep(model: ExplicitBaselineModel, optimizer: Adam, batch: Pick<PairBatch, 'image' | 'points' | 'inFrustum'>, t: ContrastiveTargets, step = 0, offset = 0, checkpointPath = ''): { loss: number; cls: number; contrastive: number } {
  const c = model.config;
  const { loss, parts } = adamStep(optimizer, () => explicitBaselineLoss(model.forward(batch.image, batch.points, true), batch.inFrustum, t, c, c.registration.clsLoss),
    { weightDecay: c.registration.weightDecay, clipGradNorm: c.registration.clipGradNorm, lossOffset: offset });
  if (!Number.isFinite(loss)) throw new NonFiniteLossError(step, loss, checkpointPath);
  return { loss, cls: parts.cls, contrastive: parts.contrastive };
}

/**
 * Trains (or resumes) the baseline on the registration config's pair data; writes
 * `<run>/config.json`, `<run>/losses.csv` and checkpoints (train/checkpoint.ts: weights + Adam moments, atomic).
 * Every draw comes from (seed, epoch, step), so a resumed run equals an uninterrupted one.
 * @returns steps, epochs, losses and the model (the caller disposes it)
 * @throws NonFiniteLossError on a NaN / Inf loss (that step's update is not applied)
 */
export async function trainExplicitBaseline(o: ExplicitTrainOptions): Promise<{ steps: number; epochs: number; losses: number[]; model: ExplicitBaselineModel }> {
  const prev = readRunCheckpoint<ValidExplicitBaselineConfig>(o.runDir, o.resume === true);
  const base = o.resume ? validateExplicitBaselineConfig(prev!.config) : validateExplicitBaselineConfig(o.config ?? {});
  const c = o.epochs ? validateExplicitBaselineConfig({ ...base, registration: { ...base.registration, epochs: o.epochs } }) : base;
  const r = c.registration;
  writeRunConfig(o.runDir, { ...c, data: o.dataRoot });
  const data = createPairSourceCache(o.dataRoot, registrationPairConfig(r), 'train');
  const model = createExplicitBaseline(c);
  const optimizer = createAdam(model.trainableVariables, { learningRate: r.learningRate });
  const checkpointFile = path.join(o.runDir, 'checkpoint.json');
  const save = (s: LoopState) => saveCheckpoint(o.runDir, model, optimizer, { config: c, ...s }, r.seed);
  return withTrainingModel(model, optimizer, async () => {
    const start = loopStart(o.resume ? prev : null);
    if (o.resume) await loadCheckpoint(o.runDir, prev!, model, optimizer);
    else await save(start);
    const pc = registrationPairConfig(r), stride = model.gridStride;
    const gridW = Math.ceil(pc.cropWidth / stride), gridH = Math.ceil(pc.cropHeight / stride);
    return runTrainingLoop({
      items: data.dataset.length, schedule: { ...r, lrDecayEveryEpochs: 1 }, optimizer, start, maxSteps: o.maxSteps, save, checkpointFile,
      log: createLossLog(path.join(o.runDir, 'losses.csv'), 'pairs', !o.resume),
      step: (indices, rng, at) => withPairBatch(data, indices, rng, (batch) => {
        const l = explicitBaselineStep(model, optimizer, batch, contrastiveTargets(batch.pairs, gridW, gridH, stride, c.contrastivePoints, rng.fork()),
          at.step, o.lossOffset?.(at.step) ?? 0, checkpointFile);
        return { ...l, parts: { cls: l.cls, contrastive: l.contrastive } };
      }),
      report: (l, at) => o.progress?.({ epoch: at.epoch, step: at.step, loss: l.loss, cls: l.cls, contrastive: l.contrastive, pairsPerSec: at.itemsPerSec, learningRate: at.learningRate }),
    });
  });
}
// #endregion train
