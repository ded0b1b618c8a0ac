import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor2D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { matrixToRotation6dTf, rotation6dToMatrixTf } from '../../src/geometry/rotation-6d-tf.js';
import { matrixToRotation6d, rotation6dToMatrix } from '../../src/geometry/rotation-6d.js';
import { assertClose, randomRotation } from '../helpers/geometry.js';

function random6d(seed: number, B: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: B * 6 }, () => rng.normal());
}

describe('rotation6dToMatrixTf', () => {
  for (const B of [1, 3, 17]) {
    it(`agrees with the float64 typed-array version, batch ${B}`, () => {
      const x = random6d(40 + B, B);
      const R = tf.tidy(() => rotation6dToMatrixTf(tf.tensor2d(x, [B, 6])));
      assert.deepEqual(R.shape, [B, 3, 3]);
      const got = R.dataSync();
      R.dispose();
      for (let b = 0; b < B; b++) {
        assertClose(got.subarray(9 * b, 9 * b + 9), rotation6dToMatrix(x.subarray(6 * b, 6 * b + 6)), 2e-6, `batch ${b}`);
      }
    });
  }
  it('round-trips with matrixToRotation6dTf', () => {
    const rng = createRng(44);
    const Rs = new Float32Array(5 * 9);
    for (let b = 0; b < 5; b++) Rs.set(randomRotation(rng), 9 * b);
    const before = tf.memory().numTensors;
    const [six, back] = tf.tidy(() => {
      const s = matrixToRotation6dTf(tf.tensor3d(Rs, [5, 3, 3]));
      return [s, rotation6dToMatrixTf(s as Tensor2D)];
    });
    for (let b = 0; b < 5; b++) assertClose(six.dataSync().subarray(6 * b, 6 * b + 6), matrixToRotation6d(Rs.subarray(9 * b, 9 * b + 9)), 0);
    assertClose(back.dataSync(), Rs, 2e-6);
    tf.dispose([six, back]);
    assert.equal(tf.memory().numTensors, before);
  });
  it('matches finite differences of the float64 version in its gradient', () => {
    // loss(x) = sum_ij W_ij R(x)_ij; dloss/dx by tf.grad (float32) vs central differences (float64)
    const B = 4;
    const x = random6d(45, B);
    const rng = createRng(46);
    const W = Float64Array.from({ length: 9 }, () => rng.normal());
    const loss64 = (v: ArrayLike<number>): number => rotation6dToMatrix(v).reduce((s, r, i) => s + r * W[i], 0);
    const before = tf.memory().numTensors;
    const g = tf.tidy(() => {
      const Wt = tf.tensor3d(Float32Array.from(W), [1, 3, 3]);
      return tf.grad((xt: Tensor) => tf.sum(tf.mul(rotation6dToMatrixTf(xt as Tensor2D), Wt)))(tf.tensor2d(x, [B, 6]));
    });
    const got = g.dataSync();
    g.dispose();
    assert.equal(tf.memory().numTensors, before);
    const h = 1e-6;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < 6; k++) {
        const xp = Float64Array.from(x.subarray(6 * b, 6 * b + 6)), xm = Float64Array.from(xp);
        xp[k] += h; xm[k] -= h;
        const fd = (loss64(xp) - loss64(xm)) / (2 * h);
        assert.ok(Math.abs(got[6 * b + k] - fd) < 1e-4 * Math.max(1, Math.abs(fd)), `b ${b} k ${k}: tf ${got[6 * b + k]} vs fd ${fd}`);
      }
    }
  });
  it('stays finite (value and gradient) on an all-zero input', () => {
    const g = tf.tidy(() => tf.grad((xt: Tensor) => tf.sum(rotation6dToMatrixTf(xt as Tensor2D)))(tf.zeros([2, 6])));
    assert.ok(Array.from(g.dataSync()).every(Number.isFinite));
    g.dispose();
  });
  it('leaks no tensors and checks its input shape', () => {
    const x = tf.tensor2d(random6d(47, 2), [2, 6]);
    const before = tf.memory().numTensors;
    rotation6dToMatrixTf(x).dispose();
    assert.equal(tf.memory().numTensors, before);
    assert.throws(() => rotation6dToMatrixTf(tf.zeros([2, 5]) as Tensor2D), /rotation6dToMatrixTf: x: expected shape \[\*, 6\], got \[2, 5\]/);
    x.dispose();
  });
});
