/**
 * Training of the explicit baseline: one Adam step (the shared {@link adamStep}: L2 weight
 * decay, no update on a non-finite loss) on in-frustum BCE + InfoNCE, and the run-folder
 * trainer on the registration config's pair data (the shared epoch / step loop, checkpoints
 * via modalink/checkpoint.ts, exact resume).
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import fs from 'node:fs';
import path from 'node:path';
import { tf } from '../../core/tf.js';
import { loadCheckpoint, readCheckpointState, saveCheckpoint, writeFileAtomic } from '../../modalink/checkpoint.js';
import { NonFiniteLossError } from '../../modalink/train.js';
import { registrationPairConfig } from '../config.js';
import { createPairSourceCache, type PairBatch } from '../pair-batches.js';
import { adamStep, loopStart, runPairTrainingLoop, withTrainingModel, type PairLoopState } from '../pair-training-loop.js';
import { validateExplicitBaselineConfig, type ExplicitBaselineConfig, type ValidExplicitBaselineConfig } from './config.js';
import { createExplicitBaseline, type ExplicitBaselineModel } from './model.js';
import { contrastiveTargets, type ContrastiveTargets } from './targets.js';
import { explicitBaselineLoss } from './losses.js';

// #region train
type Adam = ReturnType<typeof tf.train.adam>;

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
 * One Adam step on a batch ({@link adamStep}: L2 weight decay added to the gradients, as registration/train.ts).
 * @returns the losses as numbers; throws NonFiniteLossError (no update applied) on NaN / Inf
 */
export function explicitBaselineStep(model: ExplicitBaselineModel, optimizer: Adam, batch: Pick<PairBatch, 'image' | 'points' | 'inFrustum'>, t: ContrastiveTargets, step = 0, offset = 0, checkpointPath = ''): { loss: number; cls: number; contrastive: number } {
  const c = model.config;
  const { loss, parts } = adamStep(optimizer, model.trainableVariables, c.registration.weightDecay, () =>
    explicitBaselineLoss(model.forward(batch.image, batch.points, true), batch.inFrustum, t, c), offset);
  if (!Number.isFinite(loss)) throw new NonFiniteLossError(step, loss, checkpointPath);
  return { loss, cls: parts.cls, contrastive: parts.contrastive };
}

/**
 * Trains (or resumes) the baseline on the registration config's pair data; writes
 * `<run>/config.json` and checkpoints (modalink/checkpoint.ts: weights + Adam moments, atomic).
 * Every draw comes from (seed, epoch, step), so a resumed run equals an uninterrupted one.
 * @returns steps, epochs, losses and the model (the caller disposes it)
 * @throws NonFiniteLossError on a NaN / Inf loss (that step's update is not applied)
 */
export async function trainExplicitBaseline(o: ExplicitTrainOptions): Promise<{ steps: number; epochs: number; losses: number[]; model: ExplicitBaselineModel }> {
  const prev = readCheckpointState<ValidExplicitBaselineConfig>(o.runDir);
  if (o.resume && !prev) throw new Error(`--resume: no checkpoint.json in ${o.runDir}`);
  const base = o.resume ? validateExplicitBaselineConfig(prev!.config) : validateExplicitBaselineConfig(o.config ?? {});
  const c = o.epochs ? validateExplicitBaselineConfig({ ...base, registration: { ...base.registration, epochs: o.epochs } }) : base;
  const r = c.registration;
  fs.mkdirSync(o.runDir, { recursive: true });
  writeFileAtomic(path.join(o.runDir, 'config.json'), JSON.stringify({ ...c, data: o.dataRoot }, null, 2) + '\n');
  const data = createPairSourceCache(o.dataRoot, registrationPairConfig(r), 'train');
  const model = createExplicitBaseline(c);
  const optimizer: Adam = tf.train.adam(r.learningRate);
  const save = (s: PairLoopState) => saveCheckpoint(o.runDir, model, optimizer, { config: c, ...s }, r.seed);
  return withTrainingModel(model, optimizer, async () => {
    const start = loopStart(o.resume ? prev : null);
    if (o.resume) await loadCheckpoint(o.runDir, prev!, model, optimizer);
    else await save(start);
    const pc = registrationPairConfig(r), stride = model.gridStride;
    const gridW = Math.ceil(pc.cropWidth / stride), gridH = Math.ceil(pc.cropHeight / stride);
    return runPairTrainingLoop({
      data, schedule: r, optimizer, start, maxSteps: o.maxSteps, save,
      step: (batch, rng, step) => explicitBaselineStep(model, optimizer, batch,
        contrastiveTargets(batch.pairs, gridW, gridH, stride, c.contrastivePoints, rng.fork()), step, o.lossOffset?.(step) ?? 0, path.join(o.runDir, 'checkpoint.json')),
      report: (l, at) => o.progress?.({ epoch: at.epoch, step: at.step, ...l, pairsPerSec: at.pairsPerSec, learningRate: at.learningRate }),
    });
  });
}
// #endregion train
