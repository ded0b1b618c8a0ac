import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { computeRecall, searchNearest, type RecallResult } from '../../src/metrics/recall.js';
import { createResidentDatabase } from '../../src/metrics/resident-database.js';
import { recallFromDescriptors } from '../../src/modalink/evaluate.js';
import { groundDistanceMatrix } from '../../src/modalink/ground-distance.js';
import { randomNormal } from '../helpers/grad-check.js';

/** The evaluation before the resident database: upload both, searchNearest, computeRecall. */
function recallBefore(q: Float32Array, db: Float32Array, D: number, qXZ: ArrayLike<number>, dbXZ: ArrayLike<number>, excludeIndex?: Int32Array): RecallResult {
  const Q = q.length / D, N = db.length / D, nDb = N - (excludeIndex ? 1 : 0);
  const k = Math.min(nDb, Math.max(25, 5, Math.max(Math.round(nDb / 100), 1)));
  const [qt, dbt] = [tf.tensor2d(q, [Q, D]), tf.tensor2d(db, [N, D])];
  const { indices } = searchNearest(qt, dbt, k, { excludeIndex });
  tf.dispose([qt, dbt]);
  return computeRecall(indices, k, groundDistanceMatrix(qXZ, dbXZ), Q, N, { thresholdM: 10, maxN: Math.min(25, k) }, excludeIndex);
}

/** A drive: frame i at (3 i m, 0); descriptors drift smoothly along it, queries = frames + noise. */
function seededDrive(N: number, D: number, Q: number, noise: number) {
  const walk = randomNormal(21, N * D, 0.3);
  const db = new Float32Array(N * D);
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) db[i * D + j] = (i ? db[(i - 1) * D + j] : 0) + walk[i * D + j];
  for (const [dst, src] of [[30, 10], [31, 10], [200, 150]]) db.copyWithin(dst * D, src * D, (src + 1) * D); // exact ties
  const pick = Int32Array.from({ length: Q }, (_, t) => (t * 7) % N);
  const e = randomNormal(22, Q * D, noise);
  const q = Float32Array.from({ length: Q * D }, (_, i) => db[pick[Math.floor(i / D)] * D + (i % D)] + e[i]);
  const dbXZ = Float64Array.from({ length: 2 * N }, (_, i) => (i % 2 === 0 ? 3 * (i / 2) : 0));
  const qXZ = Float64Array.from({ length: 2 * Q }, (_, i) => (i % 2 === 0 ? 3 * pick[i / 2] + 0.5 : 0));
  return { db, q, dbXZ, qXZ, pick };
}

describe('recallFromDescriptors on a resident database', () => {
  const D = 24;
  const { db, q, dbXZ, qXZ, pick } = seededDrive(260, D, 90, 1.5);
  it('gives the same recall table, rank by rank, as the search it replaced (protocols A and B)', () => {
    const before = recallBefore(q, db, D, qXZ, dbXZ);
    const now = recallFromDescriptors(q, db, D, qXZ, dbXZ, 10);
    assert.ok(before.recallAt1 > 0.2 && before.recallAt1 < 0.95, `a non-trivial case: R@1 ${before.recallAt1}`);
    assert.deepEqual(now, before);
    const own = Int32Array.from(pick); // protocol B: each query's own frame left out
    assert.deepEqual(recallFromDescriptors(q, db, D, qXZ, dbXZ, 10, own), recallBefore(q, db, D, qXZ, dbXZ, own));
    for (const convolutionMaxQueries of [0, 1024]) assert.deepEqual(recallFromDescriptors(q, db, D, qXZ, dbXZ, 10, undefined, { convolutionMaxQueries, chunkSize: 16 }), before);
  });
  it('reuses a resident database across calls without disposing it', () => {
    const rdb = createResidentDatabase(db, D);
    const tensors = tf.memory().numTensors;
    const a = recallFromDescriptors(q, rdb, D, qXZ, dbXZ, 10);
    const b = recallFromDescriptors(q.subarray(0, 10 * D), rdb, D, qXZ.subarray(0, 20), dbXZ, 10);
    assert.deepEqual(a, recallBefore(q, db, D, qXZ, dbXZ));
    assert.deepEqual(Array.from(b.firstCorrectRank), Array.from(a.firstCorrectRank.subarray(0, 10)));
    assert.equal(tf.memory().numTensors, tensors, 'the database stays, nothing else is left');
    assert.throws(() => recallFromDescriptors(q, rdb, D + 1, qXZ, dbXZ), /recallFromDescriptors: db: expected a database of 25-d descriptors, got 24-d/);
    rdb.dispose();
  });
});
