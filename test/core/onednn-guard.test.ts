import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, type Tensor4D } from '../../src/core/tf.js';
import { backendInfo } from '../../src/core/backend.js';
import { installOnednnGuard, needsFilterGradGuard, ONEDNN_GUARD_DESCRIPTION, onednnGuardInstalled, uninstallOnednnGuard } from '../../src/core/onednn-guard.js';
import type { ConvCase } from '../helpers/conv-op-child.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const child = path.join(root, 'test', 'helpers', 'conv-op-child.ts');
const native = backendInfo().name === 'tensorflow' && !backendInfo().gpu;

/** Runs one case in a child process; a native crash becomes a readable assertion failure. */
function runInChild(c: ConvCase): { values: number[]; shape: number[]; guarded: string[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, JSON.stringify(c)], {
    cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  const why = (r.stderr ?? '').trim().split('\n').filter((l) => !/^(WARNING: All log messages|I\d{4} )/.test(l)).slice(-3).join(' | ');
  assert.ok(r.status === 0, `${JSON.stringify(c)}: the child process died (${r.signal ?? `exit ${r.status}`}): ${why}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/**
 * The filter gradient of sum(conv2d(x, f, s)^2) for a 1x1 filter, by hand in float64:
 * y[b,i,j,o] = sum_c x[b,si,sj,c] f[c,o]; dL/df[c,o] = sum_{b,i,j} 2 y[b,i,j,o] x[b,si,sj,c].
 */
function referenceFilterGrad(c: Required<Pick<ConvCase, 'stride' | 'cin' | 'cout'>> & { batch: number; h: number; w: number; pad: 'valid' | 'same' }): number[] {
  const x = tf.randomNormal([c.batch, c.h, c.w, c.cin], 0, 1, 'float32', 1).dataSync(); // same seeds as the child
  const f = tf.randomNormal([1, 1, c.cin, c.cout], 0, 1, 'float32', 2).dataSync();
  const [oh, ow] = c.pad === 'same' ? [Math.ceil(c.h / c.stride), Math.ceil(c.w / c.stride)]
    : [Math.floor((c.h - 1) / c.stride) + 1, Math.floor((c.w - 1) / c.stride) + 1];
  const g = new Float64Array(c.cin * c.cout);
  for (let b = 0; b < c.batch; b++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    const px = ((b * c.h + i * c.stride) * c.w + j * c.stride) * c.cin;
    for (let o = 0; o < c.cout; o++) {
      let y = 0;
      for (let ci = 0; ci < c.cin; ci++) y += x[px + ci] * f[ci * c.cout + o];
      for (let ci = 0; ci < c.cin; ci++) g[ci * c.cout + o] += 2 * y * x[px + ci];
    }
  }
  return Array.from(g);
}

function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-4 * scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]} (scale ${scale})`);
  }
}

test('needsFilterGradGuard: 1x1 filters with a stride above 1 and no dilation, nothing else', () => {
  assert.equal(needsFilterGradGuard([1, 1, 3, 8], 2), true);
  assert.equal(needsFilterGradGuard([1, 1, 64, 128], [2, 2]), true);
  assert.equal(needsFilterGradGuard([1, 1, 3, 8], [1, 4]), true);
  assert.equal(needsFilterGradGuard([1, 1, 3, 8], 1), false);
  assert.equal(needsFilterGradGuard([3, 3, 3, 8], 2), false);
  assert.equal(needsFilterGradGuard([1, 3, 3, 8], 2), false);
  assert.equal(needsFilterGradGuard([1, 1, 3, 8], 2, 2), false);
});

// The shapes that crashed TensorFlow 2.21's oneDNN kernel on an AVX-512 EPYC (bench/onednn-sweep.bench.ts):
// each runs in its own process, so a regression fails this test instead of killing the runner.
const CRASHED: Array<ConvCase & { batch: number; h: number; w: number; pad: 'valid' | 'same' }> = [
  { op: 'dw', k: 1, stride: 2, cin: 3, cout: 8, batch: 2, h: 16, w: 32, pad: 'valid' },
  { op: 'dw', k: 1, stride: 2, cin: 8, cout: 8, batch: 2, h: 16, w: 32, pad: 'valid' },
  { op: 'dw', k: 1, stride: 2, cin: 3, cout: 64, batch: 2, h: 16, w: 32, pad: 'valid' },
  { op: 'dw', k: 1, stride: 2, cin: 8, cout: 8, batch: 2, h: 16, w: 32, pad: 'same' },
  { op: 'dw', k: 1, stride: 4, cin: 3, cout: 8, batch: 2, h: 16, w: 32, pad: 'valid' },
  { op: 'dw', k: 1, stride: 2, cin: 4, cout: 8, batch: 2, h: 15, w: 33, pad: 'same' },
];

for (const c of CRASHED) {
  test(`1x1 stride-${c.stride} filter gradient, ${c.cin} -> ${c.cout} channels, ${c.pad} ${c.h}x${c.w}: no crash, equal to the hand-computed gradient`, { skip: native ? false : 'needs the native tensorflow backend on CPU' }, () => {
    const r = runInChild(c);
    assert.deepEqual(r.shape, [1, 1, c.cin, c.cout]);
    assert.ok(r.guarded.includes(ONEDNN_GUARD_DESCRIPTION), 'the backend loader installed the guard');
    assertClose(r.values, referenceFilterGrad(c), 'dL/df');
  });
}

test('the guard only reroutes: TensorFlow\'s own kernel gives the same gradient where it does not crash (16 channels), and other shapes run it unchanged', { skip: native ? false : 'needs the native tensorflow backend on CPU' }, () => {
  assert.equal(onednnGuardInstalled(), true);
  const grads = () => tf.tidy(() => {
    const x = tf.randomNormal([2, 12, 20, 16], 0, 1, 'float32', 3) as Tensor4D;
    const f1 = tf.randomNormal([1, 1, 16, 8], 0, 1, 'float32', 4) as Tensor4D;
    const f3 = tf.randomNormal([3, 3, 16, 8], 0, 1, 'float32', 5) as Tensor4D;
    const g = (f: Tensor4D, s: number) => Array.from(tf.grad((b) => tf.conv2d(x, b as Tensor4D, s, 'same').square().sum())(f).dataSync());
    return { s2: g(f1, 2), s1: g(f1, 1), k3: g(f3, 2) };
  });
  const guarded = grads();
  const before = tf.memory().numTensors;
  uninstallOnednnGuard();
  try {
    const plain = grads();
    assertClose(guarded.s2, plain.s2, '1x1 s2');
    assert.deepEqual(guarded.s1, plain.s1, '1x1 s1 runs the same kernel');
    assert.deepEqual(guarded.k3, plain.k3, '3x3 s2 runs the same kernel');
  } finally {
    installOnednnGuard();
  }
  assert.equal(tf.memory().numTensors, before, 'the guard disposes the sliced input');
});
