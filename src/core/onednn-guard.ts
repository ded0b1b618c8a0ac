/**
 * A guard against a native crash in TensorFlow's oneDNN CPU kernels.
 *
 * Found (bench/onednn-sweep.bench.ts, TensorFlow 2.21 through tfjs-node on a 2-core AMD EPYC
 * with AVX-512, AVX512_BF16 and AVX_VNNI): the filter gradient (`Conv2DBackpropFilter`) of a
 * 1x1 convolution with stride 2 or 4 and 2 to 12 input channels corrupts the heap and kills
 * the process (SIGSEGV, or SIGABRT with "double free or corruption" / "free(): invalid next
 * size"). Forward passes, input gradients, larger kernels, stride 1, 1 or >= 16 input channels
 * and max pooling did not crash. Heap corruption need not crash every time, so the guard
 * covers every 1x1 filter gradient with a stride above 1, whatever the channel count.
 *
 * The fix: a 1x1 convolution with stride s reads only the pixels (s i, s j), so its filter
 * gradient is a plain matrix product: with xs = x[:, ::s, ::s, :] flattened to [N, inC] and dy
 * flattened to [N, outC] (N = B outH outW), dL/dW[0, 0] = xs^T dy (no padding is ever added
 * for a 1x1 kernel, 'same' or 'valid'). The guard re-registers the tensorflow backend's
 * `Conv2DBackpropFilter` kernel so that these cases take that path (the strided pixels are
 * picked by a reshape and a slice when H and W divide by the stride, by a strided slice
 * otherwise); every other case runs the original kernel unchanged, so oneDNN stays on
 * (turning it off with TF_ENABLE_ONEDNN_OPTS=0 also avoids the crash, but a 3x3 convolution's
 * training step then took 257 ms instead of 42 ms here). On a shape that does not crash
 * (64 -> 128 channels, 1x1 stride 2) the matrix product took 1.5 ms against TensorFlow's
 * 1.1 ms, and the whole training step of that
 * convolution the same time within noise (bench/onednn-sweep.bench.ts prints both): the guard
 * covers all channel counts rather than trusting that heap corruption is absent where it did
 * not crash.
 * @see README.md, "Native crash on recent CPUs"
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs';

const KERNEL = 'Conv2DBackpropFilter';
const BACKEND = 'tensorflow';

/** One line per installed guard, for `i2p info` and the backend description. */
export const ONEDNN_GUARD_DESCRIPTION = 'Conv2DBackpropFilter: a 1x1 filter with stride > 1 is computed as a matrix product of the strided input and dy (oneDNN heap corruption on AVX-512 CPUs)';

let original: KernelConfig | undefined;

/** Filter shape [kh, kw, inC, outC] and strides [sh, sw] or s; dilations must be 1. */
export function needsFilterGradGuard(filterShape: readonly number[], strides: number | readonly number[], dilations: number | readonly number[] = 1): boolean {
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : [strides[0], strides[1] ?? strides[0]];
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : [dilations[0], dilations[1] ?? dilations[0]];
  return filterShape[0] === 1 && filterShape[1] === 1 && (sh > 1 || sw > 1) && dh === 1 && dw === 1;
}

interface FilterGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | unknown;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function guardedKernel(orig: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as FilterGradAttrs;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    // NCHW convolutions do not run on TensorFlow's CPU kernels at all ("strides in the batch and depth dimensions")
    if (!needsFilterGradGuard(attrs.filterShape, attrs.strides) || (attrs.pad !== 'valid' && attrs.pad !== 'same') || (attrs.dataFormat ?? 'NHWC') !== 'NHWC') return orig(args);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides,
      1, attrs.pad as 'valid' | 'same', attrs.dimRoundingMode, false, 'channelsLast');
    const [sh, sw, oh, ow] = [info.strideHeight, info.strideWidth, info.outHeight, info.outWidth];
    const [b, h, w, c] = x.shape as [number, number, number, number];
    const cout = attrs.filterShape[3];
    // x and dy are the engine's Tensors (kernels receive the op's input tensors)
    return tf.tidy(() => {
      const xs = h % sh === 0 && w % sw === 0
        ? tf.slice(tf.reshape(x as Tensor, [b, oh, sh, ow, sw * c]), [0, 0, 0, 0, 0], [b, oh, 1, ow, c]) // [B, outH, 1, outW, C]
        : tf.stridedSlice(x as Tensor, [0, 0, 0, 0], [b, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c], [1, sh, sw, 1]); // [B, outH, outW, C]
      const g = tf.matMul(tf.reshape(xs, [b * oh * ow, c]), tf.reshape(dy as Tensor, [b * oh * ow, cout]), true, false); // [C, outC]
      return tf.reshape(g, attrs.filterShape); // [1, 1, C, outC]
    });
  };
}

/**
 * Installs the guard on the `tensorflow` backend (idempotent). Call after tfjs-node (or
 * tfjs-node-gpu running on CPU) has registered its kernels.
 * @returns true when the guard is installed afterwards
 */
export function installOnednnGuard(): boolean {
  if (original) return true;
  const kernel = tf.getKernel(KERNEL, BACKEND);
  if (!kernel) return false;
  original = kernel;
  tf.unregisterKernel(KERNEL, BACKEND);
  tf.registerKernel({ ...kernel, kernelFunc: guardedKernel(kernel.kernelFunc) });
  return true;
}

/** Restores TensorFlow's own kernel (benchmarks compare both paths; never needed otherwise). */
export function uninstallOnednnGuard(): void {
  if (!original) return;
  tf.unregisterKernel(KERNEL, BACKEND);
  tf.registerKernel(original);
  original = undefined;
}

/** True while the guard is installed. */
export function onednnGuardInstalled(): boolean {
  return original !== undefined;
}
