/**
 * The explicit-matching baseline (the pre-ICL methods, CorrI2P-style): the registration
 * model's two encoders, L2-normalised per-pixel and per-point descriptors (a linear head
 * each), a per-point in-frustum classifier (point feature + image global feature -> MLP).
 * Trained with in-frustum BCE + InfoNCE (each sampled in-frustum point against every pixel
 * cell of its own image; the positive is the cell its ground-truth projection falls in).
 * Inference: points predicted in the frustum -> nearest pixel descriptor (cosine) -> the
 * cell centre at full resolution -> EPnP inside RANSAC ({@link solvePnpRansac}) -> pose.
 *
 * Convention: pixel (u, v) = (column, row) with the centre of pixel (c, r) at (c, r). A grid
 * cell (i, j) of stride s covers input rows s i .. s i + s - 1, columns s j .. s j + s - 1, so
 * a projection (u, v) falls in cell (floor((v + 0.5) / s), floor((u + 0.5) / s)) and the cell
 * centre is (s j + (s - 1) / 2, s i + (s - 1) / 2) (s = 4: 4 j + 1.5).
 * Failures: when fewer than 4 matches exist or PnP finds no pose, the pose is the identity,
 * which is the perturbation-free pose (the cloud taken as already in the camera frame; see
 * data/pairs/perturbation.ts); such pairs stay in the mean +- std, as the papers count them.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import fs from 'node:fs';
import path from 'node:path';
import * as aq from 'arquero';
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../core/tf.js';
import { createRng, permutation, type Rng } from '../core/rng.js';
import { assertShape } from '../core/shapes.js';
import { ConfigError, InputError } from '../core/errors.js';
import { readPresetConfig } from '../core/preset-config.js';
import { createDense } from '../nn/mlp.js';
import { normalizeImagenet } from '../nn/torchvision-resnet.js';
import { identity4 } from '../geometry/se3.js';
import type { Mat4 } from '../geometry/matrix.js';
import type { ImagePointPair } from '../data/pairs/build-pair.js';
import { createImageEncoder, IMAGE_ENCODER_PRESETS } from './image-encoder.js';
import { createPointEncoder, POINT_ENCODER_PRESETS } from './point-encoder.js';
import { REGISTRATION_PRESETS, registrationPairConfig, validateRegistrationConfig, type RegistrationConfig } from './config.js';
import { solvePnpRansac } from './pnp-ransac.js';
import { loadCheckpoint, readCheckpointState, saveCheckpoint, writeFileAtomic } from '../modalink/checkpoint.js';
import { NonFiniteLossError } from '../modalink/train.js';
import { poseError, summarizePoseErrors, type PoseError } from '../metrics/pose.js';
import { tableToCsv, tableToMarkdown } from '../viz/table.js';
import { createPairSourceCache, type PairBatch } from './pair-batches.js';
import { runPairTrainingLoop, type PairLoopState } from './pair-training-loop.js';
import { resultRow, type RegistrationResultRow } from './evaluate.js';

type Scalar = ReturnType<typeof tf.scalar>;

// #region config
/** Settings of the explicit-matching baseline. */
export interface ExplicitBaselineConfig {
  /** A label for tables. */
  name: string;
  /** Registration fields the baseline shares with ICL: encoders, pair data, headHidden, schedule (epochs, batchSize, learningRate, weightDecay, lrDecay, checkpointEverySteps, seed). */
  registration: Partial<RegistrationConfig>;
  /** Channels of the L2-normalised descriptors. Paper-scale 128, laptop 64. */
  descriptorDim: number;
  /** InfoNCE temperature (cosine similarities are divided by it); (0, 10]. Default 0.1. */
  temperature: number;
  /** Loss weights: in-frustum BCE and InfoNCE. Default 1 and 1. */
  weights: { cls: number; contrastive: number };
  /** In-frustum points drawn per pair per step for InfoNCE (all when fewer). Paper-scale 512, laptop 256. */
  contrastivePoints: number;
  /** Probability above which a point counts as in the frustum at inference; (0, 1). Default 0.5. */
  inFrustumThreshold: number;
  /** RANSAC iterations. Default 500 (CorrI2P). */
  ransacIterations: number;
  /** RANSAC inlier threshold in pixels of the feature grid (1 px on the 1/4 grid = 4 px of the input, CorrI2P). Default 1. */
  reprojectionErrorGridPx: number;
  /** A PnP result counts only with at least this many inliers; >= 4. Default 12. */
  minInliers: number;
}

const BASE: Omit<ExplicitBaselineConfig, 'name' | 'registration' | 'descriptorDim' | 'contrastivePoints'> = {
  temperature: 0.1, weights: { cls: 1, contrastive: 1 }, inFrustumThreshold: 0.5,
  ransacIterations: 500, reprojectionErrorGridPx: 1, minInliers: 12,
};

/** Presets: `paper` (the paper registration preset, 128-d) and `laptop` (laptop preset, 64-d). */
export const EXPLICIT_BASELINE_PRESETS: Readonly<Record<'paper' | 'laptop', Readonly<ExplicitBaselineConfig>>> = Object.freeze({
  paper: Object.freeze({ ...BASE, name: 'explicit-paper', registration: REGISTRATION_PRESETS.paper, descriptorDim: 128, contrastivePoints: 512 }),
  laptop: Object.freeze({ ...BASE, name: 'explicit-laptop', registration: REGISTRATION_PRESETS.laptop, descriptorDim: 64, contrastivePoints: 256 }),
});
// #endregion config

const P = 'explicitBaseline';
const KEYS = Object.keys(EXPLICIT_BASELINE_PRESETS.paper) as (keyof ExplicitBaselineConfig)[];

/** A validated config: `registration` is complete. */
export type ValidExplicitBaselineConfig = Readonly<Omit<ExplicitBaselineConfig, 'registration'> & { registration: Readonly<RegistrationConfig> }>;

/**
 * Merges `partial` over `base` (default: the laptop preset; `registration` merges field by
 * field over the base's) and checks every field.
 * @throws ConfigError naming the field (e.g. `explicitBaseline.temperature`)
 */
export function validateExplicitBaselineConfig(partial: Partial<ExplicitBaselineConfig> = {}, base: Readonly<ExplicitBaselineConfig> = EXPLICIT_BASELINE_PRESETS.laptop): ValidExplicitBaselineConfig {
  if (partial === null || typeof partial !== 'object') throw new ConfigError(P, `expected an object, got ${JSON.stringify(partial)}`);
  for (const k of Object.keys(partial)) if (!KEYS.includes(k as keyof ExplicitBaselineConfig)) throw new ConfigError(`${P}.${k}`, `unknown field; known fields: ${KEYS.join(', ')}`);
  const c = { ...base, ...partial, weights: { ...base.weights, ...(partial.weights ?? {}) } };
  const registration = validateRegistrationConfig({ ...base.registration, ...(partial.registration ?? {}) } as Partial<RegistrationConfig>);
  const num = (f: string, v: unknown, lo: number, hi: number, int = false, open = true): void => {
    const ok = typeof v === 'number' && Number.isFinite(v) && (open ? v > lo : v >= lo) && v <= hi && (!int || Number.isInteger(v));
    if (!ok) throw new ConfigError(`${P}.${f}`, `expected ${int ? 'an integer' : 'a number'} in ${open ? '(' : '['}${lo}, ${hi}], got ${JSON.stringify(v)}`);
  };
  if (typeof c.name !== 'string' || c.name === '') throw new ConfigError(`${P}.name`, `expected a non-empty string, got ${JSON.stringify(c.name)}`);
  num('descriptorDim', c.descriptorDim, 0, 4096, true); num('temperature', c.temperature, 0, 10);
  for (const k of Object.keys(c.weights)) {
    if (k !== 'cls' && k !== 'contrastive') throw new ConfigError(`${P}.weights.${k}`, 'unknown loss; known: cls, contrastive');
    num(`weights.${k}`, (c.weights as Record<string, unknown>)[k], 0, 1e4, false, false);
  }
  num('contrastivePoints', c.contrastivePoints, 0, 1e6, true); num('inFrustumThreshold', c.inFrustumThreshold, 0, 0.999999);
  num('ransacIterations', c.ransacIterations, 0, 1e6, true); num('reprojectionErrorGridPx', c.reprojectionErrorGridPx, 0, 1e4);
  num('minInliers', c.minInliers, 3, 1e9, true);
  return Object.freeze({ ...c, registration, weights: Object.freeze({ ...c.weights }) });
}

/**
 * Resolves `laptop`, `paper`, or a JSON file `{ "extends": "laptop", ...fields }`.
 * @throws InputError naming the file when unreadable or not JSON; ConfigError for bad fields
 */
export function loadExplicitBaselineConfig(nameOrFile: string): ValidExplicitBaselineConfig {
  const { preset, fields } = readPresetConfig(nameOrFile, P, 'laptop');
  return validateExplicitBaselineConfig(fields as Partial<ExplicitBaselineConfig>, EXPLICIT_BASELINE_PRESETS[preset]);
}

// #region model
/** What {@link ExplicitBaselineModel.forward} returns (the caller disposes it). */
export type ExplicitBaselineOutput = {
  /** [B, h, w, D] float32 unit-norm per-cell descriptors (h = ceil(H / stride)). */
  pixelDescriptors: Tensor4D;
  /** [B, N, D] float32 unit-norm per-point descriptors, input order. */
  pointDescriptors: Tensor3D;
  /** [B, N] float32 in-frustum logits. */
  inFrustumLogits: Tensor2D;
};

/** The baseline's networks. */
export interface ExplicitBaselineModel {
  readonly config: ValidExplicitBaselineConfig;
  /** Pixels of the input per feature cell (4 for the image encoder's outputStage 0). */
  readonly gridStride: number;
  /**
   * @param image [B, H, W, 3] float32 RGB in [0, 1] (ImageNet normalisation inside)
   * @param points [B, N, 3] float32 metres, perturbed cloud frame
   * @param training batch statistics in the image encoder's batch norm
   */
  forward(image: Tensor4D, points: Tensor3D, training: boolean): ExplicitBaselineOutput;
  readonly trainableVariables: Variable[];
  /** Every variable (batch-norm statistics included) by a stable name, for checkpoints. */
  readonly variables: ReadonlyMap<string, Variable>;
  dispose(): void;
}

/** x / ||x||_2 along the last axis (sqrt(sum + 1e-12), finite gradients at 0). */
export function l2Normalize(x: Tensor): Tensor {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), -1, true), 1e-12))));
}

/**
 * Builds the baseline: the registration preset's encoders (with the config's overrides),
 * two linear descriptor heads, a two-layer in-frustum classifier.
 * @param config any subset of {@link ExplicitBaselineConfig} over the laptop preset (or a validated one)
 * @param seed weight seed; default config.registration.seed
 */
export function createExplicitBaseline(config: Partial<ExplicitBaselineConfig> = {}, seed?: number): ExplicitBaselineModel {
  const c = validateExplicitBaselineConfig(config as Partial<ExplicitBaselineConfig>);
  const r = c.registration;
  const rng = createRng(seed ?? r.seed);
  const image = createImageEncoder({ ...IMAGE_ENCODER_PRESETS[r.encoderPreset], ...r.imageEncoder }, rng.int(0x7fffffff));
  const point = createPointEncoder({ ...POINT_ENCODER_PRESETS[r.encoderPreset], ...r.pointEncoder }, rng.int(0x7fffffff));
  const D = c.descriptorDim, iw = image.config.widths, globalDim = iw[iw.length - 1];
  const pixelHead = createDense(image.config.outChannels, D, rng.fork());
  const pointHead = createDense(point.config.outChannels, D, rng.fork());
  const cls1 = createDense(point.config.outChannels + globalDim, r.headHidden, rng.fork());
  const cls2 = createDense(r.headHidden, 1, rng.fork());
  const heads = [pixelHead, pointHead, cls1, cls2];
  const variables = new Map<string, Variable>();
  for (const [n, v] of image.backbone.variables) variables.set(`image.backbone.${n}`, v);
  for (const [n, v] of image.fpnVariables) variables.set(`image.${n}`, v);
  point.trainableVariables.forEach((v, i) => variables.set(`point.${i}`, v));
  ['pixelHead', 'pointHead', 'cls1', 'cls2'].forEach((n, i) => { variables.set(`${n}.kernel`, heads[i].kernel); variables.set(`${n}.bias`, heads[i].bias); });
  const trainableVariables = [...image.trainableVariables, ...point.trainableVariables, ...heads.flatMap((h) => h.trainableVariables)];
  const W = image.config.inputWidthPx, H = image.config.inputHeightPx;
  return {
    config: c, variables, trainableVariables, gridStride: 4 * 2 ** image.config.outputStage,
    forward(img, points, training) {
      const B = img.shape[0], N = points.shape[1];
      assertShape('explicitBaseline: image', img.shape, [B, H, W, 3]);
      assertShape('explicitBaseline: points', points.shape, [B, N, 3]);
      return tf.tidy(() => {
        const im = image.apply(normalizeImagenet(img), training); // features [B, h, w, C]
        const pt = point.apply(points); // features [B, N, C']
        const g = tf.tile(tf.expandDims(im.global, 1), [1, N, 1]); // [B, N, G]
        const hid = tf.relu(cls1.apply(tf.concat([pt.features, g], 2))); // [B, N, hidden]
        return {
          pixelDescriptors: l2Normalize(pixelHead.apply(im.features)), // [B, h, w, D]
          pointDescriptors: l2Normalize(pointHead.apply(pt.features)), // [B, N, D]
          inFrustumLogits: tf.reshape(cls2.apply(hid), [B, N]), // [B, N]
        } as unknown as Record<string, Tensor>;
      }) as unknown as ExplicitBaselineOutput;
    },
    dispose() { image.dispose(); point.dispose(); for (const h of heads) h.dispose(); },
  };
}
// #endregion model

// #region targets
/** Which points InfoNCE uses and their positive cells; B pairs x M slots, flat. */
export interface ContrastiveTargets {
  /** Slots per pair. */ perPair: number;
  /** [B * M] int32 point index within its pair. */ pointIndex: Int32Array;
  /** [B * M] int32 positive cell, row * w + col. */ cellIndex: Int32Array;
  /** [B * M] float32 1 = a real slot, 0 = padding. */ weight: Float32Array;
}

/**
 * The grid cell each point's ground-truth projection falls in (-1 when out of the frustum).
 * @param pair points [N * 3] metres (perturbed frame), camFromPoints, K (pixels), inFrustum
 * @param gridW w, gridH h cells; stride pixels per cell
 * @returns [N] int32 row * w + col, or -1
 */
export function groundTruthCells(pair: Pick<ImagePointPair, 'points' | 'camFromPoints' | 'K' | 'inFrustum'>, gridW: number, gridH: number, stride: number): Int32Array {
  const { points: p, camFromPoints: T, K } = pair, n = p.length / 3, out = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!pair.inFrustum[i]) continue;
    const x = p[3 * i], y = p[3 * i + 1], z = p[3 * i + 2];
    const xc = T[0] * x + T[1] * y + T[2] * z + T[3], yc = T[4] * x + T[5] * y + T[6] * z + T[7], zc = T[8] * x + T[9] * y + T[10] * z + T[11];
    const u = (K[0] * xc + K[1] * yc) / zc + K[2], v = (K[4] * yc) / zc + K[5];
    const col = Math.min(gridW - 1, Math.max(0, Math.floor((u + 0.5) / stride)));
    const row = Math.min(gridH - 1, Math.max(0, Math.floor((v + 0.5) / stride)));
    out[i] = row * gridW + col;
  }
  return out;
}

/**
 * Draws up to `perPair` in-frustum points per pair (seeded) with their positive cells.
 * @param pairs the batch's pairs (same N); rng the step's generator
 */
export function contrastiveTargets(pairs: ReadonlyArray<Pick<ImagePointPair, 'points' | 'camFromPoints' | 'K' | 'inFrustum'>>, gridW: number, gridH: number, stride: number, perPair: number, rng: Rng): ContrastiveTargets {
  const B = pairs.length, M = perPair;
  const t: ContrastiveTargets = { perPair: M, pointIndex: new Int32Array(B * M), cellIndex: new Int32Array(B * M), weight: new Float32Array(B * M) };
  pairs.forEach((pair, b) => {
    const cells = groundTruthCells(pair, gridW, gridH, stride);
    const inside = Int32Array.from(cells.keys()).filter((i) => cells[i] >= 0);
    const pick = permutation(rng, inside.length, Math.min(M, inside.length));
    pick.forEach((k, m) => { t.pointIndex[b * M + m] = inside[k]; t.cellIndex[b * M + m] = cells[inside[k]]; t.weight[b * M + m] = 1; });
  });
  return t;
}
// #endregion targets

// #region loss
/**
 * InfoNCE from points to pixel cells: -log softmax_j(<q_i, p_j> / T) at the positive cell,
 * averaged over the real slots (0 when there are none). Descriptors are used as given (the
 * model has already normalised them, so <.,.> is the cosine).
 * @param pointDescriptors [B, N, D] float32; pixelDescriptors [B, h, w, D] float32
 * @param t slots from {@link contrastiveTargets}; temperature > 0
 * @returns scalar
 */
export function contrastiveLoss(pointDescriptors: Tensor3D, pixelDescriptors: Tensor4D, t: ContrastiveTargets, temperature: number): Scalar {
  const [B, N, D] = pointDescriptors.shape, [, h, w] = pixelDescriptors.shape, M = t.perPair, hw = h * w;
  assertShape('contrastiveLoss: pixelDescriptors', pixelDescriptors.shape, [B, null, null, D]);
  if (t.pointIndex.length !== B * M) throw new InputError('contrastiveLoss: targets', `expected ${B} x ${M} slots, got ${t.pointIndex.length}`);
  return tf.tidy(() => {
    const flatIdx = Int32Array.from(t.pointIndex, (i, k) => Math.floor(k / M) * N + i);
    const q = tf.reshape(tf.gather(tf.reshape(pointDescriptors, [B * N, D]), tf.tensor1d(flatIdx, 'int32')), [B, M, D]); // [B, M, D]
    const logits = tf.div(tf.matMul(q, tf.reshape(pixelDescriptors, [B, hw, D]), false, true), temperature); // [B, M, hw]
    const logp = tf.reshape(tf.logSoftmax(logits), [B * M * hw]);
    const picked = tf.gather(logp, tf.tensor1d(Int32Array.from(t.cellIndex, (c, k) => k * hw + c), 'int32')); // [B * M]
    const wt = tf.tensor1d(t.weight);
    return tf.div(tf.neg(tf.sum(tf.mul(picked, wt))), Math.max(1, t.weight.reduce((a, b) => a + b, 0))) as Scalar;
  });
}

/** The baseline's losses (scalars; the caller disposes them). */
export interface ExplicitBaselineLosses { total: Scalar; cls: Scalar; contrastive: Scalar }

/**
 * Weighted in-frustum BCE + InfoNCE.
 * @param out the model's output; inFrustum [B, N] float32 0/1 ground truth; t InfoNCE slots
 */
export function explicitBaselineLoss(out: ExplicitBaselineOutput, inFrustum: Tensor2D, t: ContrastiveTargets, config: Pick<ExplicitBaselineConfig, 'weights' | 'temperature'>): ExplicitBaselineLosses {
  return tf.tidy(() => {
    const cls = tf.losses.sigmoidCrossEntropy(inFrustum, out.inFrustumLogits) as Scalar;
    const contrastive = contrastiveLoss(out.pointDescriptors, out.pixelDescriptors, t, config.temperature);
    const total = tf.add(tf.mul(cls, config.weights.cls), tf.mul(contrastive, config.weights.contrastive)) as Scalar;
    return { total, cls, contrastive } as unknown as Record<string, Tensor>;
  }) as unknown as ExplicitBaselineLosses;
}
// #endregion loss

// #region matching
/** Options of {@link poseFromDescriptors}. */
export interface MatchOptions {
  /** Pixels of the input per cell. */ stride: number;
  /** Grid size, cells. */ gridW: number; gridH: number;
  /** RANSAC iterations, grid-pixel threshold, minimum inliers (see {@link ExplicitBaselineConfig}). */
  ransacIterations: number; reprojectionErrorGridPx: number; minInliers: number;
}

/** What matching + PnP gives for one pair. */
export interface ExplicitPrediction {
  /** [16] row-major camFromPoints; the identity (perturbation-free pose) when `ok` is false. */
  camFromPoints: Mat4;
  /** PnP found a pose with enough inliers. */ ok: boolean;
  /** Correspondences given to PnP, and how many RANSAC kept. */ matches: number; inliers: number;
}

/**
 * Nearest pixel cell (largest dot product) for each point descriptor.
 * @param pointDescriptors [n, D] float32; pixelDescriptors [h * w, D] float32
 * @returns [n] int32 cell index row * w + col
 */
export function nearestCells(pointDescriptors: Tensor2D, pixelDescriptors: Tensor2D, chunk = 2048): Int32Array {
  const n = pointDescriptors.shape[0], out = new Int32Array(n);
  for (let s = 0; s < n; s += chunk) {
    const k = Math.min(chunk, n - s);
    const arg = tf.tidy(() => tf.argMax(tf.matMul(tf.slice(pointDescriptors, [s, 0], [k, -1]), pixelDescriptors, false, true), 1)); // [k]
    out.set(arg.dataSync() as Int32Array, s);
    arg.dispose();
  }
  return out;
}

/**
 * Matches the given points to cells and solves EPnP + RANSAC on the cell centres at full
 * resolution (threshold reprojectionErrorGridPx x stride input pixels). A pose counts only
 * with at least `minInliers` inliers in front of the camera (z > 0) spread over at least 4
 * distinct cells (a degenerate-match guard of ours; otherwise `ok` is false, identity pose).
 * @param points3d [n * 3] metres, perturbed cloud frame (the points kept as in-frustum)
 * @param pointDescriptors [n, D]; pixelDescriptors [h * w, D] float32
 * @param K [9] row-major intrinsics of the input image, pixels
 */
export async function poseFromDescriptors(points3d: Float32Array, pointDescriptors: Tensor2D, pixelDescriptors: Tensor2D, K: ArrayLike<number>, o: MatchOptions): Promise<ExplicitPrediction> {
  const n = points3d.length / 3, fail = (matches: number): ExplicitPrediction => ({ camFromPoints: identity4(), ok: false, matches, inliers: 0 });
  if (n < 4) return fail(n);
  const cells = nearestCells(pointDescriptors, pixelDescriptors);
  const half = (o.stride - 1) / 2, pixels = new Float64Array(2 * n);
  cells.forEach((c, i) => { pixels[2 * i] = o.stride * (c % o.gridW) + half; pixels[2 * i + 1] = o.stride * Math.floor(c / o.gridW) + half; });
  const r = await solvePnpRansac(points3d, pixels, K, {
    iterations: o.ransacIterations, reprojectionErrorPx: o.reprojectionErrorGridPx * o.stride, minInliers: o.minInliers,
  });
  if (!r.ok || !r.camFromPoints) return { ...fail(n), inliers: r.inliers.length };
  // our guard, not CorrI2P's: collapsed descriptors send every point to a few cells, and EPnP then
  // "explains" them with a camera far away or behind the points; such poses count as failures
  const T = r.camFromPoints, distinct = new Set<number>();
  let inFront = 0;
  for (const i of r.inliers) {
    distinct.add(cells[i]);
    if (T[8] * points3d[3 * i] + T[9] * points3d[3 * i + 1] + T[10] * points3d[3 * i + 2] + T[11] > 0) inFront++;
  }
  if (inFront < o.minInliers || distinct.size < 4) return { ...fail(n), inliers: r.inliers.length };
  return { camFromPoints: T, ok: true, matches: n, inliers: r.inliers.length };
}

/**
 * The baseline's pose for one pair: forward (eval mode), points with probability above the
 * threshold, nearest cells, EPnP + RANSAC; identity on failure (see the file note).
 * @param pair a test pair (image [H * W * 3], points [N * 3] perturbed frame, K)
 */
export async function predictExplicit(model: ExplicitBaselineModel, pair: Pick<ImagePointPair, 'image' | 'width' | 'height' | 'points' | 'K'>, opts: Partial<Pick<ExplicitBaselineConfig, 'inFrustumThreshold' | 'ransacIterations' | 'reprojectionErrorGridPx' | 'minInliers'>> = {}): Promise<ExplicitPrediction> {
  const c = { ...model.config, ...opts }, N = pair.points.length / 3;
  const out = tf.tidy(() => model.forward(tf.tensor4d(pair.image, [1, pair.height, pair.width, 3]), tf.tensor3d(pair.points, [1, N, 3]), false) as unknown as Record<string, Tensor>) as unknown as ExplicitBaselineOutput;
  const [, h, w, D] = out.pixelDescriptors.shape;
  const logits = out.inFrustumLogits.dataSync(), thr = Math.log(c.inFrustumThreshold / (1 - c.inFrustumThreshold));
  const keep = Int32Array.from(logits.keys()).filter((i) => logits[i] > thr);
  const pts = new Float32Array(3 * keep.length);
  keep.forEach((i, k) => pts.set(pair.points.subarray(3 * i, 3 * i + 3), 3 * k));
  const q = tf.tidy(() => tf.gather(tf.reshape(out.pointDescriptors, [N, D]), tf.tensor1d(keep, 'int32')) as Tensor2D); // [n, D]
  const p = tf.reshape(out.pixelDescriptors, [h * w, D]) as Tensor2D; // [h * w, D]
  try {
    return await poseFromDescriptors(pts, q, p, pair.K, { ...c, stride: model.gridStride, gridW: w, gridH: h });
  } finally {
    tf.dispose([q, p, out.pixelDescriptors, out.pointDescriptors, out.inFrustumLogits]);
  }
}
// #endregion matching

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
 * One Adam step on a batch (L2 weight decay added to the gradients, as registration/train.ts).
 * @returns the losses as numbers; throws NonFiniteLossError (no update applied) on NaN / Inf
 */
export function explicitBaselineStep(model: ExplicitBaselineModel, optimizer: Adam, batch: Pick<PairBatch, 'image' | 'points' | 'inFrustum'>, t: ContrastiveTargets, step = 0, offset = 0, checkpointPath = ''): { loss: number; cls: number; contrastive: number } {
  const c = model.config, vars = model.trainableVariables;
  let parts: ExplicitBaselineLosses | null = null;
  const { value, grads } = optimizer.computeGradients(() => {
    const out = model.forward(batch.image, batch.points, true);
    const l = explicitBaselineLoss(out, batch.inFrustum, t, c);
    parts = l;
    for (const x of Object.values(l)) tf.keep(x);
    return (offset === 0 ? tf.clone(l.total) : tf.add(l.total, offset)) as Scalar;
  }, vars);
  const loss = value.dataSync()[0];
  const p = parts! as ExplicitBaselineLosses, cls = p.cls.dataSync()[0], contrastive = p.contrastive.dataSync()[0];
  tf.dispose([value, p.total, p.cls, p.contrastive]);
  const live = Object.values(grads).filter((g) => g != null);
  if (!Number.isFinite(loss)) { tf.dispose(live); throw new NonFiniteLossError(step, loss, checkpointPath); }
  const wd = c.registration.weightDecay;
  const decayed = wd > 0 ? Object.fromEntries(vars.map((v) => [v.name, grads[v.name] == null ? null : tf.tidy(() => tf.add(grads[v.name], tf.mul(v, wd)))])) : grads;
  optimizer.applyGradients(decayed as Parameters<typeof optimizer.applyGradients>[0]);
  tf.dispose(live);
  if (decayed !== grads) tf.dispose(Object.values(decayed).filter((g) => g != null) as Tensor[]);
  return { loss, cls, contrastive };
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
  let start: PairLoopState = { epoch: 0, stepInEpoch: 0, step: 0, lastLoss: null };
  try {
    if (prev && o.resume) {
      await loadCheckpoint(o.runDir, prev, model, optimizer);
      start = { epoch: prev.epoch, stepInEpoch: prev.stepInEpoch, step: prev.step, lastLoss: prev.lastLoss };
    } else await save(start);
    const pc = registrationPairConfig(r), stride = model.gridStride;
    const gridW = Math.ceil(pc.cropWidth / stride), gridH = Math.ceil(pc.cropHeight / stride);
    const res = await runPairTrainingLoop({
      data, schedule: r, optimizer, start, maxSteps: o.maxSteps, save,
      step: (batch, rng, step) => explicitBaselineStep(model, optimizer, batch,
        contrastiveTargets(batch.pairs, gridW, gridH, stride, c.contrastivePoints, rng.fork()), step, o.lossOffset?.(step) ?? 0, path.join(o.runDir, 'checkpoint.json')),
      report: (l, at) => o.progress?.({ epoch: at.epoch, step: at.step, ...l, pairsPerSec: at.pairsPerSec, learningRate: at.learningRate }),
    });
    return { ...res, model };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
}
// #endregion train

// #region evaluate
/** Loads a baseline run (config and weights from its checkpoint). */
export async function loadExplicitBaselineRun(runDir: string): Promise<ExplicitBaselineModel> {
  const state = readCheckpointState<ValidExplicitBaselineConfig>(runDir);
  if (!state) throw new Error(`${runDir}: no checkpoint.json (run baseline-train first)`);
  const model = createExplicitBaseline(validateExplicitBaselineConfig(state.config));
  await loadCheckpoint(runDir, state, model);
  return model;
}

/** Options of {@link evaluateExplicitBaseline}. */
export interface ExplicitEvalOptions {
  runDir: string; dataRoot: string;
  /** Only the first n test pairs (default all). */ maxPairs?: number;
  /** Write `baseline.md` / `baseline.csv` here (default: write nothing). */ outDir?: string;
  /** Inference overrides (threshold, RANSAC). */ predict?: Parameters<typeof predictExplicit>[2];
}

/** What {@link evaluateExplicitBaseline} measured. */
export interface ExplicitEvalResult {
  /** The table row (mean +- std over ALL pairs, failures at the identity pose included). */ row: RegistrationResultRow;
  /** Per-pair errors; `extra` is ready for evaluateRegistration's `extra` option. */ errors: PoseError[];
  extra: { method: string; errors: PoseError[] };
  /** Pairs where PnP found no pose (scored at the identity). */ failures: number;
  /** Mean correspondences and inliers per pair. */ meanMatches: number; meanInliers: number;
  markdown: string;
}

/** Scores a baseline run on the seeded test pairs of its registration config. */
export async function evaluateExplicitBaseline(o: ExplicitEvalOptions): Promise<ExplicitEvalResult> {
  const model = await loadExplicitBaselineRun(o.runDir);
  try {
    const data = createPairSourceCache(o.dataRoot, registrationPairConfig(model.config.registration), 'test');
    const n = Math.min(o.maxPairs ?? data.dataset.length, data.dataset.length);
    const errors: PoseError[] = [];
    let failures = 0, matches = 0, inliers = 0;
    for (let i = 0; i < n; i++) {
      const pair = data.pair(i);
      const p = await predictExplicit(model, pair, o.predict);
      errors.push(poseError(p.camFromPoints, pair.camFromPoints));
      failures += p.ok ? 0 : 1; matches += p.matches; inliers += p.inliers;
    }
    const c = model.config;
    const method = `explicit matching + EPnP-RANSAC (${c.name}, ${c.ransacIterations} it, ${c.reprojectionErrorGridPx} px on the 1/${model.gridStride} grid)`;
    const row = resultRow(method, summarizePoseErrors(errors));
    const table = aq.from([{ ...row, pnpFailures: failures, meanMatches: matches / Math.max(1, n), meanInliers: inliers / Math.max(1, n) }]);
    const markdown = tableToMarkdown(table);
    if (o.outDir) {
      fs.mkdirSync(o.outDir, { recursive: true });
      fs.writeFileSync(path.join(o.outDir, 'baseline.md'), markdown);
      fs.writeFileSync(path.join(o.outDir, 'baseline.csv'), tableToCsv(table));
    }
    return { row, errors, extra: { method, errors }, failures, meanMatches: matches / Math.max(1, n), meanInliers: inliers / Math.max(1, n), markdown };
  } finally {
    model.dispose();
  }
}
// #endregion evaluate
