import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor3D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { InputError } from '../../src/core/errors.js';
import { softKmeans, softKmeansReference, softKmeansStart, type SoftKmeansConfig } from '../../src/nn/soft-kmeans.js';
import { createModaLinkModel } from '../../src/modalink/model.js';

const rand = (seed: number, n: number): Float32Array => { const r = createRng(seed); return Float32Array.from({ length: n }, () => r.normal()); };
const CFG: SoftKmeansConfig = { clusters: 4, iterations: 5, temperature: 0.2, seed: 3, detached: true };

describe('softKmeans', () => {
  it('matches the float64 reference per image; rows sum to 1; centres are unit vectors; an image does not see its batch-mates', () => {
    const B = 2, n = 30, C = 5, X = rand(1, B * n * C);
    const { R, centres } = softKmeans(tf.tensor3d(X, [B, n, C]), CFG);
    const r = R.arraySync() as number[][][], mu = centres.arraySync() as number[][][];
    for (let b = 0; b < B; b++) {
      const ref = softKmeansReference(X.subarray(b * n * C, (b + 1) * n * C), n, C, CFG);
      for (let p = 0; p < n; p++) {
        assert.ok(Math.abs(r[b][p].reduce((a, v) => a + v, 0) - 1) < 1e-5);
        for (let k = 0; k < 4; k++) assert.ok(Math.abs(r[b][p][k] - ref.R[p * 4 + k]) < 1e-4, `image ${b} pixel ${p} centre ${k}: ${r[b][p][k]} vs ${ref.R[p * 4 + k]}`);
      }
      for (let k = 0; k < 4; k++) assert.ok(Math.abs(Math.hypot(...mu[b][k]) - 1) < 1e-5);
    }
    const alone = softKmeans(tf.tensor3d(X.subarray(n * C), [1, n, C]), CFG);
    const a = alone.R.dataSync(), inBatch = R.dataSync().subarray(n * 4);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - inBatch[i]) < 1e-6);
    tf.dispose([R, centres, alone.R, alone.centres]);
  });

  it('finds well-separated directions: each blob of pixels goes to a centre of its own', () => {
    // three orthogonal directions, 10 pixels each (pixels 0-9, 10-19, 20-29) with 5 % noise
    const n = 30, C = 3, noise = rand(7, n * C), X = new Float32Array(n * C);
    for (let p = 0; p < n; p++) for (let j = 0; j < C; j++) X[p * C + j] = (Math.floor(p / 10) === j ? 1 : 0) + 0.05 * noise[p * C + j];
    const cfg = { ...CFG, clusters: 3, iterations: 10, temperature: 0.05, seed: 2 };
    assert.deepEqual(Array.from(softKmeansStart(n, 3, 2)).map((p) => Math.floor(p / 10)).sort(), [0, 1, 2], 'seed 2 starts with one pixel in each blob');
    const { R } = softKmeans(tf.tensor3d(X, [1, n, C]), cfg);
    const r = (R.arraySync() as number[][][])[0];
    const owner = r.map((row) => row.indexOf(Math.max(...row)));
    const blobOwner = [0, 1, 2].map((g) => owner.slice(g * 10, g * 10 + 10));
    for (const o of blobOwner) assert.ok(o.every((k) => k === o[0]), `one centre per blob: ${o}`);
    assert.equal(new Set(blobOwner.map((o) => o[0])).size, 3, 'three blobs, three centres');
    assert.ok(r.every((row) => Math.max(...row) > 0.9), 'confident assignments at tau 0.05');
    R.dispose();
  });

  it('detached passes no gradient; undetached matches finite differences of the reference', () => {
    const n = 12, C = 3, X = rand(11, n * C), w = rand(12, n * 3);
    const cfg = { ...CFG, clusters: 3, iterations: 3, temperature: 0.5 };
    // + 0 x sum(x): a path from x to the loss even when the branch is detached (else tf.grad refuses)
    const lossOf = (detached: boolean) => (x: Tensor) => tf.add(tf.sum(tf.mul(softKmeans(x as Tensor3D, { ...cfg, detached }).R, tf.tensor3d(w, [1, n, 3]))), tf.mul(0, tf.sum(x)));
    const g0 = tf.grad(lossOf(true))(tf.tensor3d(X, [1, n, C])).dataSync();
    assert.ok(g0.every((v) => v === 0));
    const g = tf.grad(lossOf(false))(tf.tensor3d(X, [1, n, C])).dataSync();
    const f = (x: Float64Array): number => { const r = softKmeansReference(x, n, C, cfg).R; let s = 0; for (let i = 0; i < r.length; i++) s += r[i] * w[i]; return s; };
    for (const i of [0, 5, 17, 30]) {
      const h = 1e-4, xp = Float64Array.from(X), xm = Float64Array.from(X);
      xp[i] += h; xm[i] -= h;
      const fd = (f(xp) - f(xm)) / (2 * h);
      assert.ok(Math.abs(g[i] - fd) < 2e-3 * Math.max(1, Math.abs(fd)), `d/dx[${i}]: ${g[i]} vs finite difference ${fd}`);
    }
  });

  it('names bad input', () => {
    assert.throws(() => softKmeans(tf.zeros([1, 3, 2]) as Tensor3D, { ...CFG, clusters: 4 }), (e: unknown) => e instanceof InputError && /\[1, 3\]/.test(e.message));
    assert.throws(() => softKmeans(tf.zeros([1, 8, 2]) as Tensor3D, { ...CFG, temperature: 0 }), /temperature must be > 0/);
  });

  it("ModaLink with semanticMethod 'soft-kmeans': the same descriptor layout, unit-norm parts", () => {
    const m = createModaLinkModel({ encoderPreset: 'laptop', inputHeightPx: 32, inputWidthPx: 64, netvladClusters: 4, nmfFactors: 4, nmfIterations: 3, semanticMethod: 'soft-kmeans' });
    const d = m.describe(tf.randomUniform([2, 32, 64, 3], 0, 1, 'float32', 1) as never);
    assert.deepEqual(d.shape, [2, m.descriptorSize]);
    assert.equal(m.descriptorSize, 4 * (128 + 4));
    const v = d.arraySync() as number[][];
    for (const row of v) {
      assert.ok(Math.abs(Math.hypot(...row.slice(0, 512)) - 1) < 1e-4);
      assert.ok(Math.abs(Math.hypot(...row.slice(512)) - 1) < 1e-4);
    }
    d.dispose();
    m.dispose();
  });
});
