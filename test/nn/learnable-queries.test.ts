import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor3D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { ConfigError } from '../../src/core/errors.js';
import { createLearnableQueries } from '../../src/nn/learnable-queries.js';
import { assertClose } from '../helpers/geometry.js';

const randn = (seed: number, shape: [number, number, number]): Tensor3D => {
  const rng = createRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape) as Tensor3D;
};

describe('createLearnableQueries', () => {
  for (const [B, norm, ffnHidden] of [[1, 'post', 16], [2, 'pre', 0]] as const) {
    it(`returns queries and per-layer heatmaps (batch ${B}, ${norm}-norm, ffn ${ffnHidden}) without leaks`, () => {
      const lq = createLearnableQueries({ numQueries: 6, layers: 2, heads: 2, dModel: 8, pixelDim: 5, pointDim: 3, ffnHidden, norm, seed: 1 });
      const pix = randn(2, [B, 4 * 5, 5]), pts = randn(3, [B, 9, 3]);
      const mask = tf.tensor2d(Array.from({ length: B }, () => [1, 1, 0, 1, 0, 1, 1, 1, 0]));
      const before = tf.memory().numTensors;
      const r = lq.apply(pix, pts, mask);
      assert.deepEqual(r.queries.shape, [B, 6, 8]);
      assert.equal(r.pixelWeights.length, 2);
      assert.equal(r.pointWeights.length, 2);
      for (const w of r.pixelWeights) assert.deepEqual(w.shape, [B, 6, 20]);
      for (const w of r.pointWeights) {
        assert.deepEqual(w.shape, [B, 6, 9]);
        const a = w.arraySync();
        for (const row of a.flat()) {
          assert.equal(row[2], 0); assert.equal(row[4], 0); assert.equal(row[8], 0);
          assertClose([row.reduce((s, x) => s + x, 0)], [1], 1e-5, 'row sum');
        }
      }
      tf.dispose([r.queries, ...r.pixelWeights, ...r.pointWeights]);
      assert.equal(tf.memory().numTensors, before);
      const perLayer = 4 * (8 + 2) + (ffnHidden > 0 ? 4 + 2 : 0);
      assert.equal(lq.trainableVariables.length, 1 + 2 * perLayer + (norm === 'pre' ? 2 : 0));
      const all = tf.memory().numTensors;
      lq.dispose();
      assert.equal(tf.memory().numTensors, all - lq.trainableVariables.length);
      tf.dispose([pix, pts, mask]);
    });
  }

  it('is seeded and trains: gradients reach the queries', () => {
    const cfg = { numQueries: 4, layers: 1, heads: 2, dModel: 4, ffnHidden: 8, seed: 7 };
    const a = createLearnableQueries(cfg), b = createLearnableQueries(cfg);
    assert.deepEqual(a.queries.dataSync(), b.queries.dataSync());
    const pix = randn(8, [2, 6, 4]), pts = randn(9, [2, 5, 4]);
    const { value, grads } = tf.variableGrads(() => {
      const r = a.apply(pix, pts);
      return tf.sum(tf.square(r.queries));
    }, [a.queries]);
    const g = grads[a.queries.name].dataSync();
    assert.ok(g.every(Number.isFinite) && g.some((x) => x !== 0));
    tf.dispose([value, pix, pts, ...Object.values(grads)]);
    a.dispose(); b.dispose();
  });

  it('keeps a sample with no point in the frustum finite (all-zero point heatmaps)', () => {
    const lq = createLearnableQueries({ numQueries: 3, layers: 2, heads: 2, dModel: 4, ffnHidden: 0, seed: 2 });
    const pix = randn(10, [2, 6, 4]), pts = randn(11, [2, 5, 4]);
    const mask = tf.tensor2d([[1, 1, 1, 0, 0], [0, 0, 0, 0, 0]]);
    const r = lq.apply(pix, pts, mask);
    assert.ok(r.queries.dataSync().every(Number.isFinite));
    for (const w of r.pointWeights) assert.ok(w.arraySync()[1].flat().every((x) => x === 0));
    tf.dispose([pix, pts, mask, r.queries, ...r.pixelWeights, ...r.pointWeights]);
    lq.dispose();
  });

  it('defaults to the paper sizes and validates its config', () => {
    const lq = createLearnableQueries({ dModel: 8, ffnHidden: 0 });
    assert.deepEqual([lq.config.numQueries, lq.config.layers, lq.config.heads], [64, 3, 4]);
    lq.dispose();
    assert.throws(() => createLearnableQueries({ dModel: 6, heads: 4 }), (e: unknown) => e instanceof ConfigError && e.field === 'learnableQueries.heads');
    assert.throws(() => createLearnableQueries({ norm: 'mid' as never }), /learnableQueries.norm/);
    assert.throws(() => createLearnableQueries({ numQueries: 0 }), /learnableQueries.numQueries/);
  });
});
