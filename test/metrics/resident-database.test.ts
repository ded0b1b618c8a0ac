import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor2D } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { searchNearest } from '../../src/metrics/recall.js';
import { createResidentDatabase, validateResidentDatabaseConfig } from '../../src/metrics/resident-database.js';
import { assertClose } from '../helpers/geometry.js';
import { randomNormal } from '../helpers/grad-check.js';

/** searchNearest (the one-shot search the evaluation used before) on the same arrays. */
function reference(q: Float32Array, db: Float32Array, D: number, k: number, excludeIndex?: Int32Array) {
  const [qt, dbt] = [tf.tensor2d(q, [q.length / D, D]), tf.tensor2d(db, [db.length / D, D])];
  const r = searchNearest(qt, dbt, k, { excludeIndex });
  tf.dispose([qt, dbt]);
  return r;
}

describe('createResidentDatabase (float32, exact)', () => {
  it('ranks a hand-made database, ties to the lower index', () => {
    // rows (0,0) (1,0) (0,2) (3,4); query (1,1): d^2 = 2, 1, 1 + 1 = 2, 4 + 9 = 13
    const db = createResidentDatabase(Float32Array.from([0, 0, 1, 0, 0, 2, 3, 4]), 2);
    const r = db.query(Float32Array.from([1, 1]), 4);
    assert.deepEqual(Array.from(r.indices), [1, 0, 2, 3]); // rows 0 and 2 tie at 2: 0 first
    assertClose(r.distancesSq, [1, 2, 2, 13], 1e-6, 'd^2');
    assert.deepEqual(Array.from(db.query(Float32Array.from([1, 1]), 3, 1).indices), [0, 2, 3]); // own scan 1 left out
    assert.equal(db.bytes, 4 * (4 * 2 + 4)); // 4 rows x D = 2, plus 4 norms
    db.dispose();
  });
  it('gives searchNearest\'s ranked indices on seeded data with duplicated rows, by convolution or matMul, in any chunk size', () => {
    const [Q, N, D, k] = [9, 41, 12, 6];
    const db = randomNormal(11, N * D);
    for (const [dst, src] of [[7, 3], [40, 3], [21, 20], [22, 20]]) db.copyWithin(dst * D, src * D, (src + 1) * D); // exact ties
    const q = randomNormal(12, Q * D);
    q.set(db.subarray(3 * D, 4 * D), 0); // query 0 sits on the tied rows 3, 7, 40
    const ex = Int32Array.from({ length: Q }, (_, i) => (i % 3 === 0 ? -1 : (i * 5) % N));
    for (const [convolutionMaxQueries, chunkSize] of [[4, 256], [4, 4], [0, 1], [16, 9]]) { // matMul, conv (chunks 4 4 1), matMul per query, one conv
      const before = tf.memory().numTensors;
      const rdb = createResidentDatabase(db, D, { convolutionMaxQueries, chunkSize });
      for (const exclude of [undefined, ex]) {
        const ref = reference(q, db, D, k, exclude);
        const r = rdb.queryBatch(q, k, exclude);
        assert.deepEqual(r.indices, ref.indices, `conv up to ${convolutionMaxQueries}, chunk ${chunkSize}, exclude ${!!exclude}`);
        assertClose(r.distancesSq, ref.distancesSq, 1e-4, 'd^2');
      }
      assert.deepEqual(Array.from(rdb.queryBatch(q, k).indices.subarray(0, 3)), [3, 7, 40]);
      const one = rdb.query(q.subarray(2 * D, 3 * D), k, ex[2]);
      assert.deepEqual(one.indices, reference(q.subarray(2 * D, 3 * D), db, D, k, ex.subarray(2, 3)).indices);
      const qt = tf.tensor2d(q, [Q, D]);
      assert.deepEqual(rdb.queryBatch(qt as Tensor2D, k).indices, reference(q, db, D, k).indices); // tensor input
      qt.dispose();
      rdb.dispose();
      assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    }
  });
  it('rejects bad input and config, naming the field', () => {
    assert.throws(() => createResidentDatabase(new Float32Array(7), 2), /createResidentDatabase: rows: expected N x 2 values/);
    assert.throws(() => validateResidentDatabaseConfig({ shards: 0 }), (e: unknown) => e instanceof ConfigError && /residentDatabase\.shards/.test(e.message));
    assert.throws(() => validateResidentDatabaseConfig({ storage: 'int4' as never }), /residentDatabase\.storage/);
    const db = createResidentDatabase(randomNormal(1, 12), 3);
    assert.throws(() => db.query(new Float32Array(4), 1), /query: q: expected one descriptor \[3\]/);
    assert.throws(() => db.queryBatch(new Float32Array(7), 1), /queryBatch: queries: expected \[Q, 3\]/);
    assert.throws(() => db.query(new Float32Array(3), 5), /k/);
    assert.throws(() => db.query(new Float32Array(3), 4, 0), /k/); // with a row left out, at most N - 1
    assert.throws(() => db.queryBatch(new Float32Array(3), 1, Int32Array.of(4)), /excludeIndex: expected -1 or a row in \[0, 4\), got 4/);
    db.dispose();
    assert.throws(() => db.query(new Float32Array(3), 1), /disposed/);
  });
});

describe('createResidentDatabase (float16, int8)', () => {
  it('is exact when every value is exactly representable', () => {
    // multiples of 1/8 of a few units: exact in half precision (and every dot product exact in float32)
    const [N, D, Q, k] = [20, 5, 4, 8];
    const db = Float32Array.from(randomNormal(3, N * D), (v) => Math.round(v * 8) / 8);
    const q = Float32Array.from(randomNormal(4, Q * D), (v) => Math.round(v * 8) / 8);
    const half = createResidentDatabase(db, D, { storage: 'float16', blockRows: 6 });
    assert.deepEqual(half.queryBatch(q, k).indices, reference(q, db, D, k).indices);
    assert.equal(half.bytes, 2 * N * D + 4 * N);
    half.dispose();
    const ints = Float32Array.from({ length: N * D }, (_, i) => (i % D === 0 ? 127 : ((i * 37) % 255) - 127)); // integers, each row holding 127: scale 1, codes = values
    const i8 = createResidentDatabase(ints, D, { storage: 'int8', blockRows: 7, shards: 3 });
    const refInt = reference(q, ints, D, k);
    const r = i8.queryBatch(q, k);
    assert.deepEqual(r.indices, refInt.indices);
    assertClose(r.distancesSq, refInt.distancesSq, 1e-3 * Math.max(...refInt.distancesSq), 'd^2');
    assert.equal(i8.bytes, N * D + 4 * N + 4 * N);
    i8.dispose();
  });
  it('stays close to the exact distances on random data, without leaks', () => {
    const [N, D, Q, k] = [300, 64, 5, 10];
    const db = randomNormal(5, N * D), q = randomNormal(6, Q * D);
    const ref = reference(q, db, D, k);
    const before = tf.memory().numTensors;
    for (const [storage, relTol] of [['float16', 2e-3], ['int8', 5e-2]] as const) {
      const rdb = createResidentDatabase(db, D, { storage, blockRows: 128 });
      const r = rdb.queryBatch(q, k);
      for (let i = 0; i < Q * k; i++) assert.ok(Math.abs(r.distancesSq[i] - ref.distancesSq[i]) <= relTol * ref.distancesSq[i], `${storage} ${i}: ${r.distancesSq[i]} vs ${ref.distancesSq[i]}`);
      const first = Array.from({ length: Q }, (_, j) => r.indices[j * k]);
      assert.deepEqual(first, Array.from({ length: Q }, (_, j) => ref.indices[j * k]), `${storage} nearest row`);
      rdb.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  });
});
