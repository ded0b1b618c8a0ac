import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor3D } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { nmf, nmfHeatmaps, nmfInit, nmfJointReleased, nmfReference, validateNmfConfig } from '../../src/nn/nmf.js';
import { assertClose } from '../helpers/geometry.js';
import { checkGradient, randomNormal } from '../helpers/grad-check.js';

describe('nmfReference', () => {
  it('does one update on a 2 x 2 matrix as written out by hand (K = 1)', () => {
    // V = [1 2; 3 4], W0 = [1; 1], H0 = [1 1]
    // H1 = H0 * (W0^T V) / (W0^T W0 H0) = [1 1] * [4 6] / [2 2] = [2 3]
    // W1 = W0 * (V H1^T) / (W0 H1 H1^T) = [1; 1] * [1*2 + 2*3; 3*2 + 4*3] / [13; 13] = [8/13; 18/13]
    const r = nmfReference([1, 2, 3, 4], 2, 2, 1, 1, { W: [1, 1], H: [1, 1] }, 0);
    assertClose(r.H, [2, 3], 1e-15, 'H1');
    assertClose(r.W, [8 / 13, 18 / 13], 1e-15, 'W1');
    // loss0 = (1-1)^2 + (2-1)^2 + (3-1)^2 + (4-1)^2 = 14
    assert.equal(r.loss[0], 14);
  });
  it('rejects negative V', () => {
    assert.throws(() => nmfReference([1, -1], 1, 2, 1, 1, { W: [1], H: [1, 1] }), /nmfReference: V: expected values >= 0/);
  });
});

describe('nmf', () => {
  it('matches the hand-computed update and the float64 reference', () => {
    const hand = nmf(tf.tensor3d([1, 2, 3, 4], [1, 2, 2]), { factors: 1, iterations: 1, epsilon: 1e-12 }, { init: { W: [1, 1], H: [1, 1] } });
    assertClose(hand.W.dataSync(), [8 / 13, 18 / 13], 1e-6, 'W1');
    assertClose(hand.H.dataSync(), [2, 3], 1e-6, 'H1');
    tf.dispose([hand.W, hand.H]);
    const [n, m, k] = [6, 5, 3];
    const V = randomNormal(1, n * m).map(Math.abs);
    const init = nmfInit(n, m, k, 7);
    const ref = nmfReference(V, n, m, k, 20, init);
    const r = nmf(tf.tensor3d(V, [1, n, m]), { factors: k, iterations: 20 }, { init, trackLoss: true });
    assertClose(r.W.dataSync(), ref.W, 1e-3, 'W');
    assertClose(r.H.dataSync(), ref.H, 1e-3, 'H');
    assertClose(r.loss![0], ref.loss, 1e-3 * ref.loss[0], 'loss');
    tf.dispose([r.W, r.H]);
  });
  it('never increases the Frobenius loss (Lee-Seung), and applies ReLU first', () => {
    const x = tf.tensor3d(randomNormal(2, 3 * 40 * 12), [3, 40, 12]);
    const r = nmf(x, { factors: 4, iterations: 60 }, { trackLoss: true });
    assert.equal(r.loss!.length, 3);
    for (const curve of r.loss!) {
      assert.equal(curve.length, 61);
      for (let t = 1; t < curve.length; t++) assert.ok(curve[t] <= curve[t - 1] * (1 + 1e-5), `loss rose at ${t}: ${curve[t - 1]} -> ${curve[t]}`);
      assert.ok(curve[60] < 0.7 * curve[0], `loss fell too little: ${curve[0]} -> ${curve[60]}`);
    }
    assert.ok(Array.from(r.W.dataSync()).every((v) => v >= 0) && Array.from(r.H.dataSync()).every((v) => v >= 0));
    tf.dispose([x, r.W, r.H]);
  });
  it('is batch-independent per image; the released joint solve is not', () => {
    const a = tf.tensor3d(randomNormal(3, 20 * 8), [1, 20, 8]);
    const others = tf.tensor3d(randomNormal(4, 2 * 20 * 8, 3, 1), [2, 20, 8]);
    const batch = tf.concat([a, others]) as Tensor3D;
    const cfg = { factors: 3, iterations: 30 };
    const alone = nmf(a, cfg);
    const inBatch = nmf(batch, cfg);
    const first = tf.slice(inBatch.W, [0, 0, 0], [1, 20, 3]);
    assertClose(first.dataSync(), alone.W.dataSync(), 1e-6, 'W of image 0');
    const jAlone = nmfJointReleased(a, cfg);
    const jBatch = nmfJointReleased(batch, cfg);
    const jFirst = tf.slice(jBatch.W, [0, 0, 0], [1, 20, 3]);
    const diff = tf.max(tf.abs(tf.sub(jFirst, jAlone.W))).dataSync()[0];
    assert.ok(diff > 1e-2, `joint NMF should depend on batch-mates, max diff ${diff}`);
    tf.dispose([a, others, batch, alone.W, alone.H, inBatch.W, inBatch.H, first, jAlone.W, jAlone.H, jBatch.W, jBatch.H, jFirst]);
  });
  it('solves a paper-size batch as it solves each image alone, from the same seeded start per image', () => {
    // 3 feature maps of 8 x 50 pixels x 256 channels (layer3 of the paper encoder on 128 x 800), K = 16, 50 updates
    const [B, n, m, k] = [3, 400, 256, 16];
    const x = tf.tensor3d(randomNormal(9, B * n * m), [B, n, m]);
    const before = tf.memory().numTensors;
    const batched = nmf(x, { factors: k, iterations: 50 });
    const worst = { W: 0, H: 0 }, largest = { W: 0, H: 0 };
    for (let b = 0; b < B; b++) {
      const xb = tf.slice(x, [b, 0, 0], [1, n, m]) as Tensor3D;
      const alone = nmf(xb, { factors: k, iterations: 50 });
      const inBatch = { W: tf.slice(batched.W, [b, 0, 0], [1, n, k]), H: tf.slice(batched.H, [b, 0, 0], [1, k, m]) };
      for (const f of ['W', 'H'] as const) {
        const [a, c] = [alone[f].dataSync(), inBatch[f].dataSync()];
        for (let i = 0; i < a.length; i++) { worst[f] = Math.max(worst[f], Math.abs(a[i] - c[i])); largest[f] = Math.max(largest[f], a[i]); }
      }
      tf.dispose([xb, alone.W, alone.H, inBatch.W, inBatch.H]);
    }
    for (const f of ['W', 'H'] as const) assert.ok(worst[f] <= 1e-4 * largest[f], `max |${f} alone - ${f} in batch| = ${worst[f]} (${f} up to ${largest[f]})`);
    tf.dispose([batched.W, batched.H]);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    // the start: every image gets nmfInit(n, m, K, seed) scaled by sqrt(mean(ReLU(x_b)) / K) (sklearn's 'random' init)
    const start = nmf(x, { factors: k, iterations: 0 });
    const u = nmfInit(n, m, k, 0), v = x.dataSync();
    for (let b = 0; b < B; b++) {
      let sum = 0;
      for (let i = b * n * m; i < (b + 1) * n * m; i++) sum += Math.max(v[i], 0);
      const s = Math.sqrt(sum / (n * m) / k);
      assertClose(start.W.dataSync().subarray(b * n * k, (b + 1) * n * k), u.W.map((w) => w * s), 1e-6, `W0 of image ${b}`);
      assertClose(start.H.dataSync().subarray(b * k * m, (b + 1) * k * m), u.H.map((h) => h * s), 1e-6, `H0 of image ${b}`);
    }
    tf.dispose([x, start.W, start.H]);
  });
  it('gives the same W for the same seed and another W for another seed', () => {
    const x = tf.tensor3d(randomNormal(5, 12 * 6), [1, 12, 6]);
    const [r1, r2, r3] = [nmf(x, { factors: 2, seed: 1 }), nmf(x, { factors: 2, seed: 1 }), nmf(x, { factors: 2, seed: 2 })];
    assert.deepEqual(r1.W.dataSync(), r2.W.dataSync());
    assert.notDeepEqual(r1.W.dataSync(), r3.W.dataSync());
    tf.dispose([x, r1.W, r1.H, r2.W, r2.H, r3.W, r3.H]);
  });
  it('passes no gradient when detached, and finite-difference gradients when unrolled', () => {
    const shape = [2, 6, 4];
    const x = randomNormal(6, 48, 1, 0.5);
    const probe = tf.tensor3d(randomNormal(7, 2 * 6 * 2), [2, 6, 2]);
    const loss = (mode: 'detached' | 'unrolled') => (t: Tensor): Tensor => {
      const r = nmf(t as Tensor3D, { factors: 2, iterations: 5, mode });
      const s = tf.sum(tf.mul(r.W, probe));
      tf.dispose([r.W, r.H]);
      return s;
    };
    // detached: d/dx [0.5 sum(x) + NMF part] is exactly 0.5 everywhere
    const g = tf.tidy(() => tf.grad((t: Tensor) => tf.add(tf.mul(tf.sum(t), 0.5), loss('detached')(t)))(tf.tensor(x, shape)));
    assertClose(g.dataSync(), new Float32Array(48).fill(0.5), 0, 'detached gradient');
    g.dispose();
    checkGradient(loss('unrolled'), x, shape, { step: 1e-2, atol: 2e-3, rtol: 2e-2, maxEntries: 16 });
    probe.dispose();
  });
  it('makes heatmaps [B, h, w, K] with unit norm over K, and leaks no tensors', () => {
    const x = tf.tensor3d(randomNormal(8, 2 * 6 * 5, 1, 1), [2, 6, 5]);
    const before = tf.memory().numTensors;
    const r = nmf(x, { factors: 3, iterations: 10 }, { trackLoss: true });
    const maps = nmfHeatmaps(r.W, 2, 3);
    assert.deepEqual(maps.shape, [2, 2, 3, 3]);
    const norms = tf.tidy(() => tf.norm(maps, 'euclidean', -1));
    assertClose(norms.dataSync(), new Float32Array(12).fill(1), 1e-5, 'norm over K');
    tf.dispose([r.W, r.H, maps, norms]);
    const j = nmfJointReleased(x, { factors: 3, iterations: 3 });
    tf.dispose([j.W, j.H]);
    assert.equal(tf.memory().numTensors, before);
    assert.throws(() => nmfHeatmaps(r.W, 4, 4), /nmfHeatmaps: W: expected \[B, 4 x 4 = 16, K\]/);
    x.dispose();
  });
  it('validates its config and input', () => {
    assert.equal(validateNmfConfig().factors, 16);
    assert.equal(validateNmfConfig().iterations, 50);
    assert.throws(() => validateNmfConfig({ factors: 0 }), (e: unknown) => e instanceof ConfigError && e.field === 'nmf.factors');
    assert.throws(() => validateNmfConfig({ mode: 'joint' as never }), /nmf\.mode/);
    assert.throws(() => validateNmfConfig({ factor: 3 } as never), /nmf\.factor.*unknown field/);
    assert.throws(() => nmf(tf.zeros([4, 4]) as never), /nmf: features: expected rank 3/);
    const x = tf.ones([1, 2, 2]) as Tensor3D;
    assert.throws(() => nmf(x, { factors: 1 }, { init: { W: [1], H: [1, 1] } }), /options\.init\.W: expected 2 x 1 = 2 values/);
    x.dispose();
  });
});
