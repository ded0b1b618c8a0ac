import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApproximateIndex, validateApproximateIndexConfig } from '../../src/localization/ann-index.js';
import { createResidentDatabase } from '../../src/metrics/resident-database.js';
import { createRng } from '../../src/core/rng.js';

const N = 400, D = 12;
const rng = createRng(3);
const rows = Float32Array.from({ length: N * D }, () => rng.normal());
const sqDist = (q: ArrayLike<number>, i: number): number => { let s = 0; for (let j = 0; j < D; j++) s += (q[j] - rows[i * D + j]) ** 2; return s; };

describe('approximate index (usearch HNSW)', () => {
  const index = createApproximateIndex(rows, D);
  it('finds every row itself at distance 0, and leaves it out when asked', () => {
    for (let i = 0; i < N; i += 7) {
      const q = rows.subarray(i * D, (i + 1) * D);
      const r = index.query(q, 3);
      assert.equal(r.indices[0], i);
      assert.ok(r.distancesSq[0] < 1e-9);
      const x = index.query(q, 3, i);
      assert.equal(x.indices.length, 3);
      assert.ok(!Array.from(x.indices).includes(i));
    }
  });
  it('returns squared Euclidean distances, nearest first, and agrees with exact search on this small set', () => {
    const exact = createResidentDatabase(rows, D);
    let same = 0;
    for (let t = 0; t < 50; t++) {
      const q = Float32Array.from({ length: D }, () => rng.normal());
      const a = index.query(q, 5), e = exact.query(q, 5);
      a.indices.forEach((r, k) => assert.ok(Math.abs(a.distancesSq[k] - sqDist(q, r)) < 1e-3 * Math.max(1, sqDist(q, r)), `row ${r}`));
      for (let k = 1; k < 5; k++) assert.ok(a.distancesSq[k] >= a.distancesSq[k - 1]);
      same += a.indices[0] === e.indices[0] ? 1 : 0;
    }
    exact.dispose();
    assert.ok(same >= 48, `top-1 equal to exact search on ${same} of 50 queries`);
  });
  it('builds the same graph twice with one thread (the default): the same answers', () => {
    const again = createApproximateIndex(rows, D, { expansionSearch: 4 }), first = createApproximateIndex(rows, D, { expansionSearch: 4 });
    for (let t = 0; t < 30; t++) {
      const q = Float32Array.from({ length: D }, () => rng.normal());
      assert.deepEqual(again.query(q, 10).indices, first.query(q, 10).indices);
    }
  });
  it('names bad settings and bad input', () => {
    assert.throws(() => validateApproximateIndexConfig({ connectivity: 1 }), /approximateIndex\.connectivity/);
    assert.throws(() => validateApproximateIndexConfig({ storage: 'f8' as 'f32' }), /approximateIndex\.storage/);
    assert.throws(() => createApproximateIndex(new Float32Array(10), 3), /N x 3/);
    assert.throws(() => index.query(new Float32Array(D + 1), 1), /12 values/);
    assert.throws(() => index.query(new Float32Array(D), N + 1), /\[1, 400\]/);
  });
});
