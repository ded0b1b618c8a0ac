import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor3D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { ConfigError } from '../../src/core/errors.js';
import { createMultiHeadAttention, scaledDotProductAttention } from '../../src/nn/attention.js';
import { assertClose } from '../helpers/geometry.js';

const randn = (seed: number, shape: [number, number, number]): Tensor3D => {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape) as Tensor3D;
};

describe('scaledDotProductAttention', () => {
  it('matches the softmax arithmetic for 2 queries and 3 keys', () => {
    const q = tf.tensor3d([[[1, 0], [0, 2]]]);
    const k = tf.tensor3d([[[1, 0], [0, 1], [1, 1]]]);
    const v = tf.tensor3d([[[1, 0], [0, 1], [3, 3]]]);
    const { out, weights } = scaledDotProductAttention(q, k, v);
    const s = Math.SQRT2; // sqrt(d), d = 2
    // query 0: logits [1, 0, 1] / sqrt 2
    const a = Math.exp(1 / s), z0 = a + 1 + a;
    const w0 = [a / z0, 1 / z0, a / z0];
    // query 1: logits [0, 2, 2] / sqrt 2
    const b = Math.exp(2 / s), z1 = 1 + b + b;
    const w1 = [1 / z1, b / z1, b / z1];
    assertClose(weights.dataSync(), [...w0, ...w1], 1e-6, 'weights');
    const expectedOut = [
      w0[0] * 1 + w0[1] * 0 + w0[2] * 3, w0[0] * 0 + w0[1] * 1 + w0[2] * 3,
      w1[0] * 1 + w1[1] * 0 + w1[2] * 3, w1[0] * 0 + w1[1] * 1 + w1[2] * 3,
    ];
    assertClose(out.dataSync(), expectedOut, 1e-5, 'out');
    tf.dispose([q, k, v, out, weights]);
  });

  it('gives masked keys weight 0 ([B, Nk] and [B, Nq, Nk] masks) and all-masked rows zeros', () => {
    const q = randn(1, [2, 3, 4]), k = randn(2, [2, 5, 4]), v = randn(3, [2, 5, 6]);
    const before = tf.memory().numTensors;
    const keyMask = tf.tensor2d([[1, 0, 1, 1, 0], [0, 0, 0, 0, 0]]); // batch 1: every key masked
    const r = scaledDotProductAttention(q, k, v, keyMask);
    const w = r.weights.arraySync();
    for (const row of w[0]) {
      assert.equal(row[1], 0); assert.equal(row[4], 0);
      assertClose([row.reduce((x, y) => x + y, 0)], [1], 1e-6, 'row sum');
    }
    for (const row of w[1]) assert.deepEqual(row, [0, 0, 0, 0, 0]);
    assert.deepEqual(r.out.arraySync()[1], [[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]);
    assert.ok(r.out.dataSync().every(Number.isFinite));
    // same as dropping the masked keys
    const kept = [0, 2, 3];
    const ref = tf.tidy(() => scaledDotProductAttention(tf.slice(q, [0, 0, 0], [1, 3, 4]) as Tensor3D,
      tf.gather(tf.slice(k, [0, 0, 0], [1, 5, 4]), kept, 1) as Tensor3D, tf.gather(tf.slice(v, [0, 0, 0], [1, 5, 6]), kept, 1) as Tensor3D));
    assertClose(r.out.arraySync()[0].flat(), ref.out.dataSync(), 1e-5, 'masked vs dropped');
    const pairMask = tf.tensor3d([[[1, 1, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]], [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0]]]);
    const r2 = scaledDotProductAttention(q, k, v, pairMask);
    const w2 = r2.weights.arraySync();
    assert.deepEqual(w2[0][1], [0, 0, 0, 0, 0]);
    assert.deepEqual(w2[1].map((row) => row.map((x) => Number(x > 0))), [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0]]);
    assertClose(r2.out.arraySync()[1][1], v.arraySync()[1][1], 1e-6, 'one key -> its value');
    tf.dispose([keyMask, pairMask, r.out, r.weights, r2.out, r2.weights, ref.out, ref.weights]);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([q, k, v]);
  });

  it('rejects mismatched shapes with readable messages', () => {
    const q = tf.zeros([1, 2, 4]) as Tensor3D, k = tf.zeros([1, 3, 5]) as Tensor3D, v = tf.zeros([1, 3, 2]) as Tensor3D;
    assert.throws(() => scaledDotProductAttention(q, k, v), /k: expected shape \[1, \*, 4\]/);
    const k4 = tf.zeros([1, 3, 4]) as Tensor3D, m = tf.ones([1, 2]);
    assert.throws(() => scaledDotProductAttention(q, k4, v, m), /mask: expected shape \[1, 3\]/);
    tf.dispose([q, k, v, k4, m]);
  });

  it('has gradients that match central finite differences (with a mask)', () => {
    const q = randn(4, [1, 2, 3]), k = randn(5, [1, 4, 3]), v = randn(6, [1, 4, 2]);
    const mask = tf.tensor2d([[1, 1, 0, 1]]);
    const cOut = randn(7, [1, 2, 2]), cW = randn(8, [1, 2, 4]);
    const f = (qq: Tensor, kk: Tensor, vv: Tensor): Tensor => tf.tidy(() => {
      const r = scaledDotProductAttention(qq as Tensor3D, kk as Tensor3D, vv as Tensor3D, mask);
      return tf.add(tf.sum(tf.mul(r.out, cOut)), tf.sum(tf.mul(r.weights, cW)));
    });
    const grads = tf.grads(f)([q, k, v]);
    const inputs = [q, k, v];
    const eps = 1e-2;
    inputs.forEach((x, which) => {
      const base = x.dataSync();
      const analytic = grads[which].dataSync();
      const numeric = new Float32Array(base.length);
      for (let i = 0; i < base.length; i++) {
        const evalAt = (delta: number): number => tf.tidy(() => {
          const p = Float32Array.from(base); p[i] += delta;
          const args = inputs.map((t, j) => (j === which ? tf.tensor(p, x.shape) : t));
          return f(args[0], args[1], args[2]).dataSync()[0];
        });
        numeric[i] = (evalAt(eps) - evalAt(-eps)) / (2 * eps);
      }
      assertClose(analytic, numeric, 3e-3, `d/d${'qkv'[which]}`);
    });
    tf.dispose([q, k, v, mask, cOut, cW, ...grads]);
  });
});

describe('createMultiHeadAttention', () => {
  for (const B of [1, 2, 5]) {
    it(`gives out [B, Nq, dModel] and head-averaged weights [B, Nq, Nk] for batch ${B}, leaking nothing`, () => {
      const mha = createMultiHeadAttention({ dModel: 8, heads: 2, kvDim: 6, seed: 3 });
      const q = randn(10 + B, [B, 3, 8]), kv = randn(20 + B, [B, 7, 6]);
      const mask = tf.ones([B, 7]);
      const before = tf.memory().numTensors;
      const r = mha.apply(q, kv, mask);
      assert.deepEqual(r.out.shape, [B, 3, 8]);
      assert.deepEqual(r.weights.shape, [B, 3, 7]);
      const sums = tf.sum(r.weights, -1);
      assertClose(sums.dataSync(), new Array(B * 3).fill(1), 1e-5, 'row sums');
      tf.dispose([r.out, r.weights, sums]);
      assert.equal(tf.memory().numTensors, before);
      assert.equal(mha.trainableVariables.length, 8);
      const nVars = tf.memory().numTensors;
      mha.dispose();
      assert.equal(tf.memory().numTensors, nVars - 8);
      tf.dispose([q, kv, mask]);
    });
  }

  it('is seeded: the same seed gives the same weights, another seed different ones', () => {
    const a = createMultiHeadAttention({ dModel: 8, heads: 4, seed: 1 });
    const b = createMultiHeadAttention({ dModel: 8, heads: 4, seed: 1 });
    const c = createMultiHeadAttention({ dModel: 8, heads: 4, seed: 2 });
    assert.deepEqual(a.trainableVariables[0].dataSync(), b.trainableVariables[0].dataSync());
    assert.notDeepEqual(a.trainableVariables[0].dataSync(), c.trainableVariables[0].dataSync());
    [a, b, c].forEach((m) => m.dispose());
  });

  it('self-attention is permutation equivariant', () => {
    const mha = createMultiHeadAttention({ dModel: 8, heads: 2, seed: 4 });
    const x = randn(30, [2, 5, 8]);
    const perm = [3, 0, 4, 1, 2];
    const xp = tf.gather(x, perm, 1) as Tensor3D;
    const r = mha.apply(x, x), rp = mha.apply(xp, xp);
    const expectedOut = tf.gather(r.out, perm, 1);
    const expectedW = tf.gather(tf.gather(r.weights, perm, 1), perm, 2);
    assertClose(rp.out.dataSync(), expectedOut.dataSync(), 1e-5, 'out');
    assertClose(rp.weights.dataSync(), expectedW.dataSync(), 1e-6, 'weights');
    tf.dispose([x, xp, r.out, r.weights, rp.out, rp.weights, expectedOut, expectedW]);
    mha.dispose();
  });

  it('reaches every variable with a finite gradient', () => {
    const mha = createMultiHeadAttention({ dModel: 4, heads: 2, seed: 5 });
    const x = randn(40, [2, 3, 4]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(mha.apply(x, x).out)), mha.trainableVariables);
    assert.equal(Object.keys(grads).length, 8);
    for (const g of Object.values(grads)) assert.ok(g.dataSync().every(Number.isFinite) && g.dataSync().some((y) => y !== 0));
    tf.dispose([value, x, ...Object.values(grads)]);
    mha.dispose();
  });

  it('validates its config', () => {
    assert.throws(() => createMultiHeadAttention({ dModel: 10, heads: 4 }), (e: unknown) => e instanceof ConfigError && e.field === 'multiHeadAttention.heads');
    assert.throws(() => createMultiHeadAttention({ dModel: 0 }), /multiHeadAttention.dModel/);
    assert.throws(() => createMultiHeadAttention({ dmodel: 8 } as never), /multiHeadAttention.dmodel': unknown field/);
  });
});
