import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { computeRecall, rankByDistance, searchNearest } from '../../src/metrics/index.js';
import { assertClose } from '../helpers/geometry.js';
import { randomNormal } from '../helpers/grad-check.js';

describe('computeRecall on a hand-made distance matrix', () => {
  // 4 queries x 5 database frames. Descriptor distances (rows = queries):
  const desc = [
    0.1, 0.5, 0.9, 0.3, 0.7, // ranking 0, 3, 1, 4, 2
    0.8, 0.2, 0.4, 0.6, 0.1, // ranking 4, 1, 2, 3, 0
    0.3, 0.1, 0.2, 0.9, 0.8, // ranking 1, 2, 0, 4, 3
    0.5, 0.4, 0.3, 0.2, 0.1, // ranking 4, 3, 2, 1, 0
  ];
  // ground distances in metres; "true" = < 10 m
  const ground = [
    5, 50, 50, 50, 50, // q0: true neighbour 0, retrieved at rank 0
    50, 50, 3, 50, 50, // q1: true neighbour 2, retrieved at rank 2
    50, 50, 50, 50, 50, // q2: no true neighbour -> dropped
    10, 50, 50, 50, 50, // q3: 10 m is NOT < 10 -> no true neighbour -> dropped
  ];
  it('ranks by distance and scores Recall@N', () => {
    const ranking = rankByDistance(desc, 4, 5, 5);
    assert.deepEqual(Array.from(ranking.subarray(0, 5)), [0, 3, 1, 4, 2]);
    const r = computeRecall(ranking, 5, ground, 4, 5, { maxN: 5 });
    assert.equal(r.numDropped, 2);
    assert.equal(r.numQueries, 2);
    assertClose(r.curve, [1 / 2, 1 / 2, 2 / 2, 2 / 2, 2 / 2], 0, 'curve');
    assert.equal(r.recallAt1, 0.5);
    assert.equal(r.recallAt5, 1);
    assert.equal(r.onePercentN, 1); // max(round(5 / 100), 1)
    assert.equal(r.recallAt1Percent, 0.5);
    assert.deepEqual(Array.from(r.firstCorrectRank), [0, 2, -1, -1]);
    const kept = computeRecall(ranking, 5, ground, 4, 5, { maxN: 5, dropNoPositive: false });
    assert.equal(kept.numQueries, 4);
    assert.equal(kept.recallAt1, 1 / 4);
  });
  it('excludes each query\'s own scan (protocol B)', () => {
    // query q's own scan is database frame q (q0 -> 0 is its only true neighbour -> dropped)
    const own = Int32Array.from([0, 1, 2, 3]);
    const ranking = rankByDistance(desc, 4, 5, 4, own);
    assert.deepEqual(Array.from(ranking.subarray(0, 4)), [3, 1, 4, 2]);
    const r = computeRecall(ranking, 4, ground, 4, 5, { maxN: 4 }, own);
    assert.equal(r.numDropped, 3); // q0 (own scan was its only neighbour), q2, q3
    assert.deepEqual(Array.from(r.firstCorrectRank), [-1, 1, -1, -1]); // q1: ranking 4, 2, 3, 0 -> frame 2 at rank 1
    assertClose(r.curve.subarray(0, 2), [0, 1], 0);
    assert.throws(() => computeRecall(rankByDistance(desc, 4, 5, 4), 4, ground, 4, 5, { maxN: 4 }, own), /retrieved its excluded database index/);
  });
  it('uses N = round(N_db / 100) for Recall@1% and checks k', () => {
    const N = 250; // @1% -> N = round(2.5) = 3
    const ground1 = Float32Array.from({ length: N }, (_, j) => (j === 2 ? 1 : 100));
    const ranking = Int32Array.from({ length: 5 }, (_, i) => i); // frame 2 at rank 2
    const r = computeRecall(ranking, 5, ground1, 1, N, { maxN: 5 });
    assert.equal(r.onePercentN, 3);
    assert.equal(r.recallAt1, 0);
    assert.equal(r.recallAt1Percent, 1);
    assert.throws(() => computeRecall(ranking.subarray(0, 2), 2, ground1, 1, N, { maxN: 5 }), /need at least 5 retrievals/);
    assert.throws(() => computeRecall(ranking, 5, ground1, 1, N, { thresholdM: 0 }), /recall\.thresholdM/);
  });
});

describe('searchNearest', () => {
  it('matches brute force, normalised or not, in chunks, without leaks', () => {
    const [Q, N, D, k] = [7, 30, 6, 4];
    const qv = randomNormal(1, Q * D);
    const dv = randomNormal(2, N * D);
    const queries = tf.tensor2d(qv, [Q, D]);
    const db = tf.tensor2d(dv, [N, D]);
    const brute = new Float64Array(Q * N);
    for (let q = 0; q < Q; q++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let t = 0; t < D; t++) s += (qv[q * D + t] - dv[j * D + t]) ** 2;
      brute[q * N + j] = s;
    }
    const before = tf.memory().numTensors;
    const r = searchNearest(queries, db, k, { chunkSize: 3 });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(r.indices, rankByDistance(brute, Q, N, k));
    for (let i = 0; i < Q * k; i++) assert.ok(Math.abs(r.distancesSq[i] - brute[Math.floor(i / k) * N + r.indices[i]]) < 1e-4);
    // normalised descriptors: d^2 = 2 - 2 q.db gives the same ranking as the full formula
    const [qn, dn] = tf.tidy(() => [tf.div(queries, tf.norm(queries, 2, 1, true)), tf.div(db, tf.norm(db, 2, 1, true))]);
    const a = searchNearest(qn as never, dn as never, k, { normalized: true });
    const b = searchNearest(qn as never, dn as never, k);
    assert.deepEqual(a.indices, b.indices);
    assertClose(a.distancesSq, b.distancesSq, 1e-5);
    // excluding each query's nearest shifts the list by one
    const ex = Int32Array.from({ length: Q }, (_, q) => r.indices[q * k]);
    const e = searchNearest(queries, db, k - 1, { excludeIndex: ex });
    for (let q = 0; q < Q; q++) assert.deepEqual(Array.from(e.indices.subarray(q * (k - 1), (q + 1) * (k - 1))), Array.from(r.indices.subarray(q * k + 1, (q + 1) * k)));
    tf.dispose([queries, db, qn, dn]);
  });
});
