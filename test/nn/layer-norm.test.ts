import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../src/core/tf.js';
import { layerNorm } from '../../src/nn/layer-norm.js';
import { checkGradient } from '../helpers/grad-check.js';

const maxAbs = (a: Tensor, b: Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('layerNorm (closed-form gradient)', () => {
  it('hand arithmetic: the row [1, 3] -> [-1, 1] / sqrt(1 + eps), scaled and shifted', () => {
    const eps = 1e-3, s = 1 / Math.sqrt(1 + eps);
    const y = layerNorm(tf.tensor2d([[1, 3]]), tf.tensor1d([2, 3]), tf.tensor1d([0.5, -1]), eps).dataSync();
    assert.ok(Math.abs(y[0] - (0.5 - 2 * s)) < 1e-6 && Math.abs(y[1] - (-1 + 3 * s)) < 1e-6, `y = ${Array.from(y)}`);
  });

  for (const shape of [[5, 4], [2, 3, 6, 8]]) {
    it(`agrees with the composite op by op in value and gradients, shape [${shape}]`, () => {
      const before = tf.memory().numTensors;
      const C = shape[shape.length - 1];
      const x = tf.randomNormal(shape, 2, 3, 'float32', 1), w = tf.randomNormal(shape, 0, 1, 'float32', 2);
      const gamma = tf.randomUniform([C], 0.5, 2, 'float32', 3), beta = tf.randomNormal([C], 0, 1, 'float32', 4);
      const run = (composite: boolean) => [layerNorm(x, gamma, beta, 1e-5, composite),
        ...tf.grads((a: Tensor, g: Tensor, b: Tensor) => tf.sum(tf.mul(layerNorm(a, g, b, 1e-5, composite), w)))([x, gamma, beta])];
      const fast = run(false), comp = run(true);
      ['y', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => {
        const scale = tf.tidy(() => tf.max(tf.abs(comp[i])).dataSync()[0]);
        assert.ok(maxAbs(fast[i], comp[i]) <= 2e-5 * Math.max(1, scale), `${name}: max diff ${maxAbs(fast[i], comp[i])} (scale ${scale})`);
      });
      tf.dispose([...fast, ...comp, x, w, gamma, beta]);
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    });
  }

  it('gradient in x matches finite differences', () => {
    const x0 = Float32Array.from({ length: 3 * 5 }, (_, i) => Math.sin(1.3 * i) * 2 + (i % 4));
    const gamma = tf.tensor1d([1.5, -0.7, 2, 0.3, 1]), beta = tf.tensor1d([0.1, 0.2, -0.3, 0, 1]);
    const w = tf.tensor2d(Float32Array.from({ length: 15 }, (_, i) => Math.cos(0.9 * i)), [3, 5]);
    const r = checkGradient((t) => tf.sum(tf.mul(layerNorm(t, gamma, beta, 1e-5), w)), x0, [3, 5], { maxEntries: 15 });
    assert.ok(r.maxAbsErr < 2e-3, `max abs error ${r.maxAbsErr}`);
    tf.dispose([gamma, beta, w]);
  });

  it('rejects gamma / beta that do not match the last axis', () => {
    assert.throws(() => layerNorm(tf.zeros([2, 3]), tf.ones([4]), tf.zeros([3]), 1e-5), /expected shape \[3\]/);
  });
});
