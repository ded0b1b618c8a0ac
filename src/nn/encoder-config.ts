/**
 * Configuration of the shared image/depth encoder (resnet.ts): a ResNet with BasicBlocks,
 * cut after its last configured layer. Two presets: `paper` (ModaLink: ResNet34 cut after
 * layer3, 256 channels, stride 16, 128 x 800 input -> 8 x 50 x 256, about 8.2 M parameters)
 * and `laptop` (narrower, fewer blocks, 64 x 400 input: trains on a 2-core CPU in minutes).
 *
 * Convention: batch-norm momentum follows PyTorch (`running = (1 - m) running + m batch`,
 * m = 0.1), not Keras (which weights the OLD value by its momentum, 0.99).
 * @see notebooks/03-place-recognition.ipynb
 */
import { ConfigError } from '../core/errors.js';
import { booleanField, checkConfigObject, expectField, intField, numberField } from '../core/config-fields.js';

// #region config
/** Encoder settings; pixels for sizes. */
export interface EncoderConfig {
  /** Residual blocks per layer (layer1, layer2, ...); 1 to 4 layers, each 1..32 blocks. Paper: [3, 4, 6] (ResNet34 up to layer3). */
  blocks: number[];
  /** Output channels per layer; same length as `blocks`. The stem has `widths[0]` channels (as in torchvision). Paper: [64, 128, 256]. */
  widths: number[];
  /** Channels of the input image. Default 3 (depth images are repeated to 3 channels by the caller). */
  inputChannels: number;
  /** Nominal input height, pixels: what the data pipeline resizes to (apply() accepts any size >= 1). Paper 128. */
  inputHeightPx: number;
  /** Nominal input width, pixels. Paper 800. */
  inputWidthPx: number;
  /** Divide every output pixel's feature vector by its L2 norm over channels. Default true. */
  l2Normalize: boolean;
  /** Guard of the L2 normalisation: x / max(||x||, eps) (as torch.nn.functional.normalize). Default 1e-12. */
  l2Epsilon: number;
  /** Batch-norm epsilon added to the variance. Default 1e-5 (PyTorch). */
  batchNormEpsilon: number;
  /** Batch-norm momentum, PyTorch convention (weight of the NEW batch statistic), in (0, 1]. Default 0.1. */
  batchNormMomentum: number;
}

/** The paper's encoder: ResNet34 stem + layer1..layer3, 128 x 800 input, per-pixel L2 norm. */
export const DEFAULT_ENCODER_CONFIG: Readonly<EncoderConfig> = Object.freeze({
  blocks: Object.freeze([3, 4, 6]) as unknown as number[],
  widths: Object.freeze([64, 128, 256]) as unknown as number[],
  inputChannels: 3,
  inputHeightPx: 128,
  inputWidthPx: 800,
  l2Normalize: true,
  l2Epsilon: 1e-12,
  batchNormEpsilon: 1e-5,
  batchNormMomentum: 0.1,
});

/**
 * Named presets. `paper`: the defaults (8.17 M parameters, output 8 x 50 x 256).
 * `laptop`: blocks [1, 1, 1], widths [32, 64, 128], 64 x 400 input (output 4 x 25 x 128,
 * 311,200 parameters, roughly 40x fewer multiply-adds than `paper`).
 */
export const ENCODER_PRESETS: Readonly<Record<'paper' | 'laptop', Readonly<EncoderConfig>>> = Object.freeze({
  paper: DEFAULT_ENCODER_CONFIG,
  laptop: Object.freeze({
    ...DEFAULT_ENCODER_CONFIG,
    blocks: Object.freeze([1, 1, 1]) as unknown as number[],
    widths: Object.freeze([32, 64, 128]) as unknown as number[],
    inputHeightPx: 64,
    inputWidthPx: 400,
  }),
});
// #endregion config

const P = 'encoder';
const KEYS = Object.keys(DEFAULT_ENCODER_CONFIG) as (keyof EncoderConfig)[];

const intIn = (field: string, v: unknown, lo: number, hi: number): number => intField(`${P}.${field}`, v, lo, hi);
const positive = (field: string, v: unknown, hi: number): number => numberField(`${P}.${field}`, v, { min: 0, max: hi, minOpen: true });

function intList(field: string, v: unknown, lo: number, hi: number): number[] {
  expectField(`${P}.${field}`, Array.isArray(v) && v.length >= 1 && v.length <= 4, 'an array of 1 to 4 integers', v);
  return (v as unknown[]).map((x, i) => intIn(`${field}[${i}]`, x, lo, hi));
}

// #region validate
/**
 * Merges `partial` over `base` (default: the paper preset) and checks every field.
 * @param partial any subset of the fields
 * @param base the config to start from, e.g. `ENCODER_PRESETS.laptop`
 * @returns a complete, frozen config
 * @throws ConfigError naming the field (e.g. `encoder.widths[1]`) for unknown fields, wrong
 *   types, out-of-range values, or `blocks` and `widths` of different lengths
 */
export function validateEncoderConfig(
  partial: Partial<EncoderConfig> = {},
  base: Readonly<EncoderConfig> = DEFAULT_ENCODER_CONFIG,
): Readonly<EncoderConfig> {
  checkConfigObject(P, partial, KEYS);
  const c = { ...base, ...partial };
  booleanField(`${P}.l2Normalize`, c.l2Normalize);
  const blocks = intList('blocks', c.blocks, 1, 32);
  const widths = intList('widths', c.widths, 1, 4096);
  if (blocks.length !== widths.length) {
    throw new ConfigError(`${P}.widths`, `expected ${blocks.length} entries (one per layer in 'blocks'), got ${widths.length}`);
  }
  return Object.freeze({
    blocks: Object.freeze(blocks) as unknown as number[],
    widths: Object.freeze(widths) as unknown as number[],
    inputChannels: intIn('inputChannels', c.inputChannels, 1, 64),
    inputHeightPx: intIn('inputHeightPx', c.inputHeightPx, 1, 8192),
    inputWidthPx: intIn('inputWidthPx', c.inputWidthPx, 1, 8192),
    l2Normalize: c.l2Normalize,
    l2Epsilon: positive('l2Epsilon', c.l2Epsilon, 1e-3),
    batchNormEpsilon: positive('batchNormEpsilon', c.batchNormEpsilon, 1),
    batchNormMomentum: positive('batchNormMomentum', c.batchNormMomentum, 1),
  });
}
// #endregion validate

/**
 * Spatial size of the encoder output for an input of `h` x `w` pixels (PyTorch padding
 * arithmetic: stem conv 7x7/2 pad 3, max-pool 3x3/2 pad 1, then a 3x3/2 pad 1 per layer after the first).
 * @returns [outH, outW] in pixels; 128 x 800 -> 8 x 50 with three layers
 */
export function encoderOutputSize(config: Readonly<EncoderConfig>, h: number, w: number): [number, number] {
  const down = (n: number, k: number, s: number, p: number): number => Math.floor((n + 2 * p - k) / s) + 1;
  let oh = down(down(h, 7, 2, 3), 3, 2, 1);
  let ow = down(down(w, 7, 2, 3), 3, 2, 1);
  for (let i = 1; i < config.blocks.length; i++) { oh = down(oh, 3, 2, 1); ow = down(ow, 3, 2, 1); }
  return [oh, ow];
}
