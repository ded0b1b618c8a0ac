/**
 * Lazy-triplet training of ModaLink: each query is a camera image, its positive the depth
 * image of the same frame, its negatives the nearest frame beyond `negativeThresholdM` plus
 * n - 1 random frames beyond it (sampleNegatives, same sequence). Adam with a step schedule
 * (lr x lrDecay every lrDecayEveryEpochs), checkpoints via checkpoint.ts, exact resume.
 *
 * Convention: all randomness is drawn from (seed, epoch, step): the epoch's query order from
 * (seed, epoch), a step's negatives from (seed, step). A non-finite loss stops training before
 * the update, with the last checkpoint left as it was.
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D } from '../core/tf.js';

type Scalar = ReturnType<typeof tf.scalar>;
import { createRng, permutation } from '../core/rng.js';
import { validateModaLinkConfig, type ModaLinkConfig } from './config.js';
import { createModaLinkModel, type ModaLinkModel } from './model.js';
import { loadTorchvisionResnet } from '../nn/torchvision-resnet.js';
import { createSequenceView, type SequenceView } from './data.js';
import { modaLinkLoss } from './losses.js';
import { sampleNegatives } from './ground-distance.js';
import { protocolSplits, syntheticAlignment, type Protocol } from './splits.js';
import { loadCheckpoint, readCheckpointState, saveCheckpoint, writeFileAtomic } from './checkpoint.js';

/** One step's report. */
export interface StepReport { epoch: number; step: number; loss: number; triplet: number; mid: number; imagesPerSec: number; learningRate: number }

/** Options of {@link trainModaLink}. */
export interface TrainOptions {
  /** KITTI-layout root. */ dataRoot: string;
  /** Run folder (checkpoints, config). */ runDir: string;
  /** Packed frame cache folder, shared between runs on the same data (default `<run>/cache`). */ cacheDir?: string;
  /** Config (ignored on resume, where the checkpoint's config is used). */ config?: Partial<ModaLinkConfig>;
  /** Training split of this protocol (default 'synthetic'). */ protocol?: Protocol;
  /** Continue from `<run>/checkpoint.json`. */ resume?: boolean;
  /** Override the number of epochs (also on resume). */ epochs?: number;
  /** Stop after this many steps in total (tests). */ maxSteps?: number;
  /** 'bar' (cli-progress), 'none', or a callback per step (notebooks). */ progress?: 'bar' | 'none' | ((r: StepReport) => void);
  /** Test hook: added to the loss of a step (return NaN to test the guard). */ lossOffset?: (step: number) => number;
  /** Use these views instead of the protocol's training split (tests). */ views?: SequenceView[];
}

/** What training did. */
export interface TrainResult { steps: number; epochs: number; losses: number[]; model: ModaLinkModel }

/** Raised when the loss is NaN or infinite. */
export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly loss: number, readonly checkpoint: string) {
    super(`training stopped: loss is ${loss} at step ${step}; the last good checkpoint ${checkpoint} is kept (lower learningRate or check the data)`);
    this.name = 'NonFiniteLossError';
  }
}

/** A 32-bit seed from (seed, a, b). */
function mix(seed: number, a: number, b: number): number {
  return (Math.imul(seed ^ 0x85ebca6b, 2654435761) ^ Math.imul(a + 1, 73856093) ^ Math.imul(b + 1, 19349663)) >>> 0;
}

/** The (view, index) of every training query. */
function queryList(views: SequenceView[]): [number, number][] {
  return views.flatMap((v, vi) => v.frames.map((_, i) => [vi, i] as [number, number]));
}

/** Stacks images or depths of (view, index) pairs: [n, H, W, ch]. */
function gather(views: SequenceView[], items: [number, number][], kind: 'image' | 'depth', H: number, W: number): Tensor4D {
  if (items.length === 0) return tf.zeros([0, H, W, kind === 'image' ? 3 : 1]) as Tensor4D;
  return tf.tidy(() => tf.concat(items.map(([v, i]) => (kind === 'image' ? views[v].images([i]) : views[v].depths([i]))), 0)) as Tensor4D;
}

/**
 * The training views of a protocol, every frame precomputed once (and packed into `cacheDir`).
 * @param onFrame progress of the precomputation: (sequence, done, total)
 */
export function trainingViews(dataRoot: string, protocol: Protocol, config: Readonly<ModaLinkConfig>, cacheDir?: string, onFrame?: (seq: string, done: number, total: number) => void): SequenceView[] {
  const align = syntheticAlignment(dataRoot);
  const views = protocolSplits(protocol, dataRoot).train.map((f) => createSequenceView(dataRoot, f.seq, config, { frames: f.frames, cacheDir, worldFromPoses: align?.get(f.seq) }));
  for (const v of views) v.precompute(onFrame && ((d, t) => onFrame(v.sequence, d, t)));
  return views;
}

// #region train
/**
 * Trains (or resumes) a run. Writes `<run>/config.json`, `<run>/losses.csv` (one line per step) and checkpoints.
 * @throws NonFiniteLossError on a NaN/Inf loss (weights untouched by that step)
 */
export async function trainModaLink(o: TrainOptions): Promise<TrainResult> {
  const state = o.resume ? readCheckpointState(o.runDir) : null;
  if (o.resume && !state) throw new Error(`--resume: no checkpoint.json in ${o.runDir}`);
  const c = validateModaLinkConfig({ ...(state ? state.config : o.config ?? {}), ...(o.epochs ? { epochs: o.epochs } : {}) });
  fs.mkdirSync(o.runDir, { recursive: true });
  writeFileAtomic(path.join(o.runDir, 'config.json'), JSON.stringify({ ...c, protocol: o.protocol ?? 'synthetic', data: o.dataRoot }, null, 2) + '\n');
  const views = o.views ?? trainingViews(o.dataRoot, o.protocol ?? 'synthetic', c, o.cacheDir ?? path.join(o.runDir, 'cache'));
  const H = c.inputHeightPx, W = c.inputWidthPx, M = c.negatives, B = c.batchSize;
  const model = createModaLinkModel(c);
  const optimizer = tf.train.adam(c.learningRate);
  const queries = queryList(views);
  let epoch = 0, stepInEpoch = 0, step = 0, lastLoss: number | null = null;
  if (state) {
    await loadCheckpoint(o.runDir, state, model, optimizer);
    ({ epoch, stepInEpoch, step, lastLoss } = state);
  } else {
    // ImageNet start: every encoder from the torchvision file (InputError naming a missing / mis-shaped tensor)
    if (c.pretrainedEncoder) for (const e of model.encoders) loadTorchvisionResnet(e, c.pretrainedEncoder);
    const krng = createRng(mix(c.seed, 7, 7));
    const pick = Array.from(permutation(krng, queries.length, Math.min(c.kmeansFrames, queries.length)), (k) => queries[k]);
    const imgs = gather(views, pick, 'image', H, W), deps = gather(views, pick, 'depth', H, W);
    model.initNetVlad(imgs, deps);
    tf.dispose([imgs, deps]);
    await saveCheckpoint(o.runDir, model, optimizer, { config: c, epoch, stepInEpoch, step, lastLoss }, c.seed);
  }
  const stepsPerEpoch = Math.max(1, Math.floor(queries.length / B));
  const losses: number[] = [];
  const bar = o.progress === 'bar' ? new cliProgress.SingleBar({ format: 'epoch {epoch} |{bar}| {value}/{total} steps | loss {loss} | {ips} img/s' }, cliProgress.Presets.shades_classic) : null;
  bar?.start(c.epochs * stepsPerEpoch, step, { epoch, loss: '-', ips: '-' });
  const vars = model.trainableVariables;
  const lossLog = path.join(o.runDir, 'losses.csv'); // one line per step: the loss curve of a finished run
  if (!state || !fs.existsSync(lossLog)) fs.writeFileSync(lossLog, 'step,epoch,loss,triplet,mid,images_per_s,learning_rate\n');
  try {
    for (; epoch < c.epochs; epoch++, stepInEpoch = 0) {
      const lr = c.learningRate * c.lrDecay ** Math.floor(epoch / c.lrDecayEveryEpochs);
      (optimizer as unknown as { learningRate: number }).learningRate = lr;
      const order = permutation(createRng(mix(c.seed, epoch, -1)), queries.length);
      for (; stepInEpoch < stepsPerEpoch; stepInEpoch++) {
        if (o.maxSteps !== undefined && step >= o.maxSteps) return { steps: step, epochs: epoch, losses, model };
        const t0 = performance.now();
        const rng = createRng(mix(c.seed, -2, step));
        const batch = Array.from(order.slice(stepInEpoch * B, (stepInEpoch + 1) * B), (k) => queries[k]);
        const negs = batch.flatMap(([v, i]) => Array.from(sampleNegatives(i, views[v].positionsXZ, c.negativeThresholdM, M, rng), (j) => [v, j] as [number, number]));
        const imgs = gather(views, batch, 'image', H, W); // [B, H, W, 3]
        const deps = gather(views, [...batch, ...negs], 'depth', H, W); // [B (1 + M), H, W, 1]
        const parts: Tensor[] = [];
        const { value, grads } = optimizer.computeGradients(() => {
          const q = model.forward(imgs, 'image', true);
          const d = model.forward(deps, 'depth', true);
          const [, h, w, C] = d.map.shape;
          const D = d.descriptor.shape[1];
          const l = modaLinkLoss({
            query: q.descriptor, positive: tf.slice(d.descriptor, [0, 0], [B, D]) as Tensor2D,
            negatives: tf.reshape(tf.slice(d.descriptor, [B, 0], [B * M, D]), [B, M, D]) as Tensor3D,
            queryMap: q.map, positiveMap: tf.slice(d.map, [0, 0, 0, 0], [B, h, w, C]),
            negativeMaps: tf.reshape(tf.slice(d.map, [B, 0, 0, 0], [B * M, h, w, C]), [B, M, h, w, C]),
          }, { marginL2: c.marginL2, midMarginL1: c.midMarginL1, tripletWeight: c.tripletWeight, midWeight: c.midWeight });
          parts.push(tf.keep(l.triplet), tf.keep(l.mid));
          const offset = o.lossOffset?.(step) ?? 0;
          return (offset === 0 ? l.total : tf.add(l.total, offset)) as Scalar;
        }, vars);
        const loss = value.dataSync()[0];
        const [triplet, mid] = parts.map((p) => p.dataSync()[0]);
        tf.dispose([imgs, deps, value, ...parts]);
        if (!Number.isFinite(loss)) {
          tf.dispose(Object.values(grads));
          throw new NonFiniteLossError(step, loss, path.join(o.runDir, 'checkpoint.json'));
        }
        optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
        tf.dispose(Object.values(grads));
        step++;
        lastLoss = loss;
        losses.push(loss);
        const ips = (B * (2 + M)) / ((performance.now() - t0) / 1000);
        const report: StepReport = { epoch, step, loss, triplet, mid, imagesPerSec: ips, learningRate: lr };
        fs.appendFileSync(lossLog, `${step},${epoch},${loss},${triplet},${mid},${ips.toFixed(2)},${lr}\n`);
        if (typeof o.progress === 'function') o.progress(report);
        bar?.update(step, { epoch, loss: loss.toFixed(4), ips: ips.toFixed(1) });
        if (step % c.checkpointEverySteps === 0) await saveCheckpoint(o.runDir, model, optimizer, { config: c, epoch, stepInEpoch: stepInEpoch + 1, step, lastLoss }, c.seed);
      }
      await saveCheckpoint(o.runDir, model, optimizer, { config: c, epoch: epoch + 1, stepInEpoch: 0, step, lastLoss }, c.seed);
    }
    return { steps: step, epochs: epoch, losses, model };
  } finally {
    bar?.stop();
    optimizer.dispose();
  }
}
// #endregion train
