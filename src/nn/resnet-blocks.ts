/**
 * The pieces of a ResNet in NHWC with raw `Variable`s: convolution with PyTorch's
 * padding, batch norm with an explicit `training` flag, and the BasicBlock.
 *
 * Convention: padding is explicit and symmetric, as in PyTorch (`tf.pad` then a 'valid'
 * convolution). TensorFlow's 'same' padding puts the odd extra row at the bottom/right for
 * stride 2, which shifts the sampling grid by one pixel against torchvision's weights.
 * Weights are stored HWIO (TensorFlow); torchvision's are OIHW (see torchvision-resnet.ts).
 * @see notebooks/03-place-recognition.ipynb
 */
import { tf } from '../core/tf.js';
import type { Tensor, Tensor1D, Tensor4D, Variable } from '../core/tf.js';
import type { Rng } from '../core/rng.js';
import { batchNormTraining } from './batch-norm.js';
import { explicitPaddingGradients } from '../core/native-kernels.js';

/** A tfjs variable (tf.ts exports no Variable type). */

/** Registers a variable under its torchvision-style name (e.g. `layer1.0.conv1.weight`). */
export type AddVariable = (name: string, value: Tensor, trainable: boolean) => Variable;

/** A bias-free convolution. */
export interface Conv {
  /** [k, k, inC, outC] float32 filter (HWIO). */
  weight: Variable;
  stride: number;
  pad: number;
}

/** Batch norm: scale/shift (trainable) and running statistics (not trainable). */
export interface BatchNorm {
  /** [C] float32, gamma (torchvision `weight`). */
  weight: Variable;
  /** [C] float32, beta (torchvision `bias`). */
  bias: Variable;
  /** [C] float32, running mean. */
  runningMean: Variable;
  /** [C] float32, running (unbiased) variance. */
  runningVar: Variable;
}

/** Batch-norm settings shared by every layer. */
export interface BatchNormSettings {
  epsilon: number;
  /** PyTorch convention: weight of the new batch statistic. */
  momentum: number;
}

/** conv + bn + relu + conv + bn, plus the shortcut (1x1 conv + bn when the shape changes). */
export interface BasicBlock {
  conv1: Conv; bn1: BatchNorm; conv2: Conv; bn2: BatchNorm;
  downsample?: { conv: Conv; bn: BatchNorm };
}

/** Kaiming-normal filter, fan-out mode (torchvision's ResNet initialisation), HWIO. */
export function makeConv(add: AddVariable, rng: Rng, name: string, k: number, inC: number, outC: number, stride: number): Conv {
  const n = k * k * inC * outC;
  const std = Math.sqrt(2 / (k * k * outC));
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = std * rng.normal();
  const weight = add(`${name}.weight`, tf.tensor4d(values, [k, k, inC, outC]), true);
  return { weight, stride, pad: (k - 1) >> 1 };
}

/** Batch norm at identity: gamma 1, beta 0, running mean 0, running variance 1. */
export function makeBatchNorm(add: AddVariable, name: string, c: number): BatchNorm {
  return {
    weight: add(`${name}.weight`, tf.ones([c]), true),
    bias: add(`${name}.bias`, tf.zeros([c]), true),
    runningMean: add(`${name}.running_mean`, tf.zeros([c]), false),
    runningVar: add(`${name}.running_var`, tf.ones([c]), false),
  };
}

/**
 * Convolution with symmetric zero padding (PyTorch semantics).
 * @param x [B, H, W, inC] float32
 * @returns [B, floor((H + 2p - k) / s) + 1, ..., outC] float32
 */
export function conv2d(x: Tensor4D, conv: Conv): Tensor4D {
  const { input, pad } = convPadding(x, conv);
  return tf.conv2d(input, conv.weight as Tensor4D, conv.stride, pad);
}

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * How to pad `conv`'s input the PyTorch way: stride 1 with an odd kernel is TF's 'same' (p on
 * both sides, no copy); on the native backend TensorFlow pads inside the convolution and its
 * gradients (explicit padding, src/core/native-kernels.ts); elsewhere tf.pad, then 'valid'.
 * @param x [B, H, W, inC] float32
 * @returns the input to convolve ([B, H + 2p, W + 2p, inC] when padded here) and the padding to pass
 */
function convPadding(x: Tensor4D, conv: Conv): { input: Tensor4D; pad: 'same' | 'valid' | ExplicitPadding } {
  const p = conv.pad;
  if (conv.stride === 1 && 2 * p === conv.weight.shape[0] - 1) return { input: x, pad: 'same' };
  if (p === 0) return { input: x, pad: 'valid' };
  if (explicitPaddingGradients()) return { input: x, pad: [[0, 0], [p, p], [p, p], [0, 0]] };
  return { input: tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]), pad: 'valid' };
}

/**
 * Batch norm over B, H, W. Training: normalise with the batch's mean and biased variance
 * and move the running statistics towards the batch's (unbiased variance, as PyTorch).
 * Inference: normalise with the running statistics.
 * @param x [B, H, W, C] float32
 * @returns [B, H, W, C] float32
 */
export function batchNorm(x: Tensor4D, bn: BatchNorm, training: boolean, s: BatchNormSettings): Tensor4D {
  if (training) {
    const { y, mean, variance } = batchNormTraining(x, bn.weight as Tensor1D, bn.bias as Tensor1D, s.epsilon);
    const n = x.shape[0] * x.shape[1] * x.shape[2];
    tf.tidy(() => {
      const unbiased = n > 1 ? variance.mul(n / (n - 1)) : variance;
      bn.runningMean.assign(bn.runningMean.mul(1 - s.momentum).add(mean.mul(s.momentum)));
      bn.runningVar.assign(bn.runningVar.mul(1 - s.momentum).add(unbiased.mul(s.momentum)));
    });
    tf.dispose([mean, variance]);
    return y;
  }
  const scale = bn.weight.mul(tf.rsqrt(bn.runningVar.add(s.epsilon))); // [C]
  const shift = bn.bias.sub(bn.runningMean.mul(scale)); // [C]
  return x.mul(scale).add(shift);
}

/**
 * Convolution then batch norm, optionally ReLU. Inference folds the batch norm into the
 * filter and a bias (`W' = W gamma / sqrt(var + eps)`, `b' = beta - mean gamma / sqrt(var + eps)`)
 * and runs one fused conv + bias + ReLU: the same function, two passes over the map fewer.
 * @param x [B, H, W, inC] float32
 * @returns [B, H', W', outC] float32
 */
export function convBn(x: Tensor4D, conv: Conv, bn: BatchNorm, relu: boolean, training: boolean, s: BatchNormSettings): Tensor4D {
  if (training) {
    const y = batchNorm(conv2d(x, conv), bn, true, s);
    return relu ? tf.relu(y) : y;
  }
  const scale = bn.weight.mul(tf.rsqrt(bn.runningVar.add(s.epsilon))); // [outC]
  const filter = conv.weight.mul(scale) as Tensor4D; // [k, k, inC, outC]
  const bias = bn.bias.sub(bn.runningMean.mul(scale)); // [outC]
  const { input, pad } = convPadding(x, conv);
  return tf.fused.conv2d({ x: input, filter, strides: conv.stride, pad, bias, activation: relu ? 'relu' : 'linear' });
}

/**
 * One BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), in its own tidy so
 * that inference frees the block's intermediates at once (the gradient tape keeps what
 * backpropagation needs).
 * @param x [B, H, W, inC] float32
 * @returns [B, H / stride, W / stride, outC] float32
 */
export function basicBlock(x: Tensor4D, b: BasicBlock, training: boolean, s: BatchNormSettings): Tensor4D {
  return tf.tidy(() => {
    const h = convBn(x, b.conv1, b.bn1, true, training, s); // [B, H/s, W/s, outC]
    const y = convBn(h, b.conv2, b.bn2, false, training, s);
    const shortcut = b.downsample ? convBn(x, b.downsample.conv, b.downsample.bn, false, training, s) : x;
    return tf.relu(y.add(shortcut)) as Tensor4D; // [B, H/s, W/s, outC]
  });
}

/** Creates the blocks of one layer; the first takes the stride and, if needed, the downsample. */
export function makeLayer(
  add: AddVariable, rng: Rng, name: string, inC: number, outC: number, blocks: number, stride: number,
): BasicBlock[] {
  const out: BasicBlock[] = [];
  for (let i = 0; i < blocks; i++) {
    const p = `${name}.${i}`;
    const cin = i === 0 ? inC : outC;
    const s = i === 0 ? stride : 1;
    const block: BasicBlock = {
      conv1: makeConv(add, rng, `${p}.conv1`, 3, cin, outC, s),
      bn1: makeBatchNorm(add, `${p}.bn1`, outC),
      conv2: makeConv(add, rng, `${p}.conv2`, 3, outC, outC, 1),
      bn2: makeBatchNorm(add, `${p}.bn2`, outC),
    };
    if (s !== 1 || cin !== outC) {
      block.downsample = { conv: makeConv(add, rng, `${p}.downsample.0`, 1, cin, outC, s), bn: makeBatchNorm(add, `${p}.downsample.1`, outC) };
    }
    out.push(block);
  }
  return out;
}
