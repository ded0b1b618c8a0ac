/**
 * ModaLink's shared image/depth encoder: a ResNet (BasicBlocks) in NHWC, cut after its last
 * configured layer, then per-pixel L2 normalisation over channels. The paper preset is
 * ResNet34 up to layer3: 128 x 800 x 3 -> 8 x 50 x 256, 8,170,304 parameters.
 *
 * Design choice: raw `Variable`s and ops, not `tf.layers`.
 * - Training with a custom loss is one call: `optimizer.minimize(() => loss(enc.apply(x, true)),
 *   false, enc.trainableVariables)`; no Keras model wrapping, no symbolic graph.
 * - Batch norm is explicit: `apply(x, training)` says which statistics are used, and the
 *   running-statistics update (PyTorch momentum and unbiased variance) is twenty lines in
 *   resnet-blocks.ts rather than hidden in Keras' learning-phase machinery.
 * - Every variable is registered under its torchvision state-dict name
 *   (`layer2.0.downsample.1.running_var`), so loading ImageNet weights is a name lookup and a
 *   transpose (torchvision-resnet.ts), with no per-layer index bookkeeping.
 * - Padding follows PyTorch exactly (symmetric), which Keras' 'same' does not for stride 2.
 * - Inference folds each batch norm into its conv (one fused conv + bias + ReLU), and each
 *   block runs in its own tidy, so a batch of 20 at 128 x 800 needs about 1 GB, not 3.5 GB.
 * The cost: no `model.save()`; checkpoints save `variables` by name (e.g. with safetensors.ts).
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf } from '../core/tf.js';
import type { Tensor, Tensor4D, Variable } from '../core/tf.js';
import { createRng } from '../core/rng.js';
import { encoderOutputSize, validateEncoderConfig } from './encoder-config.js';
import type { EncoderConfig } from './encoder-config.js';
import { basicBlock, convBn, makeBatchNorm, makeConv, makeLayer } from './resnet-blocks.js';
import type { BasicBlock, BatchNormSettings } from './resnet-blocks.js';

/** A tfjs variable (tf.ts exports no Variable type). */

/** Intermediate maps of one forward pass (all float32, NHWC). */
export interface EncoderStages {
  /** [B, H/2, W/2, widths[0]] after conv1, bn1, relu. */
  stem: Tensor4D;
  /** [B, H/4, W/4, widths[0]] after the 3x3/2 max-pool. */
  pool: Tensor4D;
  /** One per layer: [B, H/4, W/4, widths[0]], [B, H/8, W/8, widths[1]], ... */
  layers: Tensor4D[];
  /** [B, h, w, C] the encoder output: the last layer, L2-normalised per pixel if configured. */
  output: Tensor4D;
}

/** A ResNet encoder with its own variables. */
export interface Encoder {
  /** The validated config it was built with. */
  readonly config: Readonly<EncoderConfig>;
  /**
   * Forward pass.
   * @param x [B, H, W, inputChannels] float32, ImageNet-normalised image (or depth repeated to 3 channels)
   * @param training true: batch statistics, and the running statistics are updated; false: running statistics
   * @returns [B, outH, outW, widths[last]] float32, unit L2 norm per pixel when `l2Normalize`
   */
  apply(x: Tensor4D, training: boolean): Tensor4D;
  /** Like {@link apply}, also returning the intermediate maps (the caller disposes them all). */
  applyStages(x: Tensor4D, training: boolean): EncoderStages;
  /** Trainable variables (conv filters, BN gamma/beta), in state-dict order: pass to optimizer.minimize. */
  readonly trainableVariables: Variable[];
  /** Every variable by torchvision name (`conv1.weight` is HWIO here), running statistics included. */
  readonly variables: ReadonlyMap<string, Variable>;
  /** Number of trainable scalars. */
  readonly paramCount: number;
  /** Output shape [outH, outW, C] for an `h` x `w` input. */
  outputShape(h: number, w: number): [number, number, number];
  /** Frees every variable; the encoder cannot be used afterwards. */
  dispose(): void;
}

let encoderCount = 0;

/**
 * Builds an encoder with Kaiming-normal (fan-out) filters and identity batch norms, as
 * torchvision initialises a ResNet.
 * @param config any subset of {@link EncoderConfig} over the paper preset (e.g. `ENCODER_PRESETS.laptop`)
 * @param seed integer seed of the weight initialisation
 * @throws ConfigError for a bad config field
 */
export function createEncoder(config: Partial<EncoderConfig> = {}, seed = 0): Encoder {
  const cfg = validateEncoderConfig(config);
  const rng = createRng(seed);
  const prefix = `encoder${++encoderCount}/`;
  const variables = new Map<string, Variable>();
  const trainableVariables: Variable[] = [];
  const add = (name: string, value: Tensor, trainable: boolean): Variable => {
    const v = tf.variable(value, trainable, prefix + name);
    value.dispose();
    variables.set(name, v);
    if (trainable) trainableVariables.push(v);
    return v;
  };
  const bnSettings: BatchNormSettings = { epsilon: cfg.batchNormEpsilon, momentum: cfg.batchNormMomentum };
  const c0 = cfg.widths[0];
  const conv1 = makeConv(add, rng, 'conv1', 7, cfg.inputChannels, c0, 2);
  const bn1 = makeBatchNorm(add, 'bn1', c0);
  const layers: BasicBlock[][] = cfg.blocks.map((n, i) =>
    makeLayer(add, rng, `layer${i + 1}`, i === 0 ? c0 : cfg.widths[i - 1], cfg.widths[i], n, i === 0 ? 1 : 2));
  const paramCount = trainableVariables.reduce((s, v) => s + v.size, 0);
  let disposed = false;

  const forward = (x: Tensor4D, training: boolean): EncoderStages => {
    if (disposed) throw new Error('Encoder.apply: the encoder was disposed');
    if (x.rank !== 4 || x.shape[3] !== cfg.inputChannels || x.shape[1] < 1 || x.shape[2] < 1) {
      throw new RangeError(`Encoder.apply: x: expected shape [B, H, W, ${cfg.inputChannels}], got [${x.shape.join(', ')}]`);
    }
    if (x.dtype !== 'float32') throw new TypeError(`Encoder.apply: x: expected float32, got ${x.dtype}`);
    const stem = convBn(x, conv1, bn1, true, training, bnSettings); // [B, H/2, W/2, c0]
    // zero padding is exact here: the input is post-ReLU (>= 0) and every window holds a real pixel
    const pool = tf.maxPool(tf.pad(stem, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 2, 'valid'); // [B, H/4, W/4, c0]
    const outs: Tensor4D[] = [];
    let h = pool;
    for (const layer of layers) {
      for (const block of layer) h = basicBlock(h, block, training, bnSettings); // [B, H/4/2^i, W/4/2^i, widths[i]]
      outs.push(h);
    }
    const output = cfg.l2Normalize
      ? h.div(tf.maximum(tf.norm(h, 'euclidean', 3, true), cfg.l2Epsilon)) as Tensor4D // [B, h, w, C]
      : h;
    return { stem, pool, layers: outs, output };
  };

  return {
    config: cfg,
    apply: (x, training) => tf.tidy(() => forward(x, training).output),
    applyStages: (x, training) => {
      const [stem, pool, output, ...outs] = tf.tidy(() => {
        const s = forward(x, training);
        return [s.stem, s.pool, s.output, ...s.layers];
      }) as Tensor4D[];
      return { stem, pool, layers: outs, output };
    },
    trainableVariables,
    variables,
    paramCount,
    outputShape: (h, w) => [...encoderOutputSize(cfg, h, w), cfg.widths[cfg.widths.length - 1]],
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const v of variables.values()) v.dispose();
    },
  };
}
