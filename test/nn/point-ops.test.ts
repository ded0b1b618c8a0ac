import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import type { Tensor, Tensor3D } from '../../src/core/tf.js';
import { createRng, permutation } from '../../src/core/rng.js';
import { farthestPointSample, farthestPointSampleArray, gatherPointsTf, knnArray, knnIndices, threeNnInterpolate } from '../../src/nn/point-ops.js';
import { assertClose } from '../helpers/geometry.js';

/** [n * 3] coordinates uniform in [-s, s]^3. */
const cloud = (seed: number, n: number, s = 1): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * 3 }, () => rng.uniform(-s, s));
};
/** The 5 x 5 integer grid in the z = 0 plane, row-major in y then x. */
const grid5 = (): Float32Array => Float32Array.from({ length: 75 }, (_, i) => (i % 3 === 0 ? Math.floor(i / 3) % 5 : i % 3 === 1 ? Math.floor(i / 15) : 0));
const at = (p: ArrayLike<number>, i: number): number[] => [p[3 * i], p[3 * i + 1], p[3 * i + 2]];

/** Brute-force oracle: indices of the k smallest (squared distance, index) pairs. */
function knnOracle(q: ArrayLike<number>, m: number, r: ArrayLike<number>, n: number, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    const d = Array.from({ length: n }, (_, j) => {
      const dx = r[3 * j] - q[3 * i], dy = r[3 * j + 1] - q[3 * i + 1], dz = r[3 * j + 2] - q[3 * i + 2];
      return { j, d: dx * dx + dy * dy + dz * dz };
    });
    d.sort((a, b) => a.d - b.d || a.j - b.j);
    out.push(...d.slice(0, k).map((e) => e.j));
  }
  return out;
}

describe('farthestPointSample', () => {
  it('picks the 4 corners of a square grid first, then its centre', () => {
    const p = grid5();
    const idx = farthestPointSampleArray(p, 25, 5);
    // bbox centre (2, 2): four corners tie -> lexicographically smallest (0, 0); then the
    // opposite corner; then (0, 4) and (4, 0) tie at distance 4 -> (0, 4); then (4, 0); then (2, 2)
    assert.deepEqual([...idx].map((i) => at(p, i)), [[0, 0, 0], [4, 4, 0], [0, 4, 0], [4, 0, 0], [2, 2, 0]]);
  });
  it('is deterministic and order-independent (same coordinates in the same order after a permutation)', () => {
    const n = 300, p = cloud(1, n);
    const a = farthestPointSampleArray(p, n, 40);
    assert.deepEqual(farthestPointSampleArray(p, n, 40), a);
    assert.equal(new Set(a).size, 40, 'distinct indices');
    const perm = permutation(createRng(2), n);
    const q = new Float32Array(3 * n);
    perm.forEach((src, dst) => q.set(at(p, src), 3 * dst));
    const b = farthestPointSampleArray(q, n, 40);
    assert.deepEqual([...b].map((i) => at(q, i)), [...a].map((i) => at(p, i)));
    // the grid's ties too
    const g = grid5(), gp = permutation(createRng(3), 25), gq = new Float32Array(75);
    gp.forEach((src, dst) => gq.set(at(g, src), 3 * dst));
    assert.deepEqual([...farthestPointSampleArray(gq, 25, 25)].map((i) => at(gq, i)), [...farthestPointSampleArray(g, 25, 25)].map((i) => at(g, i)));
  });
  it('spreads the samples: each later pick is no farther from the set than the earlier ones', () => {
    const n = 400, p = cloud(4, n), idx = farthestPointSampleArray(p, n, 30);
    const minDist = (i: number, upto: number): number => Math.min(...[...idx.slice(0, upto)].map((j) => Math.hypot(p[3 * i] - p[3 * j], p[3 * i + 1] - p[3 * j + 1], p[3 * i + 2] - p[3 * j + 2])));
    let prev = Infinity;
    for (let s = 1; s < 30; s++) {
      const d = minDist(idx[s], s);
      assert.ok(d <= prev + 1e-9, `pick ${s}: ${d} > ${prev}`);
      // and it is the farthest point of the cloud from the picks so far
      for (let i = 0; i < n; i++) assert.ok(minDist(i, s) <= d + 1e-9);
      prev = d;
    }
  });
  it('batched tensor version: per-cloud results, seeded random start', () => {
    const n = 100, a = cloud(5, n), b = cloud(6, n);
    const xyz = tf.tensor3d([...a, ...b], [2, n, 3]);
    const before = tf.memory().numTensors;
    const idx = farthestPointSample(xyz, 10);
    assert.equal(tf.memory().numTensors, before + 1);
    assert.deepEqual(idx.shape, [2, 10]);
    assert.equal(idx.dtype, 'int32');
    assert.deepEqual([...idx.dataSync()], [...farthestPointSampleArray(a, n, 10), ...farthestPointSampleArray(b, n, 10)]);
    const rng = createRng(7), s0 = rng.int(n), s1 = rng.int(n);
    const r = farthestPointSample(xyz, 10, { start: 'random', seed: 7 });
    assert.deepEqual([...r.dataSync()], [...farthestPointSampleArray(a, n, 10, s0), ...farthestPointSampleArray(b, n, 10, s1)]);
    assert.deepEqual([...farthestPointSample(xyz, 10, { start: 'random', seed: 7 }).dataSync()], [...r.dataSync()]);
    assert.throws(() => farthestPointSample(xyz, n + 1), /m: expected an integer in \[1, 100\]/);
    tf.dispose([xyz, idx, r]);
  });
});

describe('knnIndices', () => {
  it('matches a brute-force oracle (random clouds at 1 m and 40 m scale, B = 2)', () => {
    for (const s of [1, 40]) {
      const m = 60, n = 300, k = 8;
      const q = [cloud(10, m, s), cloud(11, m, s)], r = [cloud(12, n, s), cloud(13, n, s)];
      const idx = knnIndices(tf.tensor3d([...q[0], ...q[1]], [2, m, 3]), tf.tensor3d([...r[0], ...r[1]], [2, n, 3]), k);
      assert.deepEqual(idx.shape, [2, m, k]);
      assert.deepEqual([...idx.dataSync()], [...knnOracle(q[0], m, r[0], n, k), ...knnOracle(q[1], m, r[1], n, k)]);
      idx.dispose();
    }
  });
  it('breaks exact ties by index, as the oracle (integer grid), k = N included', () => {
    const g = grid5(), q = Float32Array.from([2, 2, 0, 0.5, 0, 0, 4, 4, 0]);
    for (const k of [5, 9, 25]) {
      const out = new Int32Array(3 * k);
      knnArray(q, 3, g, 25, k, out);
      assert.deepEqual([...out], knnOracle(q, 3, g, 25, k));
    }
  });
  it('finds a query point that is in the reference set first', () => {
    const p = cloud(14, 50), t = tf.tensor3d(p, [1, 50, 3]);
    const idx = knnIndices(t, t, 4);
    assert.deepEqual(idx.arraySync()[0].map((row) => row[0]), Array.from({ length: 50 }, (_, i) => i));
    tf.dispose([t, idx]);
  });
});

describe('gatherPointsTf', () => {
  it('gathers per batch ([B, M] and [B, M, k]) and routes the gradient to the gathered rows', () => {
    const x = tf.tensor3d([[[1, 10], [2, 20], [3, 30]], [[4, 40], [5, 50], [6, 60]]]); // [2, 3, 2]
    const i2 = tf.tensor2d([[2, 0], [1, 1]], [2, 2], 'int32');
    const i3 = tf.tensor3d([[[0, 1, 2]], [[2, 2, 0]]], [2, 1, 3], 'int32');
    const g2 = gatherPointsTf<Tensor>(x, i2), g3 = gatherPointsTf<Tensor>(x, i3);
    assert.deepEqual(g2.arraySync(), [[[3, 30], [1, 10]], [[5, 50], [5, 50]]]);
    assert.deepEqual(g3.shape, [2, 1, 3, 2]);
    assert.deepEqual(g3.arraySync(), [[[[1, 10], [2, 20], [3, 30]]], [[[6, 60], [6, 60], [4, 40]]]]);
    const grad = tf.grad((v: Tensor) => tf.sum(gatherPointsTf<Tensor>(v as Tensor3D, i2)))(x);
    assert.deepEqual(grad.arraySync(), [[[1, 1], [0, 0], [1, 1]], [[0, 0], [2, 2], [0, 0]]]);
    assert.throws(() => gatherPointsTf(x, tf.tensor2d([[0]], [1, 1], 'int32')), /indices: expected int32 \[2, M\(, k\)\]/);
    tf.dispose([x, i2, i3, g2, g3, grad]);
  });
});

describe('threeNnInterpolate', () => {
  it('weights by inverse distance (hand arithmetic)', () => {
    const src = tf.tensor3d([[[0, 0, 0], [1, 0, 0], [3, 0, 0], [10, 0, 0]]]);
    const val = tf.tensor3d([[[1], [2], [3], [100]]]);
    const tgt = tf.tensor3d([[[0.5, 0, 0]]]);
    const y = threeNnInterpolate(tgt, src, val);
    const w = [1 / 0.5, 1 / 0.5, 1 / 2.5]; // the three nearest: distances 0.5, 0.5, 2.5
    assertClose(y.dataSync(), [(w[0] * 1 + w[1] * 2 + w[2] * 3) / (w[0] + w[1] + w[2])], 1e-5, 'interpolated');
    tf.dispose([src, val, tgt, y]);
  });
  it('keeps a constant field constant and is exact at coincident points', () => {
    const s = cloud(20, 40, 5), t = cloud(21, 100, 5);
    const src = tf.tensor3d([...s, ...s], [2, 40, 3]), tgt = tf.tensor3d([...t, ...s, ...t.subarray(0, 180)], [2, 100, 3]); // batch 1 starts with the sources
    const constant = tf.fill([2, 40, 3], 2.5) as Tensor3D;
    const before = tf.memory().numTensors;
    const y = threeNnInterpolate(tgt, src, constant);
    assert.equal(tf.memory().numTensors, before + 1, 'no leaked intermediates');
    assert.deepEqual(y.shape, [2, 100, 3]);
    assertClose(y.dataSync(), new Array(600).fill(2.5), 1e-6, 'constant');
    const vals = tf.tensor3d(cloud(22, 60).subarray(0, 160), [1, 40, 4]);
    const at0 = threeNnInterpolate(tf.slice(src, [0, 0, 0], [1, 40, 3]) as Tensor3D, tf.slice(src, [0, 0, 0], [1, 40, 3]) as Tensor3D, vals);
    assertClose(at0.dataSync(), vals.dataSync(), 1e-6, 'coincident');
    tf.dispose([src, tgt, constant, y, vals, at0]);
  });
});
