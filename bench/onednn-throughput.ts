/**
 * Child of bench/onednn-sweep.bench.ts: times the guarded and unguarded paths in one process
 * (TF_ENABLE_ONEDNN_OPTS set by the parent) and prints one JSON array. Two kinds of row:
 * "filter gradient" runs the Conv2DBackpropFilter kernel alone (what the guard replaces);
 * "training step" runs forward + both gradients of the convolution. TensorFlow's own filter
 * gradient of a 1x1 strided convolution is timed only where it does not crash: at 64 input
 * channels with oneDNN on, at every shape with oneDNN off. The two paths of a row are timed
 * in alternation (one call of each per round), so a load change hits both alike.
 */
import { tf, type Tensor, type Tensor4D } from '../src/core/tf.js';
import { installOnednnGuard, uninstallOnednnGuard } from '../src/core/onednn-guard.js';
import { median } from './timing.js';

interface Row { name: string; path: string; ms: number; gflops: number }
const onednn = process.env.TF_ENABLE_ONEDNN_OPTS !== '0';
const rows: Row[] = [];
type PathName = 'guard' | 'tensorflow';
const label = (p: PathName) => (p === 'guard' ? 'library guard (matrix product)' : "TensorFlow's kernel");

function use(p: PathName): void { if (p === 'guard') installOnednnGuard(); else uninstallOnednnGuard(); }

/** Median ms of each path, timed in alternation after one warm-up call each. */
function alternate(paths: PathName[], fn: () => void, rounds = 15): number[] {
  const ts: number[][] = paths.map(() => []);
  for (let r = -1; r < rounds; r++) {
    paths.forEach((p, i) => {
      use(p);
      const t0 = performance.now();
      fn();
      if (r >= 0) ts[i].push(performance.now() - t0);
    });
  }
  installOnednnGuard();
  return ts.map(median);
}

function shapes(shape: [number, number, number, number], k: number, stride: number): [number, number] {
  return [Math.floor((shape[1] - k) / stride) + 1, Math.floor((shape[2] - k) / stride) + 1];
}

function time(name: string, shape: [number, number, number, number], k: number, cout: number, stride: number, paths: PathName[]): void {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 1) as Tensor4D;
  const w = tf.randomNormal([k, k, shape[3], cout], 0, 1, 'float32', 2) as Tensor4D;
  const [oh, ow] = shapes(shape, k, stride);
  const dy = tf.randomNormal([shape[0], oh, ow, cout], 0, 1, 'float32', 3) as Tensor4D;
  const flopFwd = 2 * shape[0] * oh * ow * k * k * shape[3] * cout;
  const dw = () => {
    const g = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: stride, pad: 'valid', dataFormat: 'NHWC', filterShape: [k, k, shape[3], cout] } as never) as Tensor;
    g.dataSync();
    g.dispose();
  };
  const step = () => {
    const [gx, gw] = tf.grads((a, b) => tf.conv2d(a as Tensor4D, b as Tensor4D, stride, 'valid').mul(dy).sum())([x, w]);
    gw.dataSync();
    tf.dispose([gx, gw]);
  };
  alternate(paths, dw).forEach((ms, i) => rows.push({ name: `${name}, filter gradient`, path: label(paths[i]), ms, gflops: flopFwd / ms / 1e6 }));
  alternate(paths, step).forEach((ms, i) => rows.push({ name: `${name}, training step`, path: label(paths[i]), ms, gflops: 3 * flopFwd / ms / 1e6 }));
  tf.dispose([x, w, dy]);
}

// ResNet downsample shortcut (layer2 of the laptop encoder): 64 -> 128, 1x1 stride 2; does not crash
time('1x1 s2, [4, 32, 200, 64] -> 128', [4, 32, 200, 64], 1, 128, 2, ['guard', 'tensorflow']);
// the crashing shapes: few input channels
time('1x1 s2, [4, 64, 400, 3] -> 64', [4, 64, 400, 3], 1, 64, 2, onednn ? ['guard'] : ['guard', 'tensorflow']);
time('1x1 s2, [4, 64, 400, 8] -> 64', [4, 64, 400, 8], 1, 64, 2, onednn ? ['guard'] : ['guard', 'tensorflow']);
// a 3x3 convolution (untouched by the guard): what oneDNN on/off costs everywhere else
time('3x3 s1, [4, 32, 200, 64] -> 64', [4, 32, 200, 64], 3, 64, 1, ['tensorflow']);
console.log(JSON.stringify(rows));
