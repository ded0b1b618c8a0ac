/**
 * The registration model's image encoder: a ResNet-FPN. The ResNet is nn/resnet.ts's
 * `createEncoder` (stem + layer1..layerL, BasicBlocks, torchvision names, so ImageNet
 * weights load with `loadTorchvisionResnet(enc.backbone, file)`); on top, a feature pyramid
 * (FPN): a 1x1 lateral conv per stage, a top-down path (nearest 2x upsampling + add), and a
 * 3x3 output conv on the finest level. Output: per-pixel features at 1/4 of the input
 * resolution (layer1's grid) and a global feature (the mean of the last stage).
 *
 * Design choice: 1/4 resolution, as CorrI2P's image branch (its PnP baseline works on the
 * 1/4 grid); 160 x 512 -> 40 x 128 = 5120 pixel tokens for the cross-attention. 1/8 would
 * cut attention cost 4x at 2 px more quantisation; use a coarser `outputStage` for that.
 * Convention: images NHWC, pixel (u, v) = (column, row); output pixel (i, j) covers input
 * rows 4i..4i+3 and columns 4j..4j+3 (stride 4 from the stem conv + max-pool).
 * @see notebooks/04-attention-queries.ipynb (issue 5)
 */
import { tf } from '../core/tf.js';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable } from '../core/tf.js';
import { createRng } from '../core/rng.js';
import { checkConfigObject, expectField, intField, numberField } from '../core/config-fields.js';
import { createEncoder } from '../nn/resnet.js';
import type { Encoder } from '../nn/resnet.js';
import { conv2d, makeConv } from '../nn/resnet-blocks.js';
import type { Conv } from '../nn/resnet-blocks.js';

// #region config
/** Image-encoder settings; pixels for sizes. */
export interface ImageEncoderConfig {
  /** Residual blocks per ResNet stage (layer1..); 1 to 4 stages. Paper [3, 4, 6, 3] (ResNet34). */
  blocks: number[];
  /** Channels per ResNet stage; same length as `blocks`. Paper [64, 128, 256, 512]. */
  widths: number[];
  /** FPN channels (laterals and top-down path). Paper 128. */
  fpnChannels: number;
  /** Channels of the per-pixel output. Paper 128. */
  outChannels: number;
  /** Pyramid level returned: 0 = layer1's grid (stride 4), 1 = stride 8, ...; < blocks.length. Default 0. */
  outputStage: number;
  /** Input channels. Default 3 (RGB, ImageNet-normalised). */
  inputChannels: number;
  /** Nominal input height, pixels (apply() accepts any size). Paper 160. */
  inputHeightPx: number;
  /** Nominal input width, pixels. Paper 512. */
  inputWidthPx: number;
  /** Batch-norm epsilon. Default 1e-5. */
  batchNormEpsilon: number;
  /** Batch-norm momentum, PyTorch convention (weight of the new batch statistic). Default 0.1. */
  batchNormMomentum: number;
}

const PAPER: ImageEncoderConfig = {
  blocks: [3, 4, 6, 3], widths: [64, 128, 256, 512], fpnChannels: 128, outChannels: 128, outputStage: 0,
  inputChannels: 3, inputHeightPx: 160, inputWidthPx: 512, batchNormEpsilon: 1e-5, batchNormMomentum: 0.1,
};

/** ResNet34-FPN at 160 x 512 (the pair protocol's crop); see {@link IMAGE_ENCODER_PRESETS}. */
export const DEFAULT_IMAGE_ENCODER_CONFIG: Readonly<ImageEncoderConfig> = Object.freeze(PAPER);

/**
 * Presets. `paper`: ResNet34 + FPN 128, 160 x 512 -> 40 x 128 x 128.
 * `laptop`: one block per stage, widths [16, 32, 64, 128], FPN 64, 80 x 256 -> 20 x 64 x 64.
 */
export const IMAGE_ENCODER_PRESETS: Readonly<Record<'paper' | 'laptop', Readonly<ImageEncoderConfig>>> = Object.freeze({
  paper: DEFAULT_IMAGE_ENCODER_CONFIG,
  laptop: Object.freeze({ ...PAPER, blocks: [1, 1, 1, 1], widths: [16, 32, 64, 128], fpnChannels: 64, outChannels: 64, inputHeightPx: 80, inputWidthPx: 256 }),
});
// #endregion config

const P = 'imageEncoder';
const KEYS = Object.keys(PAPER) as (keyof ImageEncoderConfig)[];

/**
 * Merges `partial` over `base` (default: the paper preset) and checks every field.
 * @throws ConfigError naming the field (e.g. `imageEncoder.widths[2]`)
 */
export function validateImageEncoderConfig(partial: Partial<ImageEncoderConfig> = {}, base: Readonly<ImageEncoderConfig> = DEFAULT_IMAGE_ENCODER_CONFIG): Readonly<ImageEncoderConfig> {
  checkConfigObject(P, partial, KEYS);
  const c = { ...base, ...partial };
  const int = (field: string, v: unknown, lo: number, hi: number): number => intField(`${P}.${field}`, v, lo, hi);
  const num = (field: string, v: unknown, hi: number): number => numberField(`${P}.${field}`, v, { min: 0, max: hi, minOpen: true });
  const intList = (field: string, v: unknown, len: number | null, hi: number): number[] => {
    const ok = Array.isArray(v) && v.length >= 1 && v.length <= 4 && (len === null || v.length === len);
    expectField(`${P}.${field}`, ok, `${len ?? '1 to 4'} integers (one per ResNet stage)`, v);
    return (v as unknown[]).map((x, i) => int(`${field}[${i}]`, x, 1, hi));
  };
  const blocks = intList('blocks', c.blocks, null, 32);
  return Object.freeze({
    blocks, widths: intList('widths', c.widths, blocks.length, 4096),
    fpnChannels: int('fpnChannels', c.fpnChannels, 1, 4096), outChannels: int('outChannels', c.outChannels, 1, 4096),
    outputStage: int('outputStage', c.outputStage, 0, blocks.length - 1), inputChannels: int('inputChannels', c.inputChannels, 1, 64),
    inputHeightPx: int('inputHeightPx', c.inputHeightPx, 1, 8192), inputWidthPx: int('inputWidthPx', c.inputWidthPx, 1, 8192),
    batchNormEpsilon: num('batchNormEpsilon', c.batchNormEpsilon, 1), batchNormMomentum: num('batchNormMomentum', c.batchNormMomentum, 1),
  });
}

/** What {@link ImageEncoder.apply} returns (the caller disposes both). */
export interface ImageEncoderOutput {
  /** [B, H', W', outChannels] float32 per-pixel features; H' = ceil(H / 4) for outputStage 0 (160 -> 40). */
  features: Tensor4D;
  /** [B, widths.last] float32 mean of the last ResNet stage over its pixels. */
  global: Tensor2D;
  /**
   * [B, w_L, widths.last] float32 mean of the last ResNet stage over its ROWS only: one feature
   * per image column band (w_L = ceil(W / 32) for 4 stages), left to right, so what is where
   * across the view (the azimuth) survives the pooling.
   */
  columns: Tensor3D;
}

/** A ResNet-FPN with its own variables. */
export interface ImageEncoder {
  readonly config: Readonly<ImageEncoderConfig>;
  /**
   * Forward pass.
   * @param image [B, H, W, inputChannels] float32, ImageNet-normalised (see normalizeImagenet)
   * @param training true: batch statistics, running statistics updated; false: running statistics
   */
  apply(image: Tensor4D, training: boolean): ImageEncoderOutput;
  /** The ResNet (torchvision names; load ImageNet weights into it). */
  readonly backbone: Encoder;
  /** Backbone trainables (state-dict order), then the FPN's (laterals by stage, output conv). */
  readonly trainableVariables: Variable[];
  /** FPN variables by name (`fpn.lateral2.weight`, `fpn.output.bias`, ...); the backbone's are in `backbone.variables`. */
  readonly fpnVariables: ReadonlyMap<string, Variable>;
  /** Number of trainable scalars. */
  readonly paramCount: number;
  dispose(): void;
}

interface ConvBias { conv: Conv; bias: Variable }

let imageEncoderCount = 0;

/**
 * Builds a ResNet-FPN: the backbone as torchvision initialises a ResNet, FPN convs
 * Kaiming-normal (fan-out) with zero biases.
 * @param config any subset of {@link ImageEncoderConfig} over the paper preset
 * @param seed integer seed (the backbone uses `seed`, the FPN a stream derived from it)
 * @throws ConfigError for a bad config field
 */
export function createImageEncoder(config: Partial<ImageEncoderConfig> = {}, seed = 0): ImageEncoder {
  const cfg = validateImageEncoderConfig(config);
  const backbone = createEncoder({
    blocks: cfg.blocks, widths: cfg.widths, inputChannels: cfg.inputChannels, inputHeightPx: cfg.inputHeightPx,
    inputWidthPx: cfg.inputWidthPx, l2Normalize: false, batchNormEpsilon: cfg.batchNormEpsilon, batchNormMomentum: cfg.batchNormMomentum,
  }, seed);
  const rng = createRng(seed ^ 0x5f9e3779);
  const prefix = `imageEncoder${++imageEncoderCount}/`;
  const fpnVariables = new Map<string, Variable>();
  const fpnTrainables: Variable[] = [];
  const add = (name: string, value: Tensor): Variable => {
    const v = tf.variable(value, true, prefix + name);
    value.dispose();
    fpnVariables.set(name, v);
    fpnTrainables.push(v);
    return v;
  };
  const convBias = (name: string, k: number, inC: number, outC: number): ConvBias => ({
    conv: makeConv((n, value) => add(n, value), rng, name, k, inC, outC, 1),
    bias: add(`${name}.bias`, tf.zeros([outC])),
  });
  const S = cfg.outputStage;
  const laterals = cfg.widths.map((w, i) => (i >= S ? convBias(`fpn.lateral${i + 1}`, 1, w, cfg.fpnChannels) : undefined));
  const output = convBias('fpn.output', 3, cfg.fpnChannels, cfg.outChannels);
  const apply1 = (x: Tensor4D, cb: ConvBias): Tensor4D => tf.add(conv2d(x, cb.conv), cb.bias as Tensor1D) as Tensor4D;
  const trainableVariables = [...backbone.trainableVariables, ...fpnTrainables];
  let disposed = false;

  return {
    config: cfg,
    backbone,
    apply: (image, training) => {
      if (disposed) throw new Error('ImageEncoder.apply: the encoder was disposed');
      return tf.tidy(() => {
        const { layers } = backbone.applyStages(image, training); // layers[i]: [B, H/2^(i+2), W/2^(i+2), widths[i]]
        const L = layers.length;
        let p = apply1(layers[L - 1], laterals[L - 1] as ConvBias); // [B, h_L, w_L, F]
        for (let i = L - 2; i >= S; i--) {
          const [h, w] = layers[i].shape.slice(1, 3);
          p = tf.add(apply1(layers[i], laterals[i] as ConvBias), tf.image.resizeNearestNeighbor(p, [h, w])) as Tensor4D; // [B, h_i, w_i, F]
        }
        const features = apply1(p, output); // [B, h_S, w_S, outChannels]
        const columns = tf.mean(layers[L - 1], 1) as Tensor3D; // [B, w_L, widths.last]
        const global = tf.mean(layers[L - 1], [1, 2]) as Tensor2D; // [B, widths.last]
        return { features, global, columns } as unknown as Record<string, Tensor>;
      }) as unknown as ImageEncoderOutput;
    },
    trainableVariables,
    fpnVariables,
    paramCount: trainableVariables.reduce((s, v) => s + v.size, 0),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      backbone.dispose();
      for (const v of fpnVariables.values()) v.dispose();
    },
  };
}
