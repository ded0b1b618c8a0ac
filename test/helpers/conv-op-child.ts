/**
 * One convolution or pooling case, run in a child process so that a native crash
 * (SIGSEGV / SIGABRT inside TensorFlow's oneDNN kernels) kills only this process.
 * Used by test/core/onednn-guard.test.ts and bench/onednn-sweep.bench.ts.
 *
 *   node --import tsx test/helpers/conv-op-child.ts '<json ConvCase>'
 *
 * `raw: true` runs on @tensorflow/tfjs-node as installed (no library guard);
 * otherwise tfjs comes from the library's backend loader (src/core/tf.ts), guard included.
 * Prints one JSON line: { ok: true, sum, sumAbs, shape, values (when <= 4096), backend, guarded } and exits 0.
 */
import * as tfjs from '@tensorflow/tfjs';

/** The case: op, kernel size, stride, channels, input size, padding. */
export interface ConvCase {
  /** conv forward, conv gradient w.r.t. the input, conv gradient w.r.t. the filter, max-pool forward / gradient. */
  op: 'fwd' | 'dx' | 'dw' | 'pool' | 'pool-dx';
  k: number;
  stride: number;
  cin: number;
  cout: number;
  batch?: number;
  h?: number;
  w?: number;
  pad?: 'valid' | 'same';
  /** Skip the library (and its guard): tfjs-node as installed. */
  raw?: boolean;
}

/** Runs the case with `tf` (already on the tensorflow backend). Values are seeded. */
export function runCase(tf: typeof tfjs, c: ConvCase): { sum: number; sumAbs: number; shape: number[]; values?: number[] } {
  const [B, H, W, pad] = [c.batch ?? 2, c.h ?? 16, c.w ?? 32, c.pad ?? 'valid'];
  return tf.tidy(() => {
    const x = tf.randomNormal([B, H, W, c.cin], 0, 1, 'float32', 1) as tfjs.Tensor4D;
    const f = tf.randomNormal([c.k, c.k, c.cin, c.cout], 0, 1, 'float32', 2) as tfjs.Tensor4D;
    const conv = (a: tfjs.Tensor4D, b: tfjs.Tensor4D) => tf.conv2d(a, b, c.stride, pad);
    const pool = (a: tfjs.Tensor4D) => tf.maxPool(a, c.k, c.stride, pad);
    let y: tfjs.Tensor;
    switch (c.op) {
      case 'fwd': y = conv(x, f); break;
      case 'dx': y = tf.grad((a: tfjs.Tensor) => conv(a as tfjs.Tensor4D, f).square().sum())(x); break;
      case 'dw': y = tf.grad((b: tfjs.Tensor) => conv(x, b as tfjs.Tensor4D).square().sum())(f); break;
      case 'pool': y = pool(x); break;
      case 'pool-dx': y = tf.grad((a: tfjs.Tensor) => pool(a as tfjs.Tensor4D).square().sum())(x); break;
      default: throw new Error(`conv-op-child: unknown op '${String(c.op)}'; expected fwd, dx, dw, pool or pool-dx`);
    }
    const values = y.size <= 4096 ? Array.from(y.dataSync()) : undefined; // small results in full (filter gradients)
    return { sum: y.sum().dataSync()[0], sumAbs: y.abs().sum().dataSync()[0], shape: y.shape, values };
  });
}

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2] ?? '{}') as ConvCase;
  let tf: typeof tfjs;
  let guarded: string[] = [];
  if (c.raw) {
    await import('@tensorflow/tfjs-node');
    tf = tfjs;
    await tf.setBackend('tensorflow');
  } else {
    const core = await import('../../src/core/tf.js');
    const be = await import('../../src/core/backend.js');
    tf = core.tf;
    guarded = be.backendInfo().guards;
  }
  const r = runCase(tf, c);
  console.log(JSON.stringify({ ok: true, ...r, backend: tf.getBackend(), guarded }));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
