/**
 * Faster gradients on the native TensorFlow backend (tfjs-node, tfjs-node-gpu).
 *
 * Found by `npm run profile` (bench/profile.bench.ts): on tfjs-node a training step spent most
 * of its time in three of tfjs's generic gradients, not in the network's own kernels:
 * - ReLU's gradient is `dy * step(x)`, and tfjs-node's `Step` kernel builds a JavaScript array
 *   of ones the size of x (`tf.ones(x.shape)`), uploads it, and runs five more kernels;
 * - the gradients of `Sum` and `Mean` multiply by `tf.ones(x.shape)`, another JavaScript array
 *   of the input's size per call (every batch norm, layer norm and pooled loss has them);
 * - the batch norm written as moments + element-wise ops keeps many intermediates and its
 *   backward pass is about fifteen passes over each activation.
 * This module replaces them with TensorFlow's own ops, run through the backend's op binding:
 * - kernel `I2pReluGrad` = TensorFlow's `ReluGrad(dy, x)` (one pass), used by the re-registered
 *   gradient of `Relu`;
 * - `Step` re-registered on the tensorflow backend with `OnesLike` / `Fill` instead of
 *   JavaScript arrays (same values, NaN kept);
 * - the gradients of `Sum` and `Mean` re-registered as a `Tile` of the reshaped dy (exactly the
 *   same values: x 1 and / n are the same float operations);
 * - kernels `I2pFusedBatchNormTrain` / `I2pFusedBatchNormGrad` = TensorFlow's
 *   `FusedBatchNormV3` / `FusedBatchNormGradV3` (NHWC, training mode), used by
 *   src/nn/batch-norm.ts;
 * - Conv2DBackpropInput / Conv2DBackpropFilter wrapped to accept explicit paddings (tfjs-node's
 *   take only 'valid' and 'same'), so a PyTorch-padded convolution needs no tf.pad.
 * Every gradient keeps tfjs's own formula for other backends (pure-JS cpu, wasm), so results
 * do not depend on whether the module is installed; tests compare both paths.
 * `I2P_NATIVE_KERNELS=0` leaves tfjs's gradients as they are.
 * @see bench/profile.bench.ts
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs';

const BACKEND = 'tensorflow';
/** Kernel names this module registers on the tensorflow backend. */
export const NATIVE_KERNELS = { reluGrad: 'I2pReluGrad', batchNormTrain: 'I2pFusedBatchNormTrain', batchNormGrad: 'I2pFusedBatchNormGrad' } as const;

/** One line for `i2p info` and the backend description. */
export const NATIVE_KERNELS_DESCRIPTION = 'native gradients: Relu (ReluGrad), Sum and Mean (Tile, no JavaScript arrays), Step (no JavaScript arrays), batch norm (FusedBatchNormV3 / FusedBatchNormGradV3), convolution gradients with explicit padding';

interface OpAttr { name: string; type: number; value: unknown }
interface NodeBackend {
  binding: Record<string, number>;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: TensorInfo[]): Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: TensorInfo[], n: number): Tensor[];
}

let installed = false, convWrapped = false;

/** The float32 type attributes and batch-norm attributes of TensorFlow's ops. */
function floatAttrs(be: NodeBackend, names: string[]): OpAttr[] {
  return names.map((name) => ({ name, type: be.binding.TF_ATTR_TYPE, value: be.binding.TF_FLOAT }));
}
function batchNormAttrs(be: NodeBackend, epsilon: number, forward: boolean): OpAttr[] {
  return [
    ...floatAttrs(be, ['T', 'U']),
    { name: 'epsilon', type: be.binding.TF_ATTR_FLOAT, value: epsilon },
    ...(forward ? [{ name: 'exponential_avg_factor', type: be.binding.TF_ATTR_FLOAT, value: 1 }] : []),
    { name: 'data_format', type: be.binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: be.binding.TF_ATTR_BOOL, value: true },
  ];
}

const KERNELS: KernelConfig[] = [
  { // ReluGrad(gradients, features) = gradients * (features > 0)
    kernelName: NATIVE_KERNELS.reluGrad, backendName: BACKEND,
    kernelFunc: ({ inputs, backend }) => {
      const be = backend as unknown as NodeBackend, i = inputs as Record<string, TensorInfo>;
      return be.executeSingleOutput('ReluGrad', floatAttrs(be, ['T']), [i.dy, i.x]);
    },
  },
  { // outputs y, batch mean, unbiased batch variance, mean and biased variance saved for the gradient
    kernelName: NATIVE_KERNELS.batchNormTrain, backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const be = backend as unknown as NodeBackend, i = inputs as Record<string, TensorInfo>;
      const empty = tf.tensor1d([], 'float32');
      const out = be.executeMultipleOutputs('FusedBatchNormV3', batchNormAttrs(be, (attrs as NamedAttrMap).epsilon as number, true), [i.x, i.scale, i.offset, empty, empty], 6);
      empty.dispose();
      out[5].dispose(); // reserve_space_3: empty on CPU, unused by the CPU gradient
      return out.slice(0, 5);
    },
  },
  { // outputs dx, dscale, doffset
    kernelName: NATIVE_KERNELS.batchNormGrad, backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const be = backend as unknown as NodeBackend, i = inputs as Record<string, TensorInfo>;
      const empty = tf.tensor1d([], 'float32');
      const out = be.executeMultipleOutputs('FusedBatchNormGradV3', batchNormAttrs(be, (attrs as NamedAttrMap).epsilon as number, false),
        [i.dy, i.x, i.scale, i.savedMean, i.savedVariance, empty], 5);
      empty.dispose();
      tf.dispose(out.slice(3));
      return out.slice(0, 3);
    },
  },
  { // Step: 1 where x > 0, alpha elsewhere, NaN where x is NaN (tfjs's semantics), without JavaScript arrays
    kernelName: 'Step', backendName: BACKEND,
    kernelFunc: ({ inputs, attrs }) => tf.tidy(() => {
      const x = inputs.x as Tensor;
      const alpha = (attrs as { alpha?: number }).alpha ?? 0;
      const stepped = tf.where(tf.greater(x, 0), tf.onesLike(x), tf.fill(x.shape, alpha, x.dtype));
      return tf.where(tf.isNaN(x), x, stepped);
    }),
  },
];

interface ConvBackpropAttrs { strides: number | [number, number]; pad: unknown; dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape?: number[]; filterShape?: number[]; dataFormat?: string }

/**
 * tfjs-node's Conv2DBackpropInput / Conv2DBackpropFilter accept only 'valid' and 'same'
 * padding, though TensorFlow's ops take explicit paddings as its forward Conv2D does. This
 * wrapper runs explicit (PyTorch-style symmetric) paddings on TensorFlow's op and hands every
 * other case to the kernel registered before it, so a convolution with padding p needs no
 * separate tf.pad (and no slice of its gradient) in training.
 */
function explicitPaddingBackprop(kernelName: 'Conv2DBackpropInput' | 'Conv2DBackpropFilter', previous: KernelConfig): KernelConfig {
  return {
    ...previous,
    kernelFunc: (args) => {
      const a = args.attrs as unknown as ConvBackpropAttrs;
      if (!Array.isArray(a.pad) || (a.dataFormat ?? 'NHWC') !== 'NHWC') return previous.kernelFunc(args);
      const be = args.backend as unknown as NodeBackend, i = args.inputs as Record<string, TensorInfo>;
      const inShape = (kernelName === 'Conv2DBackpropInput' ? a.inputShape : i.x.shape) as [number, number, number, number];
      const fShape = (kernelName === 'Conv2DBackpropInput' ? i.filter.shape : a.filterShape) as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(inShape, fShape, a.strides, 1, a.pad as unknown as 'valid', a.dimRoundingMode, false, 'channelsLast');
      const p = info.padInfo;
      const attrs: OpAttr[] = [
        ...floatAttrs(be, ['T']),
        { name: 'strides', type: be.binding.TF_ATTR_INT, value: [1, info.strideHeight, info.strideWidth, 1] },
        { name: 'padding', type: be.binding.TF_ATTR_STRING, value: 'EXPLICIT' },
        { name: 'explicit_paddings', type: be.binding.TF_ATTR_INT, value: [0, 0, p.top, p.bottom, p.left, p.right, 0, 0] },
        { name: 'data_format', type: be.binding.TF_ATTR_STRING, value: 'NHWC' },
        { name: 'use_cudnn_on_gpu', type: be.binding.TF_ATTR_BOOL, value: true },
        { name: 'dilations', type: be.binding.TF_ATTR_INT, value: [1, 1, 1, 1] },
      ];
      const sizes = tf.tensor1d(kernelName === 'Conv2DBackpropInput' ? inShape : fShape, 'int32');
      try {
        return be.executeSingleOutput(kernelName, attrs, kernelName === 'Conv2DBackpropInput' ? [sizes, i.filter, i.dy] : [i.x, sizes, i.dy]);
      } finally {
        sizes.dispose();
      }
    },
  };
}

/** True when the active backend differentiates convolutions with explicit padding (the wrappers below are installed). */
export function explicitPaddingGradients(): boolean {
  return convWrapped && tf.getBackend() === BACKEND;
}

/** True when `name` runs natively on the active backend. */
export function hasNativeKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** dy reshaped to x's rank with 1 on the reduced axes, then tiled to x's shape (divided by the reduced size for a mean). */
function tileBack(dy: Tensor, x: Tensor, attrs: NamedAttrMap, mean: boolean): Tensor {
  const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
  const shape = x.shape.slice(), reps = x.shape.map(() => 1);
  for (const a of axes) { shape[a] = 1; reps[a] = x.shape[a]; }
  const expanded = tf.reshape(dy, shape);
  return tf.tile(mean ? tf.div(expanded, axes.reduce((n, a) => n * x.shape[a], 1)) : expanded, reps);
}

const GRADIENTS: GradConfig[] = [
  {
    kernelName: 'Relu', inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved, d = dy as Tensor;
      return { x: () => (hasNativeKernel(NATIVE_KERNELS.reluGrad) ? tf.engine().runKernel(NATIVE_KERNELS.reluGrad, { dy: d, x }, {}) as Tensor : tf.mul(d, tf.cast(tf.step(x), 'float32'))) };
    },
  },
  { kernelName: 'Sum', inputsToSave: ['x'], gradFunc: (dy, saved, attrs) => ({ x: () => tileBack(dy as Tensor, saved[0], attrs, false) }) },
  { kernelName: 'Mean', inputsToSave: ['x'], gradFunc: (dy, saved, attrs) => ({ x: () => tileBack(dy as Tensor, saved[0], attrs, true) }) },
];

/**
 * Registers the kernels on the tensorflow backend and the gradients (idempotent).
 * @returns true when installed afterwards (false when no tensorflow backend is registered)
 */
export function installNativeKernels(): boolean {
  if (installed) return true;
  if (!tf.getKernel('Relu', BACKEND)) return false;
  for (const k of KERNELS) {
    if (tf.getKernel(k.kernelName, BACKEND)) tf.unregisterKernel(k.kernelName, BACKEND);
    tf.registerKernel(k);
  }
  for (const g of GRADIENTS) tf.registerGradient(g);
  for (const name of ['Conv2DBackpropInput', 'Conv2DBackpropFilter'] as const) {
    const previous = tf.getKernel(name, BACKEND);
    if (!previous) continue;
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel(explicitPaddingBackprop(name, previous));
    convWrapped = true;
  }
  installed = true;
  return true;
}
