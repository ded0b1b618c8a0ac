/**
 * Child of bench/onednn-sweep.bench.ts: times the guarded and unguarded convolution paths in
 * one process (TF_ENABLE_ONEDNN_OPTS set by the parent) and prints one JSON array.
 * TensorFlow's own 1x1 strided filter gradient is timed only where it does not crash: at
 * 64 input channels with oneDNN on, at every shape with oneDNN off.
 */
import { tf, type Tensor4D } from '../src/core/tf.js';
import { installOnednnGuard, uninstallOnednnGuard } from '../src/core/onednn-guard.js';
import { medianMs } from './timing.js';

interface Row { name: string; path: string; ms: number; gflops: number }
const onednn = process.env.TF_ENABLE_ONEDNN_OPTS !== '0';
const rows: Row[] = [];

/** Forward + both gradients of conv2d(x, w, stride, pad), as one training step would run them. */
function step(x: Tensor4D, w: Tensor4D, stride: number, pad: 'valid' | 'same'): void {
  const g = tf.grads((a, b) => tf.conv2d(a as Tensor4D, b as Tensor4D, stride, pad).square().sum());
  const [dx, dw] = g([x, w]);
  dw.dataSync();
  tf.dispose([dx, dw]);
}

function time(name: string, shape: [number, number, number, number], k: number, cout: number, stride: number, pad: 'valid' | 'same', paths: Array<'guard' | 'tensorflow'>): void {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 1) as Tensor4D;
  const w = tf.randomNormal([k, k, shape[3], cout], 0, 1, 'float32', 2) as Tensor4D;
  const [oh, ow] = pad === 'same' ? [Math.ceil(shape[1] / stride), Math.ceil(shape[2] / stride)]
    : [Math.floor((shape[1] - k) / stride) + 1, Math.floor((shape[2] - k) / stride) + 1];
  const flop = 3 * 2 * shape[0] * oh * ow * k * k * shape[3] * cout;
  for (const p of paths) {
    if (p === 'guard') installOnednnGuard(); else uninstallOnednnGuard();
    const ms = medianMs(() => step(x, w, stride, pad), 15, 3);
    rows.push({ name, path: p === 'guard' ? 'library guard (matrix product)' : "TensorFlow's kernel", ms, gflops: flop / ms / 1e6 });
  }
  tf.dispose([x, w]);
}

// ResNet downsample shortcut (layer2 of the laptop encoder): 64 -> 128, 1x1 stride 2; does not crash
time('1x1 s2, [4, 32, 200, 64] -> 128', [4, 32, 200, 64], 1, 128, 2, 'valid', ['guard', 'tensorflow']);
// the crashing shapes: few input channels
time('1x1 s2, [4, 64, 400, 3] -> 64', [4, 64, 400, 3], 1, 64, 2, 'valid', onednn ? ['guard'] : ['guard', 'tensorflow']);
time('1x1 s2, [4, 64, 400, 8] -> 64', [4, 64, 400, 8], 1, 64, 2, 'valid', onednn ? ['guard'] : ['guard', 'tensorflow']);
// a 3x3 convolution (untouched by the guard): what oneDNN on/off costs everywhere else
time('3x3 s1, [4, 32, 200, 64] -> 64', [4, 32, 200, 64], 3, 64, 1, 'same', ['tensorflow']);
console.log(JSON.stringify(rows));
