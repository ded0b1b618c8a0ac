import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor4D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { ConfigError } from '../../src/core/errors.js';
import { createNetVlad, validateNetVladConfig } from '../../src/nn/netvlad.js';
import { assertClose } from '../helpers/geometry.js';
import { checkGradient, randomNormal } from '../helpers/grad-check.js';

/** NetVLAD of one image's N local features [N * D] in float64, with coupled weights. */
function netVladReference(x: Float32Array, N: number, D: number, cent: Float32Array, K: number, alpha: number): Float64Array {
  const unit = (v: Float64Array): Float64Array => { const s = Math.hypot(...v); return v.map((e) => e / s); };
  const vlad = new Float64Array(K * D);
  for (let i = 0; i < N; i++) {
    const xi = unit(Float64Array.from(x.subarray(i * D, i * D + D)));
    // logits_k = 2 alpha c_k . x - alpha ||c_k||^2
    const logits = Array.from({ length: K }, (_, k) => {
      let dot = 0, cc = 0;
      for (let t = 0; t < D; t++) { dot += cent[k * D + t] * xi[t]; cc += cent[k * D + t] ** 2; }
      return 2 * alpha * dot - alpha * cc;
    });
    const mx = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - mx));
    const z = e.reduce((a, b) => a + b, 0);
    for (let k = 0; k < K; k++) for (let t = 0; t < D; t++) vlad[k * D + t] += (e[k] / z) * (xi[t] - cent[k * D + t]);
  }
  const out = new Float64Array(K * D);
  for (let k = 0; k < K; k++) out.set(unit(vlad.subarray(k * D, k * D + D)), k * D);
  return unit(out);
}

describe('createNetVlad', () => {
  for (const B of [1, 3]) {
    it(`returns [B, K D] rows of unit norm with intra-normalised blocks, batch ${B}`, () => {
      const [K, D] = [4, 5];
      const vlad = createNetVlad({ clusters: K, dim: D, alpha: 10, seed: 1 });
      const x = tf.tensor4d(randomNormal(10 + B, B * 2 * 3 * D), [B, 2, 3, D]);
      const before = tf.memory().numTensors;
      const y = vlad.apply(x);
      assert.equal(tf.memory().numTensors, before + 1);
      assert.deepEqual(y.shape, [B, K * D]);
      const v = y.dataSync();
      for (let b = 0; b < B; b++) {
        assertClose([Math.hypot(...v.subarray(b * K * D, (b + 1) * K * D))], [1], 1e-5, `row ${b} norm`);
        for (let k = 0; k < K; k++) {
          const block = v.subarray(b * K * D + k * D, b * K * D + (k + 1) * D);
          assertClose([Math.hypot(...block)], [1 / Math.sqrt(K)], 1e-5, `row ${b} block ${k} norm`); // intra-norm 1, then / sqrt(K)
        }
      }
      tf.dispose([x, y]);
      vlad.dispose();
    });
  }
  it('matches a float64 reference of the paper formula', () => {
    const [K, D, N] = [3, 4, 6];
    const vlad = createNetVlad({ clusters: K, dim: D, alpha: 3, seed: 2 });
    const xs = randomNormal(20, 2 * N * D);
    const x = tf.tensor4d(xs, [2, 2, 3, D]);
    const y = vlad.apply(x);
    const cent = vlad.centroids.dataSync() as Float32Array;
    for (let b = 0; b < 2; b++) {
      const ref = netVladReference(xs.subarray(b * N * D, (b + 1) * N * D), N, D, cent, K, 3);
      assertClose(y.dataSync().subarray(b * K * D, (b + 1) * K * D), ref, 2e-5, `image ${b}`);
    }
    tf.dispose([x, y]);
    vlad.dispose();
  });
  it('couples weight and bias to the centroids (w = 2 alpha c, b = -alpha ||c||^2)', () => {
    const vlad = createNetVlad({ clusters: 2, dim: 2, alpha: 5 });
    vlad.setCentroids([1, 0, 0, 2]);
    assertClose(vlad.weight.dataSync(), [10, 0, 0, 20], 0, 'weight [D, K]');
    assertClose(vlad.bias.dataSync(), [-5, -20], 0, 'bias');
    assert.equal(vlad.trainableVariables.length, 3);
    vlad.dispose();
  });
  it('initialises centroids by k-means on well-separated features', () => {
    const [K, D] = [3, 4];
    const rng = createRng(5);
    const dirs = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]];
    const feats: number[] = [];
    for (const d of dirs) for (let i = 0; i < 20; i++) feats.push(...d.map((v) => 2 * v + 0.05 * rng.normal()));
    const vlad = createNetVlad({ clusters: K, dim: D });
    const r = vlad.initFromFeatures(tf.tensor2d(feats, [60, D]), createRng(6));
    assert.equal(r.assignments.length, 60);
    const c = vlad.centroids.dataSync();
    for (const d of dirs) {
      assert.ok([0, 1, 2].some((k) => Math.hypot(...d.map((v, t) => v - c[k * D + t])) < 0.05), `no centroid near ${d}`);
    }
    assertClose(vlad.bias.dataSync(), [0, 1, 2].map((k) => -100 * Math.hypot(...c.subarray(k * D, k * D + D)) ** 2), 1e-3, 'bias');
    vlad.dispose();
  });
  it('matches finite differences in its input gradient', () => {
    const vlad = createNetVlad({ clusters: 2, dim: 3, alpha: 2, seed: 3 });
    const probe = tf.tensor2d(randomNormal(30, 2 * 6), [2, 6]);
    const f = (x: Tensor): Tensor => tf.sum(tf.mul(vlad.apply(x as Tensor4D), probe));
    checkGradient(f, randomNormal(31, 2 * 2 * 2 * 3), [2, 2, 2, 3], { step: 1e-2, atol: 2e-3, rtol: 2e-2 });
    probe.dispose();
    vlad.dispose();
  });
  it('trains with an optimizer without leaking tensors, and disposes its variables', () => {
    const vlad = createNetVlad({ clusters: 2, dim: 3, alpha: 2 });
    const x = tf.tensor4d(randomNormal(40, 2 * 2 * 2 * 3), [2, 2, 2, 3]);
    const target = tf.tensor2d(randomNormal(41, 12), [2, 6]);
    const opt = tf.train.adam(1e-2);
    const step = (): void => { opt.minimize(() => tf.sum(tf.mul(vlad.apply(x), target)), false, vlad.trainableVariables)?.dispose(); };
    step(); // creates Adam's slots
    const c0 = vlad.centroids.dataSync().slice();
    const before = tf.memory().numTensors;
    step();
    assert.equal(tf.memory().numTensors, before);
    assert.notDeepEqual(vlad.centroids.dataSync(), c0);
    opt.dispose();
    tf.dispose([x, target]);
    const n = tf.memory().numTensors;
    vlad.dispose();
    assert.equal(tf.memory().numTensors, n - 3);
    const fresh = createNetVlad({ clusters: 2, dim: 3 });
    fresh.dispose();
    assert.equal(tf.memory().numTensors, n - 3);
  });
  it('validates config and input', () => {
    assert.equal(validateNetVladConfig().clusters, 64);
    assert.equal(validateNetVladConfig().dim, 256);
    assert.throws(() => validateNetVladConfig({ alpha: 0 }), (e: unknown) => e instanceof ConfigError && e.field === 'netvlad.alpha');
    assert.throws(() => validateNetVladConfig({ clusters: 1.5 }), /netvlad\.clusters/);
    const vlad = createNetVlad({ clusters: 2, dim: 3 });
    const x = tf.zeros([1, 2, 2, 4]) as Tensor4D;
    assert.throws(() => vlad.apply(x), /NetVlad\.apply: x: expected \[B, h, w, 3\], got \[1, 2, 2, 4\]/);
    assert.throws(() => vlad.setCentroids([1, 2]), /expected 2 x 3 = 6 values/);
    x.dispose();
    vlad.dispose();
  });
});
