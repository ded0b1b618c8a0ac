/**
 * The registration model's point encoder: a PointNet++-style hierarchy with kNN grouping.
 * Set abstraction (SA) levels (FPS -> kNN group -> shared MLP on relative coordinates and
 * features -> max over the group), then feature propagation (FP: three-NN inverse-distance
 * interpolation, skip concatenation, shared MLP) back to every input point, then a linear
 * head: per-point features [B, N, outChannels], plus a global feature (max over the
 * coarsest level) and every level's centres and features for the later modules.
 *
 * Design choice: PointNet++-style, not KPConv-style. Both need FPS/kNN hierarchies; PointNet++
 * needs nothing else (gather + dense + max are cheap tfjs ops with ready gradients), while
 * KPConv's kernel-point correlation adds a [M, k, K] influence tensor per layer and
 * deformable variants an offset regressor: several times the memory and time on a 2-core
 * CPU for a gain measured mostly on dense segmentation. CorrI2P and DeepI2P, whose protocol
 * the ICL paper follows, use PointNet-family point encoders too.
 *
 * Normalisation: LayerNorm over channels (per point), not batch norm: no running statistics,
 * no train/eval switch, the same numbers for batch 1 and batch 32.
 * @see notebooks/04-attention-queries.ipynb (issue 5)
 */
import { tf } from '../core/tf.js';
import type { Tensor, Tensor2D, Tensor3D, Variable } from '../core/tf.js';
import { createRng } from '../core/rng.js';
import { ConfigError } from '../core/errors.js';
import { checkConfigObject, expectField, intField, numberField } from '../core/config-fields.js';
import { createDense, createLayerNorm } from '../nn/mlp.js';
import type { Dense, LayerNorm } from '../nn/mlp.js';
import { farthestPointSample, gatherPointsTf, knnIndices, threeNnInterpolate } from '../nn/point-ops.js';

// #region config
/** Point-encoder settings. Level l (1-based) samples `npoints[l-1]` centres from level l-1 (level 0: the input points). */
export interface PointEncoderConfig {
  /** Nominal input size N (what the pair builder subsamples to); apply() accepts any N >= npoints[0]. Paper 40960. */
  inputPoints: number;
  /** Extra per-point input channels (e.g. intensity); 0 = coordinates only. Default 0. */
  inputChannels: number;
  /** Centres per SA level, strictly decreasing, 1 to 5 levels. Paper [8192, 2048, 512, 128]. */
  npoints: number[];
  /** Neighbours grouped per centre (kNN among the previous level's points), one per level, k <= previous level size. Paper 16 each. */
  k: number[];
  /** Metres: relative coordinates in a group are divided by this (PointNet++'s radius), one per level. Paper [0.5, 1, 2, 4]. */
  groupScaleM: number[];
  /** Shared-MLP widths of each SA level (dense -> LayerNorm -> ReLU per entry); the last is the level's channels. */
  saWidths: number[][];
  /** Shared-MLP widths of the FP step that lands on level l (l = 0 is the input points; run from the deepest down). */
  fpWidths: number[][];
  /** Channels of the per-point output (a linear head after the last FP step). Paper 128. */
  outChannels: number;
  /** LayerNorm epsilon. Default 1e-5. */
  layerNormEpsilon: number;
}

const PAPER: PointEncoderConfig = {
  inputPoints: 40960, inputChannels: 0,
  npoints: [8192, 2048, 512, 128], k: [16, 16, 16, 16], groupScaleM: [0.5, 1, 2, 4],
  saWidths: [[32, 32, 64], [64, 64, 128], [128, 128, 256], [256, 256, 512]],
  fpWidths: [[128, 128], [256, 128], [256, 256], [256, 256]],
  outChannels: 128, layerNormEpsilon: 1e-5,
};

/** The paper-scale encoder (40960 points in, 4 SA levels, 128 channels out); see {@link POINT_ENCODER_PRESETS}. */
export const DEFAULT_POINT_ENCODER_CONFIG: Readonly<PointEncoderConfig> = Object.freeze(PAPER);

/**
 * Presets. `paper`: 40960 -> 8192 -> 2048 -> 512 -> 128 centres, k 16, 128 channels out.
 * `laptop`: 4096 -> 1024 -> 256 -> 64, k 16, narrower MLPs, 64 channels out.
 */
export const POINT_ENCODER_PRESETS: Readonly<Record<'paper' | 'laptop', Readonly<PointEncoderConfig>>> = Object.freeze({
  paper: DEFAULT_POINT_ENCODER_CONFIG,
  laptop: Object.freeze({
    ...PAPER, inputPoints: 4096,
    npoints: [1024, 256, 64], k: [16, 16, 16], groupScaleM: [1, 2, 4],
    saWidths: [[32, 64], [64, 128], [128, 256]],
    fpWidths: [[64, 64], [128, 64], [128, 128]],
    outChannels: 64,
  }),
});
// #endregion config

const P = 'pointEncoder';
const KEYS = Object.keys(PAPER) as (keyof PointEncoderConfig)[];

const int = (field: string, v: unknown, lo: number, hi: number): number => intField(`${P}.${field}`, v, lo, hi);
function list<T>(field: string, v: unknown, len: number, each: (f: string, x: unknown) => T): T[] {
  expectField(`${P}.${field}`, Array.isArray(v) && v.length === len, `an array of ${len} entries (one per level)`, v);
  return (v as unknown[]).map((x, i) => each(`${field}[${i}]`, x));
}
const widths = (f: string, x: unknown): number[] => {
  expectField(`${P}.${f}`, Array.isArray(x) && x.length >= 1 && x.length <= 8, '1 to 8 layer widths', x);
  return (x as unknown[]).map((w, i) => int(`${f}[${i}]`, w, 1, 4096));
};

/**
 * Merges `partial` over `base` (default: the paper preset) and checks every field.
 * @throws ConfigError naming the field (e.g. `pointEncoder.k[1]`): unknown fields, wrong types,
 *   lists of the wrong length, non-decreasing `npoints`, k larger than the previous level
 */
export function validatePointEncoderConfig(partial: Partial<PointEncoderConfig> = {}, base: Readonly<PointEncoderConfig> = DEFAULT_POINT_ENCODER_CONFIG): Readonly<PointEncoderConfig> {
  checkConfigObject(P, partial, KEYS);
  const c = { ...base, ...partial };
  const inputPoints = int('inputPoints', c.inputPoints, 1, 1 << 22);
  expectField(`${P}.npoints`, Array.isArray(c.npoints) && c.npoints.length >= 1 && c.npoints.length <= 5, '1 to 5 levels', c.npoints);
  const levels = c.npoints.length;
  const npoints = list('npoints', c.npoints, levels, (f, x) => int(f, x, 1, 1 << 22));
  npoints.forEach((m, i) => { if (m >= (i === 0 ? inputPoints + 1 : npoints[i - 1])) throw new ConfigError(`${P}.npoints[${i}]`, `expected fewer than the previous level's ${i === 0 ? inputPoints + 1 : npoints[i - 1]}, got ${m}`); });
  const k = list('k', c.k, levels, (f, x) => int(f, x, 1, 256));
  k.forEach((kk, i) => { if (kk > (i === 0 ? inputPoints : npoints[i - 1])) throw new ConfigError(`${P}.k[${i}]`, `expected at most the previous level's size, got ${kk}`); });
  const groupScaleM = list('groupScaleM', c.groupScaleM, levels, (f, x) => numberField(`${P}.${f}`, x, { min: 0, minOpen: true }));
  const eps = numberField(`${P}.layerNormEpsilon`, c.layerNormEpsilon, { min: 0, max: 1, minOpen: true });
  return Object.freeze({
    inputPoints, inputChannels: int('inputChannels', c.inputChannels, 0, 256), npoints, k, groupScaleM,
    saWidths: list('saWidths', c.saWidths, levels, widths), fpWidths: list('fpWidths', c.fpWidths, levels, widths),
    outChannels: int('outChannels', c.outChannels, 1, 4096), layerNormEpsilon: eps,
  });
}

/** One level of the hierarchy. */
export interface PointLevel {
  /** [B, M_l, 3] float32 centres, the input's frame and unit (metres). */
  xyz: Tensor3D;
  /** [B, M_l, saWidths[l-1].last] float32 SA features. */
  features: Tensor3D;
}

/** What {@link PointEncoder.apply} returns (the caller disposes every tensor, e.g. `tf.dispose(out)`). */
export interface PointEncoderOutput {
  /** [B, N, outChannels] float32 per-point features, in input order. */
  features: Tensor3D;
  /** [B, saWidths.last.last] float32 max over the coarsest level. */
  global: Tensor2D;
  /** The SA levels 1..L (level 0 is the input). */
  levels: PointLevel[];
}

/** A point encoder with its own variables. */
export interface PointEncoder {
  readonly config: Readonly<PointEncoderConfig>;
  /**
   * Forward pass. Permuting the input points permutes `features` the same way and leaves
   * `global` and `levels` unchanged (FPS is order-independent, see point-ops.ts).
   * @param xyz [B, N, 3] float32 points, metres, any frame (the camera frame in the pairs); N >= npoints[0]
   * @param pointFeatures [B, N, inputChannels] float32, required iff inputChannels > 0
   */
  apply(xyz: Tensor3D, pointFeatures?: Tensor3D): PointEncoderOutput;
  /** Trainable variables in a fixed order (SA levels, FP steps deepest first, head). */
  readonly trainableVariables: Variable[];
  /** Number of trainable scalars. */
  readonly paramCount: number;
  dispose(): void;
}

interface Mlp { dense: Dense[]; norm: LayerNorm[] }

/**
 * Builds a point encoder (Glorot-uniform dense layers, identity LayerNorms).
 * @param config any subset of {@link PointEncoderConfig} over the paper preset
 * @param seed integer seed of the weight initialisation
 * @throws ConfigError for a bad config field
 */
export function createPointEncoder(config: Partial<PointEncoderConfig> = {}, seed = 0): PointEncoder {
  const cfg = validatePointEncoderConfig(config);
  const rng = createRng(seed);
  const mlp = (inC: number, ws: number[]): Mlp => ({
    dense: ws.map((w, i) => createDense(i === 0 ? inC : ws[i - 1], w, rng)),
    norm: ws.map((w) => createLayerNorm(w, cfg.layerNormEpsilon)),
  });
  const runMlp = (m: Mlp, x: Tensor): Tensor => m.dense.reduce((h, d, i) => tf.relu(m.norm[i].apply(d.apply(h))), x);
  const last = (ws: number[]): number => ws[ws.length - 1];
  const L = cfg.npoints.length;
  const sa = cfg.saWidths.map((ws, l) => mlp(3 + (l === 0 ? cfg.inputChannels : last(cfg.saWidths[l - 1])), ws));
  // fp[l] lands on level l: input = interpolated level l+1 features (FP output or SA) + level l skip
  const fp: Mlp[] = new Array(L);
  for (let l = L - 1; l >= 0; l--) {
    const from = l === L - 1 ? last(cfg.saWidths[L - 1]) : last(cfg.fpWidths[l + 1]);
    const skip = l === 0 ? cfg.inputChannels : last(cfg.saWidths[l - 1]);
    fp[l] = mlp(from + skip, cfg.fpWidths[l]);
  }
  const head = createDense(last(cfg.fpWidths[0]), cfg.outChannels, rng);
  const all = [...sa, ...[...fp].reverse()];
  const trainableVariables = [...all.flatMap((m) => m.dense.flatMap((d, i) => [...d.trainableVariables, ...m.norm[i].trainableVariables])), ...head.trainableVariables];
  let disposed = false;

  const forward = (xyz: Tensor3D, pf?: Tensor3D): PointEncoderOutput => {
    const xyzs: Tensor3D[] = [xyz];
    const feats: (Tensor3D | undefined)[] = [pf];
    for (let l = 0; l < L; l++) {
      const prevXyz = xyzs[l], prevF = feats[l];
      const centres = gatherPointsTf<Tensor3D>(prevXyz, farthestPointSample(prevXyz, cfg.npoints[l])); // [B, M, 3]
      const nbr = knnIndices(centres, prevXyz, cfg.k[l]); // [B, M, k]
      const rel = tf.div(tf.sub(gatherPointsTf<Tensor>(prevXyz, nbr), tf.expandDims(centres, 2)), cfg.groupScaleM[l]); // [B, M, k, 3]
      const grouped = prevF ? tf.concat([rel, gatherPointsTf<Tensor>(prevF, nbr)], 3) : rel; // [B, M, k, 3 + C]
      xyzs.push(centres);
      feats.push(tf.max(runMlp(sa[l], grouped), 2) as Tensor3D); // [B, M, C_l]
    }
    let f = feats[L] as Tensor3D;
    for (let l = L - 1; l >= 0; l--) {
      const up = threeNnInterpolate(xyzs[l], xyzs[l + 1], f); // [B, M_l, C]
      const skip = feats[l];
      f = runMlp(fp[l], skip ? tf.concat([up, skip], 2) : up) as Tensor3D; // [B, M_l, fpWidths[l].last]
    }
    return {
      features: head.apply(f) as Tensor3D, // [B, N, outChannels]
      global: tf.max(feats[L] as Tensor3D, 1) as Tensor2D, // [B, C_L]
      levels: xyzs.slice(1).map((x, i) => ({ xyz: x, features: feats[i + 1] as Tensor3D })),
    };
  };

  return {
    config: cfg,
    apply: (xyz, pf) => {
      if (disposed) throw new Error('PointEncoder.apply: the encoder was disposed');
      if (xyz.rank !== 3 || xyz.shape[2] !== 3 || xyz.shape[1] < cfg.npoints[0] || xyz.dtype !== 'float32') {
        throw new RangeError(`PointEncoder.apply: xyz: expected float32 [B, N >= ${cfg.npoints[0]}, 3], got ${xyz.dtype} [${xyz.shape.join(', ')}]`);
      }
      const want = cfg.inputChannels;
      if (want > 0 ? !(pf && pf.rank === 3 && pf.shape[0] === xyz.shape[0] && pf.shape[1] === xyz.shape[1] && pf.shape[2] === want) : pf !== undefined) {
        throw new RangeError(`PointEncoder.apply: pointFeatures: expected ${want > 0 ? `[${xyz.shape[0]}, ${xyz.shape[1]}, ${want}]` : 'none (inputChannels = 0)'}, got ${pf ? `[${pf.shape.join(', ')}]` : 'none'}`);
      }
      // tidy keeps every tensor reachable from the returned object and frees the rest
      return tf.tidy(() => forward(xyz, pf) as unknown as Record<string, Tensor>) as unknown as PointEncoderOutput;
    },
    trainableVariables,
    paramCount: trainableVariables.reduce((s, v) => s + v.size, 0),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const m of all) { m.dense.forEach((d) => d.dispose()); m.norm.forEach((n) => n.dispose()); }
      head.dispose();
    },
  };
}
