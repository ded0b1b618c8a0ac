/**
 * ModaLink configuration: one flat, documented object for the model, the data view, the
 * loss and the training schedule. Two presets: `paper` (ResNet34-layer3, 128 x 800 input,
 * 200 epochs of 20 queries per step) and `laptop` (narrow ResNet, 48 x 320 input, a few
 * epochs on a 2-core CPU). A user JSON file merges over a preset (`extends` names it).
 * @see notebooks/03-place-recognition.ipynb
 */
import { booleanField, checkConfigObject, expectField, numberFields, oneOfField, type NumberSpec } from '../core/config-fields.js';
import { readPresetConfig } from '../core/preset-config.js';
import { checkOptimizerFields } from '../train/optimizer-fields.js';
import type { NmfMode } from '../nn/nmf.js';

// #region config
/** Every ModaLink setting; lengths in pixels or metres as named. */
export interface ModaLinkConfig {
  /** Network input height after crop and resize, pixels, integer in [16, 2048]. Paper 128. */
  inputHeightPx: number;
  /** Network input width, pixels, integer in [16, 4096]. Paper 800. */
  inputWidthPx: number;
  /** Rows cut from the top of a KITTI-width (1241 px) image; scaled to other widths as round(cropTopPx * W / 1241). Paper 165. */
  cropTopPx: number;
  /** Encoder preset of src/nn/encoder-config.ts: 'paper' (ResNet34-layer3, 256 ch) or 'laptop' (128 ch). */
  encoderPreset: 'paper' | 'laptop';
  /** ImageNet mean/std normalisation of camera images (and of depth repeated to 3 channels). Default true. */
  imagenetNormalize: boolean;
  /**
   * A torchvision ResNet state dict saved as `.safetensors` (README: the two-line export), copied
   * into the encoder(s) when training starts, before the k-means of NetVLAD; null = random init
   * (default). Its blocks and widths must match `encoderPreset` (torchvision's ResNet34 for 'paper').
   */
  pretrainedEncoder: string | null;
  /** One encoder for both modalities (paper) or one per modality (baseline). */
  sharedEncoder: boolean;
  /** Clusters of every NetVLAD (main, NMF, MLP), integer in [1, 1024]. Paper 64. */
  netvladClusters: number;
  /** NetVLAD soft-assignment sharpness, > 0. Default 100. */
  netvladAlpha: number;
  /** Use the NMF branch. Paper true. */
  nmfBranch: boolean;
  /** NMF factors K (heatmaps), integer in [1, 256]. Paper 16. */
  nmfFactors: number;
  /** Lee-Seung updates per image, integer in [1, 1000]. Paper 50. */
  nmfIterations: number;
  /** 'detached' (paper: no gradient through NMF) or 'unrolled'. */
  nmfMode: NmfMode;
  /**
   * How the semantic branch finds its K part heatmaps: 'nmf' (paper) or 'soft-kmeans' (src/nn/soft-kmeans.ts:
   * per-image soft k-means of the pixel features on the unit sphere, K = nmfFactors, nmfIterations centre
   * updates, no gradient unless nmfMode is 'unrolled'), an alternative to NMF on the same features.
   */
  semanticMethod: 'nmf' | 'soft-kmeans';
  /** Temperature of 'soft-kmeans' (softmax over cosines), > 0. Default 0.1. */
  softKmeansTemperature: number;
  /** Use the learnable 1x1-conv "MLP" branch (C -> mlpHiddenChannels -> nmfFactors). Default false. */
  mlpBranch: boolean;
  /** Hidden channels of the MLP branch, integer in [1, 4096]. Paper 128. */
  mlpHiddenChannels: number;
  /** Fill the sparse FoV depth image (IP-Basic style, geometry/depth-completion.ts). Default true. */
  depthCompletion: boolean;
  /** Depth normalisation range: value = min(range, maxRangeM) / maxRangeM, metres. Paper 100. */
  maxRangeM: number;
  /** Weight of the lazy triplet term, >= 0. Default 1. */
  tripletWeight: number;
  /** Weight of the mid-level L1 triplet term on encoder maps, >= 0. Default 1. */
  midWeight: number;
  /** Lazy-triplet margin on descriptor distance. Paper 0.3. */
  marginL2: number;
  /** Mid-level margin (mean absolute difference). Paper 0.03. */
  midMarginL1: number;
  /** Negatives per query (1 hardest + n-1 random), integer >= 1. Paper 10. */
  negatives: number;
  /** A retrieval (and a training positive) is within this ground distance, metres. Paper 10. */
  positiveThresholdM: number;
  /** Negatives lie strictly farther than this ground distance, metres, >= positiveThresholdM. Default 20. */
  negativeThresholdM: number;
  /**
   * Mined negatives per query, integer in [0, negatives]: 0 = none (paper, default). With n > 0, n of the
   * `negatives` are drawn from the query's `hardNegativePool` nearest frames in descriptor space beyond
   * negativeThresholdM, mined with the current model at every epoch's start (hard-negatives.ts, as NetVLAD).
   */
  hardNegatives: number;
  /** Frames kept per query by the mining, integer in [1, 1000]. Default 10 (NetVLAD's 10 hardest). */
  hardNegativePool: number;
  /** Adam learning rate, > 0. Paper 1e-4. */
  learningRate: number;
  /** Learning-rate factor applied every `lrDecayEveryEpochs`, in (0, 1]. Paper 0.9. */
  lrDecay: number;
  /** Epochs between decays, integer >= 1. Paper 10. */
  lrDecayEveryEpochs: number;
  /** Steps of linear learning-rate warm-up at the start of a run (lr x (step + 1) / warmupSteps), integer >= 0. Default 0 (none; the paper has none). */
  warmupSteps: number;
  /** Clip the gradients to this global L2 norm (torch's clip_grad_norm_), > 0; null = no clipping. Default null (the paper does not clip). */
  clipGradNorm: number | null;
  /**
   * Photometric augmentation of the training queries (camera images), 0 = none (paper, default).
   * With j > 0 each query image x in [0, 1] becomes clip(g x^gamma + c, 0, 1) with gain
   * g = exp(U(-j, j)), gamma = exp(U(-j/2, j/2)) and a colour cast c per channel from U(-j/10, j/10),
   * drawn from the step's generator. In [0, 1].
   */
  photometricJitter: number;
  /**
   * Calibration-error augmentation of the training depth images (positives and negatives), degrees,
   * 0 = none (default): each depth image is re-rendered as through a rotated calibration, a rotation
   * vector with N(0, sigma^2) per camera axis (rotateRangeImage: exact for range values up to the
   * resampling), drawn from the step's generator after the photometric draws. In [0, 10].
   */
  calibrationJitterDeg: number;
  /** Training epochs, integer >= 1. Paper 200. */
  epochs: number;
  /** Queries per optimisation step, integer >= 1. Paper 20. */
  batchSize: number;
  /** Frames whose encoder features seed the NetVLAD k-means, integer >= 1. */
  kmeansFrames: number;
  /** Write a checkpoint every this many steps (and at each epoch end), integer >= 1. */
  checkpointEverySteps: number;
  /**
   * Keep the checkpoint files of the steps that are multiples of this (integer >= 0; 0 = only the
   * latest, the default): snapshots along the run for a weight average (`i2p export-model --average`).
   * Not part of the model: changing it does not change training.
   */
  keepCheckpointEverySteps: number;
  /** Seed of weights, NMF start, k-means, shuffles and negatives. */
  seed: number;
}

/** The paper's settings (ModaLink, IROS 2024). */
export const DEFAULT_MODALINK_CONFIG: Readonly<ModaLinkConfig> = Object.freeze({
  inputHeightPx: 128, inputWidthPx: 800, cropTopPx: 165, encoderPreset: 'paper', imagenetNormalize: true, pretrainedEncoder: null,
  sharedEncoder: true, netvladClusters: 64, netvladAlpha: 100, nmfBranch: true, nmfFactors: 16, nmfIterations: 50,
  nmfMode: 'detached', semanticMethod: 'nmf', softKmeansTemperature: 0.1, mlpBranch: false, mlpHiddenChannels: 128, depthCompletion: true, maxRangeM: 100,
  tripletWeight: 1, midWeight: 1, marginL2: 0.3, midMarginL1: 0.03, negatives: 10, positiveThresholdM: 10,
  negativeThresholdM: 20, hardNegatives: 0, hardNegativePool: 10, learningRate: 1e-4, lrDecay: 0.9, lrDecayEveryEpochs: 10, warmupSteps: 0, clipGradNorm: null, photometricJitter: 0, calibrationJitterDeg: 0, epochs: 200, batchSize: 20,
  kmeansFrames: 100, checkpointEverySteps: 200, keepCheckpointEverySteps: 0, seed: 0,
} as ModaLinkConfig);

/**
 * Named presets: `paper` = the defaults; `laptop` = 48 x 320 input, laptop encoder, 20 NMF
 * updates, 5 negatives (the nearest beyond the threshold + 4 random), 5 epochs of 4 queries.
 * Measured on a 2-core CPU (tfjs-node): about 0.5 s per step of 4 + 4 + 20 images, 80 s per
 * epoch over 650 frames (64 x 400 with 10 negatives: 1.5 s per step, 250 s per epoch).
 */
export const MODALINK_PRESETS: Readonly<Record<'paper' | 'laptop', Readonly<ModaLinkConfig>>> = Object.freeze({
  paper: DEFAULT_MODALINK_CONFIG,
  laptop: Object.freeze({
    ...DEFAULT_MODALINK_CONFIG, inputHeightPx: 48, inputWidthPx: 320, encoderPreset: 'laptop', nmfIterations: 20, negatives: 5,
    learningRate: 3e-4, epochs: 5, batchSize: 4, kmeansFrames: 20, checkpointEverySteps: 50,
  } as ModaLinkConfig),
});
// #endregion config

const KEYS = Object.keys(DEFAULT_MODALINK_CONFIG) as (keyof ModaLinkConfig)[];
const P = 'modalink';
const int = (min: number, max: number): NumberSpec => ({ min, max, integer: true });
const open = (max: number): NumberSpec => ({ min: 0, max, minOpen: true });

// #region validate
/**
 * Merges `partial` over `base` (default: the paper preset) and checks every field.
 * @throws ConfigError naming the field (e.g. `modalink.nmfFactors`)
 */
export function validateModaLinkConfig(partial: Partial<ModaLinkConfig> = {}, base: Readonly<ModaLinkConfig> = DEFAULT_MODALINK_CONFIG): Readonly<ModaLinkConfig> {
  checkConfigObject(P, partial, KEYS);
  const c = { ...base, ...partial } as ModaLinkConfig;
  const r = c as unknown as Record<string, unknown>;
  numberFields(P, r, { inputHeightPx: int(16, 2048), inputWidthPx: int(16, 4096), cropTopPx: int(0, 375) });
  oneOfField(`${P}.encoderPreset`, c.encoderPreset, ['paper', 'laptop']);
  expectField(`${P}.pretrainedEncoder`, c.pretrainedEncoder === null || (typeof c.pretrainedEncoder === 'string' && c.pretrainedEncoder !== ''),
    'null or the path of a .safetensors file', c.pretrainedEncoder);
  for (const f of ['imagenetNormalize', 'sharedEncoder', 'nmfBranch', 'mlpBranch', 'depthCompletion'] as const) booleanField(`${P}.${f}`, c[f]);
  numberFields(P, r, { netvladClusters: int(1, 1024), netvladAlpha: open(1e6), nmfFactors: int(1, 256), nmfIterations: int(1, 1000) });
  oneOfField(`${P}.nmfMode`, c.nmfMode, ['detached', 'unrolled']);
  oneOfField(`${P}.semanticMethod`, c.semanticMethod, ['nmf', 'soft-kmeans']);
  const weight: NumberSpec = { min: 0, max: 100 };
  numberFields(P, r, {
    mlpHiddenChannels: int(1, 4096), maxRangeM: open(1000), softKmeansTemperature: open(100),
    tripletWeight: weight, midWeight: weight, marginL2: weight, midMarginL1: weight,
    negatives: int(1, 1000), positiveThresholdM: open(1e4), negativeThresholdM: { min: c.positiveThresholdM, max: 1e5 },
    hardNegatives: int(0, c.negatives), hardNegativePool: int(1, 1000),
    learningRate: open(1), lrDecay: open(1), lrDecayEveryEpochs: int(1, 1e6), photometricJitter: { min: 0, max: 1 }, calibrationJitterDeg: { min: 0, max: 10 },
    epochs: int(1, 1e6), batchSize: int(1, 4096), kmeansFrames: int(1, 1e6),
    checkpointEverySteps: int(1, 1e9), keepCheckpointEverySteps: int(0, 1e9), seed: int(0, 2 ** 32 - 1),
  });
  checkOptimizerFields(P, r);
  return Object.freeze(c);
}
// #endregion validate

/**
 * Resolves `laptop`, `paper`, or a JSON file `{ "extends": "laptop", ...fields }` (default base: paper).
 * @throws InputError naming the file when it is unreadable or not JSON; ConfigError for bad fields
 */
export function loadModaLinkConfig(nameOrFile: string, overrides: Partial<ModaLinkConfig> = {}): Readonly<ModaLinkConfig> {
  const { preset, fields } = readPresetConfig(nameOrFile, 'modalink', 'paper');
  return validateModaLinkConfig({ ...fields, ...overrides } as Partial<ModaLinkConfig>, MODALINK_PRESETS[preset]);
}
