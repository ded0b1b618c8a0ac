/**
 * ModaLink configuration: one flat, documented object for the model, the data view, the
 * loss and the training schedule. Two presets: `paper` (ResNet34-layer3, 128 x 800 input,
 * 200 epochs of 20 queries per step) and `laptop` (narrow ResNet, 48 x 320 input, a few
 * epochs on a 2-core CPU). A user JSON file merges over a preset (`extends` names it).
 * @see notebooks/03-place-recognition.ipynb
 */
import { ConfigError } from '../core/errors.js';
import { readPresetConfig } from '../core/preset-config.js';
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
  /** Adam learning rate, > 0. Paper 1e-4. */
  learningRate: number;
  /** Learning-rate factor applied every `lrDecayEveryEpochs`, in (0, 1]. Paper 0.9. */
  lrDecay: number;
  /** Epochs between decays, integer >= 1. Paper 10. */
  lrDecayEveryEpochs: number;
  /** Training epochs, integer >= 1. Paper 200. */
  epochs: number;
  /** Queries per optimisation step, integer >= 1. Paper 20. */
  batchSize: number;
  /** Frames whose encoder features seed the NetVLAD k-means, integer >= 1. */
  kmeansFrames: number;
  /** Write a checkpoint every this many steps (and at each epoch end), integer >= 1. */
  checkpointEverySteps: number;
  /** Seed of weights, NMF start, k-means, shuffles and negatives. */
  seed: number;
}

/** The paper's settings (ModaLink, IROS 2024). */
export const DEFAULT_MODALINK_CONFIG: Readonly<ModaLinkConfig> = Object.freeze({
  inputHeightPx: 128, inputWidthPx: 800, cropTopPx: 165, encoderPreset: 'paper', imagenetNormalize: true, pretrainedEncoder: null,
  sharedEncoder: true, netvladClusters: 64, netvladAlpha: 100, nmfBranch: true, nmfFactors: 16, nmfIterations: 50,
  nmfMode: 'detached', mlpBranch: false, mlpHiddenChannels: 128, depthCompletion: true, maxRangeM: 100,
  tripletWeight: 1, midWeight: 1, marginL2: 0.3, midMarginL1: 0.03, negatives: 10, positiveThresholdM: 10,
  negativeThresholdM: 20, learningRate: 1e-4, lrDecay: 0.9, lrDecayEveryEpochs: 10, epochs: 200, batchSize: 20,
  kmeansFrames: 100, checkpointEverySteps: 200, seed: 0,
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

function num(c: Record<string, unknown>, f: string, lo: number, hi: number, int: boolean, openLo = false): void {
  const v = c[f];
  const ok = typeof v === 'number' && Number.isFinite(v) && (openLo ? v > lo : v >= lo) && v <= hi && (!int || Number.isInteger(v));
  if (!ok) throw new ConfigError(`modalink.${f}`, `expected ${int ? 'an integer' : 'a number'} in ${openLo ? '(' : '['}${lo}, ${hi}], got ${JSON.stringify(v)}`);
}

// #region validate
/**
 * Merges `partial` over `base` (default: the paper preset) and checks every field.
 * @throws ConfigError naming the field (e.g. `modalink.nmfFactors`)
 */
export function validateModaLinkConfig(partial: Partial<ModaLinkConfig> = {}, base: Readonly<ModaLinkConfig> = DEFAULT_MODALINK_CONFIG): Readonly<ModaLinkConfig> {
  if (partial === null || typeof partial !== 'object') throw new ConfigError('modalink', `expected an object, got ${JSON.stringify(partial)}`);
  for (const k of Object.keys(partial)) {
    if (!KEYS.includes(k as keyof ModaLinkConfig)) throw new ConfigError(`modalink.${k}`, `unknown field; known fields: ${KEYS.join(', ')}`);
  }
  const c = { ...base, ...partial } as ModaLinkConfig;
  const r = c as unknown as Record<string, unknown>;
  num(r, 'inputHeightPx', 16, 2048, true); num(r, 'inputWidthPx', 16, 4096, true); num(r, 'cropTopPx', 0, 375, true);
  if (c.encoderPreset !== 'paper' && c.encoderPreset !== 'laptop') throw new ConfigError('modalink.encoderPreset', `expected 'paper' or 'laptop', got ${JSON.stringify(c.encoderPreset)}`);
  if (c.pretrainedEncoder !== null && (typeof c.pretrainedEncoder !== 'string' || c.pretrainedEncoder === '')) {
    throw new ConfigError('modalink.pretrainedEncoder', `expected null or the path of a .safetensors file, got ${JSON.stringify(c.pretrainedEncoder)}`);
  }
  for (const f of ['imagenetNormalize', 'sharedEncoder', 'nmfBranch', 'mlpBranch', 'depthCompletion'] as const) {
    if (typeof c[f] !== 'boolean') throw new ConfigError(`modalink.${f}`, `expected true or false, got ${JSON.stringify(c[f])}`);
  }
  num(r, 'netvladClusters', 1, 1024, true); num(r, 'netvladAlpha', 0, 1e6, false, true);
  num(r, 'nmfFactors', 1, 256, true); num(r, 'nmfIterations', 1, 1000, true);
  if (c.nmfMode !== 'detached' && c.nmfMode !== 'unrolled') throw new ConfigError('modalink.nmfMode', `expected 'detached' or 'unrolled', got ${JSON.stringify(c.nmfMode)}`);
  num(r, 'mlpHiddenChannels', 1, 4096, true); num(r, 'maxRangeM', 0, 1000, false, true);
  for (const f of ['tripletWeight', 'midWeight', 'marginL2', 'midMarginL1']) num(r, f, 0, 100, false);
  num(r, 'negatives', 1, 1000, true); num(r, 'positiveThresholdM', 0, 1e4, false, true);
  num(r, 'negativeThresholdM', c.positiveThresholdM, 1e5, false);
  num(r, 'learningRate', 0, 1, false, true); num(r, 'lrDecay', 0, 1, false, true); num(r, 'lrDecayEveryEpochs', 1, 1e6, true);
  num(r, 'epochs', 1, 1e6, true); num(r, 'batchSize', 1, 4096, true); num(r, 'kmeansFrames', 1, 1e6, true);
  num(r, 'checkpointEverySteps', 1, 1e9, true); num(r, 'seed', 0, 2 ** 32 - 1, true);
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
