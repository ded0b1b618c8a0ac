import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../src/core/tf.js';
import { backendInfo } from '../../src/core/backend.js';
import { hasNativeKernel, NATIVE_KERNELS, NATIVE_KERNELS_DESCRIPTION } from '../../src/core/native-kernels.js';
import { createRng } from '../../src/core/rng.js';

const native = backendInfo().kind !== 'cpu';
const skip = native ? false : 'needs the native tensorflow backend (the pure-JS backend keeps tfjs gradients)';

/** Seeded values in [-2, 2] with exact zeros sprinkled in (the ReLU kink). */
function values(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : Math.fround(rng.uniform(-2, 2))));
}

describe('native kernels: installation', () => {
  it('is listed by backendInfo and registers its kernels', { skip }, () => {
    assert.ok(backendInfo().guards.includes(NATIVE_KERNELS_DESCRIPTION));
    for (const k of Object.values(NATIVE_KERNELS)) assert.ok(hasNativeKernel(k), k);
  });
});

describe('native kernels: gradients equal the hand-computed ones, exactly', () => {
  it('Relu: dL/dx = w where x > 0, else 0 (ReluGrad)', () => {
    const x = values(60, 1), w = values(60, 2);
    const before = tf.memory().numTensors;
    const g = tf.tidy(() => tf.grad((t: Tensor) => tf.sum(tf.mul(tf.relu(t), tf.tensor(w, [3, 4, 5]))))(tf.tensor(x, [3, 4, 5])));
    const got = g.dataSync();
    g.dispose();
    for (let i = 0; i < 60; i++) assert.ok(got[i] === (x[i] > 0 ? w[i] : 0), `entry ${i}: x = ${x[i]}, got ${got[i]}`); // -0 === 0
    assert.equal(tf.memory().numTensors, before);
  });
  for (const [axis, keepDims] of [[[1], false], [[0, 2], false], [[2], true], [[0, 1, 2], false]] as [number[], boolean][]) {
    it(`Sum and Mean over axes [${axis}] (keepDims ${keepDims}): dy broadcast back, / n for the mean`, () => {
      const shape = [3, 4, 5], x = values(60, 3);
      const outShape = shape.map((s, i) => (axis.includes(i) ? 1 : s));
      const w = values(outShape.reduce((a, b) => a * b, 1), 4);
      const n = axis.reduce((a, i) => a * shape[i], 1);
      for (const [op, scale] of [[tf.sum, 1], [tf.mean, n]] as const) {
        const g = tf.tidy(() => tf.grad((t: Tensor) => tf.sum(tf.mul(op(t, axis, keepDims), tf.reshape(tf.tensor(w), keepDims ? outShape : shape.filter((_, i) => !axis.includes(i))))))(tf.tensor(x, shape)));
        const got = g.dataSync();
        g.dispose();
        for (let i = 0; i < 60; i++) {
          const c = [Math.floor(i / 20), Math.floor(i / 5) % 4, i % 5].map((v, d) => (axis.includes(d) ? 0 : v));
          const expected = Math.fround(w[(c[0] * outShape[1] + c[1]) * outShape[2] + c[2]] / scale);
          assert.equal(got[i], expected, `${op === tf.sum ? 'sum' : 'mean'} entry ${i}`);
        }
      }
    });
  }
  it('Step: 1 above 0, alpha at and below 0, NaN kept', () => {
    const y = tf.step(tf.tensor1d([-1, 0, 2, NaN, 1e-30]), 0.25);
    assert.deepEqual(Array.from(y.dataSync()), [0.25, 0.25, 1, NaN, 1]);
    y.dispose();
  });
});

describe('native kernels: convolution gradients with explicit padding', () => {
  for (const [k, s, p, h, w] of [[3, 2, 1, 8, 10], [7, 2, 3, 9, 12], [3, 1, 2, 6, 6]]) {
    it(`${k}x${k} stride ${s} pad ${p} on ${h}x${w}: dx and dW equal those of tf.pad + 'valid'`, { skip }, () => {
      const before = tf.memory().numTensors;
      const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 5), f = tf.randomNormal([k, k, 3, 4], 0, 1, 'float32', 6);
      const pads: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [p, p], [p, p], [0, 0]];
      const out = (n: number) => Math.floor((n + 2 * p - k) / s) + 1;
      const wOut = tf.randomNormal([2, out(h), out(w), 4], 0, 1, 'float32', 7);
      const loss = (explicit: boolean) => (a: Tensor, b: Tensor) => tf.sum(tf.mul(explicit ? tf.conv2d(a as never, b as never, s, pads) : tf.conv2d(tf.pad(a, pads) as never, b as never, s, 'valid'), wOut));
      const [dxE, dfE] = tf.grads(loss(true))([x, f]), [dxP, dfP] = tf.grads(loss(false))([x, f]);
      for (const [a, b, name] of [[dxE, dxP, 'dx'], [dfE, dfP, 'dW']] as const) {
        const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]), m = tf.tidy(() => tf.max(tf.abs(b)).dataSync()[0]);
        assert.ok(d <= 1e-5 * Math.max(1, m), `${name}: max difference ${d} (scale ${m})`);
      }
      tf.dispose([x, f, wOut, dxE, dfE, dxP, dfP]);
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    });
  }
});
