import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../../src/core/tf.js';
import { backendInfo } from '../../src/core/backend.js';
import { batchNormTraining } from '../../src/nn/batch-norm.js';
import { checkGradient } from '../helpers/grad-check.js';

const maxAbs = (a: Tensor, b: Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('batchNormTraining', () => {
  it('hand arithmetic: two values 1 and 3 -> mean 2, biased variance 1, y = gamma (+-1 / sqrt(1 + eps)) + beta', () => {
    const eps = 1e-3;
    const r = batchNormTraining(tf.tensor4d([1, 3], [2, 1, 1, 1]), tf.tensor1d([2]), tf.tensor1d([0.5]), eps);
    const s = 2 / Math.sqrt(1 + eps);
    assert.deepEqual(Array.from(r.mean.dataSync()), [2]);
    assert.deepEqual(Array.from(r.variance.dataSync()), [1]);
    const y = r.y.dataSync();
    assert.ok(Math.abs(y[0] - (0.5 - s)) < 1e-6 && Math.abs(y[1] - (0.5 + s)) < 1e-6, `y = ${Array.from(y)}`);
    tf.dispose([r.y, r.mean, r.variance]);
  });

  for (const shape of [[1, 3, 5, 4], [4, 6, 7, 8]] as [number, number, number, number][]) {
    it(`native and composite agree in value and gradient (x, gamma, beta), shape [${shape}]`, { skip: backendInfo().kind === 'cpu' && 'one path on the pure-JS backend' }, () => {
      const before = tf.memory().numTensors;
      const C = shape[3];
      const x = tf.randomNormal(shape, 1, 3, 'float32', 1) as Tensor4D, w = tf.randomNormal(shape, 0, 1, 'float32', 2);
      const gamma = tf.randomUniform([C], 0.5, 2, 'float32', 3) as Tensor1D, beta = tf.randomNormal([C], 0, 1, 'float32', 4) as Tensor1D;
      const run = (composite: boolean) => {
        const r = batchNormTraining(x, gamma, beta, 1e-5, composite);
        const grads = tf.grads((a: Tensor, g: Tensor, b: Tensor) => tf.tidy(() => {
          const q = batchNormTraining(a as Tensor4D, g as Tensor1D, b as Tensor1D, 1e-5, composite);
          tf.dispose([q.mean, q.variance]);
          return tf.sum(tf.mul(q.y, w));
        }))([x, gamma, beta]);
        return [r.y, r.mean, r.variance, ...grads];
      };
      const nat = run(false), comp = run(true);
      const names = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];
      nat.forEach((t, i) => {
        const scale = tf.tidy(() => tf.max(tf.abs(comp[i])).dataSync()[0]);
        assert.ok(maxAbs(t, comp[i]) <= 2e-5 * Math.max(1, scale), `${names[i]}: max |native - composite| = ${maxAbs(t, comp[i])} (scale ${scale})`);
      });
      tf.dispose([...nat, ...comp, x, w, gamma, beta]);
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    });
  }

  it('gradient in x matches finite differences (the op the library runs)', () => {
    const x0 = Float32Array.from({ length: 2 * 3 * 2 * 3 }, (_, i) => Math.sin(1.7 * i) * 2 + (i % 3));
    const gamma = tf.tensor1d([1.5, -0.7, 2]), beta = tf.tensor1d([0.1, 0.2, -0.3]);
    const w = tf.tensor4d(Float32Array.from({ length: 36 }, (_, i) => Math.cos(0.9 * i)), [2, 3, 2, 3]);
    const r = checkGradient((t) => {
      const q = batchNormTraining(t as Tensor4D, gamma, beta, 1e-5);
      tf.dispose([q.mean, q.variance]);
      return tf.sum(tf.mul(q.y, w));
    }, x0, [2, 3, 2, 3], { maxEntries: 36 });
    assert.ok(r.maxAbsErr < 2e-3, `max abs error ${r.maxAbsErr}`);
    tf.dispose([gamma, beta, w]);
  });

  it('rejects a gamma of the wrong size and a non-positive epsilon', () => {
    const x = tf.zeros([1, 2, 2, 3]) as Tensor4D;
    assert.throws(() => batchNormTraining(x, tf.ones([4]) as Tensor1D, tf.zeros([3]) as Tensor1D, 1e-5), /gamma/);
    assert.throws(() => batchNormTraining(x, tf.ones([3]) as Tensor1D, tf.zeros([3]) as Tensor1D, 0), /epsilon must be > 0/);
    x.dispose();
  });
});
