/**
 * Lazy-triplet training of ModaLink: each query is a camera image, its positive the depth
 * image of the same frame, its negatives the nearest frame beyond `negativeThresholdM` plus
 * n - 1 random frames beyond it (sampleNegatives, same sequence). The step, the schedule
 * (lr x lrDecay every lrDecayEveryEpochs, optional warm-up and clipping), the loop, the loss
 * log and the checkpoints are the training core's (src/train/), as for the registration models.
 *
 * Convention: all randomness is drawn from (seed, epoch, step): the epoch's query order from
 * (seed, epoch), a step's negatives from (seed, step). A non-finite loss stops training before
 * the update, with the last checkpoint left as it was.
 * @see notebooks/03-place-recognition.ipynb
 */
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { tf, type Tensor2D, type Tensor3D, type Tensor4D } from '../core/tf.js';
import { createRng, permutation, type Rng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import { rotateRangeImage } from '../geometry/depth-image.js';
import { rotationFromAxisAngle } from '../geometry/so3.js';
import { validateModaLinkConfig, type ModaLinkConfig } from './config.js';
import { createModaLinkModel, type ModaLinkModel } from './model.js';
import { loadTorchvisionResnet } from '../nn/torchvision-resnet.js';
import { createSequenceView, type SequenceView } from './data.js';
import { modaLinkLoss } from './losses.js';
import { sampleNegatives } from './ground-distance.js';
import { drawNegatives, hardestNegatives, loadMinedPools, saveMinedPools, type MinedPools } from './hard-negatives.js';
import { describeView } from './evaluate.js';
import { protocolSplits, syntheticAlignment, type Protocol } from './splits.js';
import { createAdam } from '../train/adam.js';
import { adamStep } from '../train/adam-step.js';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { createLossLog } from '../train/loss-log.js';
import { loopStart, runTrainingLoop, stepsPerEpoch, type LoopState } from '../train/loop.js';
import { readRunCheckpoint, withTrainingModel, writeRunConfig } from '../train/run-folder.js';
import { mixSeed } from '../train/seed.js';

export { NonFiniteLossError } from '../train/non-finite.js';

/** One step's report. */
export interface StepReport { epoch: number; step: number; loss: number; triplet: number; mid: number; imagesPerSec: number; learningRate: number }

/** Options of {@link trainModaLink}. */
export interface TrainOptions {
  /** KITTI-layout root. */ dataRoot: string;
  /** Run folder (checkpoints, config). */ runDir: string;
  /** Packed frame cache folder, shared between runs on the same data (default `<run>/cache`). */ cacheDir?: string;
  /** Config (ignored on resume, where the checkpoint's config is used). */ config?: Partial<ModaLinkConfig>;
  /** Training split of this protocol (default 'synthetic'). */ protocol?: Protocol;
  /** Protocol `towns`: the training towns' roots (KITTI layout); recorded in `<run>/config.json` as `trainData`. */ trainRoots?: string[];
  /** Continue from `<run>/checkpoint.json`. */ resume?: boolean;
  /** Override the number of epochs (also on resume). */ epochs?: number;
  /** Override keepCheckpointEverySteps (also on resume: it does not change training). */ keepCheckpointEverySteps?: number;
  /**
   * Override hardNegatives (also on resume: mining starts with the resumed epoch, and the run's
   * config records it, so later resumes keep it).
   */
  hardNegatives?: number;
  /** Called after an epoch's hard negatives are mined (or reloaded on resume: seconds is the mining's). */ onMined?: (m: { epoch: number; seconds: number; reloaded: boolean }) => void;
  /**
   * Another run (or shipped model folder) whose model variables a fresh run starts from, instead of
   * random weights and the k-means NetVLAD start: fine-tuning with another config (e.g. calibration
   * jitter), with a fresh optimizer. The architecture must match: a missing or mis-shaped tensor is an
   * InputError naming it. Only for a fresh run folder.
   */
  initFrom?: string;
  /** Stop after this many steps in total (tests). */ maxSteps?: number;
  /** 'bar' (cli-progress), 'none', or a callback per step (notebooks). */ progress?: 'bar' | 'none' | ((r: StepReport) => void);
  /** Test hook: added to the loss of a step (return NaN to test the guard). */ lossOffset?: (step: number) => number;
  /** Use these views instead of the protocol's training split (tests). */ views?: SequenceView[];
}

/** What training did. */
export interface TrainResult { steps: number; epochs: number; losses: number[]; model: ModaLinkModel }

/**
 * The training towns a run recorded (`trainData` of `<run>/config.json`), for a resume that does not name them again.
 * @returns undefined when the run has none (protocols other than `towns`) or no config.json
 */
export function storedTrainRoots(runDir: string): string[] | undefined {
  const file = path.join(runDir, 'config.json');
  if (!fs.existsSync(file)) return undefined;
  const t = (JSON.parse(fs.readFileSync(file, 'utf8')) as { trainData?: unknown }).trainData;
  if (t === undefined) return undefined;
  if (!Array.isArray(t) || !t.every((x) => typeof x === 'string')) throw new InputError(`${file}: trainData`, `expected an array of folder paths, got ${JSON.stringify(t)}`);
  return t as string[];
}

/** The (view, index) of every training query. */
export function queryList(views: SequenceView[]): [number, number][] {
  return views.flatMap((v, vi) => v.frames.map((_, i) => [vi, i] as [number, number]));
}

/** Stacks images or depths of (view, index) pairs: [n, H, W, ch]. */
export function gather(views: SequenceView[], items: [number, number][], kind: 'image' | 'depth', H: number, W: number): Tensor4D {
  if (items.length === 0) return tf.zeros([0, H, W, kind === 'image' ? 3 : 1]) as Tensor4D;
  return tf.tidy(() => tf.concat(items.map(([v, i]) => (kind === 'image' ? views[v].images([i]) : views[v].depths([i]))), 0)) as Tensor4D;
}

/**
 * The training views of a protocol, every frame precomputed once (and packed into `cacheDir`).
 * @param onFrame progress of the precomputation: (sequence, done, total)
 * @param trainRoots protocol `towns`: the training towns
 */
export function trainingViews(dataRoot: string, protocol: Protocol, config: Readonly<ModaLinkConfig>, cacheDir?: string, onFrame?: (seq: string, done: number, total: number) => void, trainRoots: readonly string[] = []): SequenceView[] {
  const aligns = new Map<string, ReturnType<typeof syntheticAlignment>>();
  const alignOf = (root: string): ReturnType<typeof syntheticAlignment> => {
    if (!aligns.has(root)) aligns.set(root, syntheticAlignment(root));
    return aligns.get(root) ?? null;
  };
  const splits = protocolSplits(protocol, dataRoot, trainRoots);
  if (splits.train.length === 0) throw new InputError('--train-data', `protocol ${protocol} trains on other towns: name their roots (i2p generate --preset towns --seed N)`);
  const views = splits.train.map((f) => {
    const root = f.root ?? dataRoot;
    return createSequenceView(root, f.seq, config, { frames: f.frames, cacheDir, worldFromPoses: alignOf(root)?.get(f.seq) });
  });
  for (const v of views) v.precompute(onFrame && ((d, t) => onFrame(v.sequence, d, t)));
  return views;
}

/**
 * Photometric augmentation of camera images (config `photometricJitter`): per image
 * clip(g x^gamma + c, 0, 1), g = exp(U(-j, j)), gamma = exp(U(-j/2, j/2)), c per channel from
 * U(-j/10, j/10), drawn from `rng` in that order, image by image. j = 0 returns `images` itself.
 * @param images [n, H, W, 3] in [0, 1]
 */
export function jitterImages(images: Tensor4D, j: number, rng: Rng): Tensor4D {
  if (j === 0) return images;
  const n = images.shape[0];
  const gain = new Float32Array(n), gamma = new Float32Array(n), cast = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    gain[i] = Math.exp(rng.uniform(-j, j));
    gamma[i] = Math.exp(rng.uniform(-j / 2, j / 2));
    for (let k = 0; k < 3; k++) cast[i * 3 + k] = rng.uniform(-j / 10, j / 10);
  }
  return tf.tidy(() => {
    const powed = tf.pow(tf.maximum(images, 1e-6), tf.tensor4d(gamma, [n, 1, 1, 1]));
    return tf.clipByValue(tf.add(tf.mul(powed, tf.tensor4d(gain, [n, 1, 1, 1])), tf.tensor4d(cast, [n, 1, 1, 3])), 0, 1) as Tensor4D;
  });
}

/**
 * Depth images of (view, index) pairs, each re-rendered through its own rotated calibration
 * (config `calibrationJitterDeg` = sigma): a rotation vector with N(0, sigma^2) per axis (in radians),
 * drawn from `rng` item by item, applied with rotateRangeImage.
 * @returns [n, H, W, 1]
 */
export function jitteredDepths(views: SequenceView[], items: [number, number][], sigmaDeg: number, rng: Rng): Tensor4D {
  const cam = views[0].camera, per = cam.width * cam.height;
  const buf = new Float32Array(items.length * per);
  items.forEach(([v, i], k) => {
    const s = (sigmaDeg * Math.PI) / 180;
    const R = rotationFromAxisAngle([s * rng.normal(), s * rng.normal(), s * rng.normal()]);
    buf.set(rotateRangeImage(views[v].depth(i), views[v].camera, R), k * per);
  });
  return tf.tensor4d(buf, [items.length, cam.height, cam.width, 1]);
}

// #region train
/**
 * Trains (or resumes) a run. Writes `<run>/config.json`, `<run>/losses.csv` (one line per step) and checkpoints.
 * @throws NonFiniteLossError on a NaN/Inf loss (weights untouched by that step)
 */
export async function trainModaLink(o: TrainOptions): Promise<TrainResult> {
  const state = readRunCheckpoint<ModaLinkConfig>(o.runDir, o.resume === true);
  if (o.initFrom !== undefined && state) throw new Error(`initFrom: ${o.runDir} already has a checkpoint (initFrom starts a fresh run folder)`);
  const init = o.initFrom === undefined ? null : readRunCheckpoint<ModaLinkConfig>(o.initFrom, true, 'initFrom');
  if (init && (o.config?.pretrainedEncoder ?? null) !== null) throw new Error('initFrom: the config also names pretrainedEncoder; a fine-tuned run starts from one of them');
  const c = validateModaLinkConfig({ ...(state ? state.config : o.config ?? {}), ...(o.epochs ? { epochs: o.epochs } : {}), ...(o.keepCheckpointEverySteps !== undefined ? { keepCheckpointEverySteps: o.keepCheckpointEverySteps } : {}), ...(o.hardNegatives !== undefined ? { hardNegatives: o.hardNegatives } : {}) });
  writeRunConfig(o.runDir, { ...c, protocol: o.protocol ?? 'synthetic', data: o.dataRoot, ...(o.trainRoots?.length ? { trainData: o.trainRoots } : {}), ...(o.initFrom ? { initFrom: o.initFrom } : {}) });
  const views = o.views ?? trainingViews(o.dataRoot, o.protocol ?? 'synthetic', c, o.cacheDir ?? path.join(o.runDir, 'cache'), undefined, o.trainRoots);
  const H = c.inputHeightPx, W = c.inputWidthPx, M = c.negatives, B = c.batchSize;
  const model = createModaLinkModel(c);
  const optimizer = createAdam(model.trainableVariables, { learningRate: c.learningRate });
  const queries = queryList(views);
  const save = (s: LoopState) => saveCheckpoint(o.runDir, model, optimizer, { config: c, ...s }, c.seed, c.keepCheckpointEverySteps);
  const P = c.hardNegativePool;
  let mined: MinedPools | null = null;
  /** The pools of `epoch`: the run's saved ones (a resume inside the epoch), else mined now with the current weights. */
  const minedPools = (epoch: number): MinedPools => {
    const loaded = loadMinedPools(o.runDir, epoch, P, views.map((v) => v.frames.length));
    if (loaded) { o.onMined?.({ epoch, seconds: loaded.seconds, reloaded: true }); return loaded; }
    const t0 = performance.now();
    const pools = views.map((v) => hardestNegatives(describeView(model, v, 'image', 64), describeView(model, v, 'depth', 64), model.descriptorSize, v.positionsXZ, c.negativeThresholdM, P));
    const m: MinedPools = { epoch, pool: P, seconds: (performance.now() - t0) / 1000, views: pools };
    saveMinedPools(o.runDir, m);
    o.onMined?.({ epoch, seconds: m.seconds, reloaded: false });
    return m;
  };
  const bar = o.progress === 'bar' ? new cliProgress.SingleBar({ format: 'epoch {epoch} |{bar}| {value}/{total} steps | loss {loss} | {ips} img/s' }, cliProgress.Presets.shades_classic) : null;
  return withTrainingModel(model, optimizer, async () => {
    const start = loopStart(state);
    if (state) await loadCheckpoint(o.runDir, state, model, optimizer);
    else if (init) { // fine-tuning: every model variable of another run, a fresh optimizer
      await loadCheckpoint(o.initFrom!, init, { variables: model.variables });
      await save(start);
    } else {
      // ImageNet start: every encoder from the torchvision file (InputError naming a missing / mis-shaped tensor)
      if (c.pretrainedEncoder) for (const e of model.encoders) loadTorchvisionResnet(e, c.pretrainedEncoder);
      const krng = createRng(mixSeed(c.seed, 7, 7));
      const pick = Array.from(permutation(krng, queries.length, Math.min(c.kmeansFrames, queries.length)), (k) => queries[k]);
      const imgs = gather(views, pick, 'image', H, W), deps = gather(views, pick, 'depth', H, W);
      model.initNetVlad(imgs, deps);
      tf.dispose([imgs, deps]);
      await save(start);
    }
    bar?.start(c.epochs * stepsPerEpoch(queries.length, B), start.step, { epoch: start.epoch, loss: '-', ips: '-' });
    try {
      return await runTrainingLoop({
        items: queries.length, schedule: c, optimizer, start, maxSteps: o.maxSteps, save, checkpointFile: path.join(o.runDir, 'checkpoint.json'),
        itemsPerStep: B * (2 + M), log: createLossLog(path.join(o.runDir, 'losses.csv'), 'images', !state),
        step: (picked, rng, at) => {
          const batch = picked.map((k) => queries[k]);
          if (c.hardNegatives > 0 && mined?.epoch !== at.epoch) mined = minedPools(at.epoch);
          const negs = batch.flatMap(([v, i]) => Array.from(c.hardNegatives > 0
            ? drawNegatives(i, views[v].positionsXZ, c.negativeThresholdM, M, c.hardNegatives, mined!.views[v].subarray(i * P, (i + 1) * P), rng)
            : sampleNegatives(i, views[v].positionsXZ, c.negativeThresholdM, M, rng), (j) => [v, j] as [number, number]));
          const raw = gather(views, batch, 'image', H, W); // [B, H, W, 3]
          const imgs = jitterImages(raw, c.photometricJitter, rng);
          if (imgs !== raw) raw.dispose();
          const deps = c.calibrationJitterDeg > 0 ? jitteredDepths(views, [...batch, ...negs], c.calibrationJitterDeg, rng) : gather(views, [...batch, ...negs], 'depth', H, W); // [B (1 + M), H, W, 1]
          try {
            return adamStep(optimizer, () => {
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
              return { total: l.total, triplet: l.triplet, mid: l.mid };
            }, { clipGradNorm: c.clipGradNorm, lossOffset: o.lossOffset?.(at.step) ?? 0 });
          } finally {
            tf.dispose([imgs, deps]);
          }
        },
        report: (r, at) => {
          const report: StepReport = { epoch: at.epoch, step: at.step, loss: r.loss, triplet: r.parts.triplet, mid: r.parts.mid, imagesPerSec: at.itemsPerSec, learningRate: at.learningRate };
          if (typeof o.progress === 'function') o.progress(report);
          bar?.update(at.step, { epoch: at.epoch, loss: r.loss.toFixed(4), ips: at.itemsPerSec.toFixed(1) });
        },
      });
    } finally {
      bar?.stop();
    }
  });
}
// #endregion train
