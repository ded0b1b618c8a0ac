import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { searchNearest } from '../../src/metrics/recall.js';
import { pcaProject } from '../../src/modalink/descriptor-pca.js';
import { fitPcaBasis } from '../../src/modalink/randomized-pca.js';
import { createPcaDatabase } from '../../src/modalink/pca-database.js';
import { assertClose } from '../helpers/geometry.js';

/** N rows near a rank-L subspace (latent scales 2^-l), offset 3, plus noise. */
function lowRank(N: number, D: number, L: number, noise: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const A = Array.from({ length: N * L }, () => rng.normal()), B = Array.from({ length: L * D }, () => rng.normal());
  return Float32Array.from({ length: N * D }, (_, i) => {
    const [r, j] = [Math.floor(i / D), i % D];
    let s = 3;
    for (let l = 0; l < L; l++) s += A[r * L + l] * B[l * D + j] * 2 ** -l;
    return s + noise * rng.normal();
  });
}

describe('fitPcaBasis (randomized)', () => {
  it('finds the variances and directions of the exact float64 power iteration', () => {
    const [N, D, d] = [60, 40, 5];
    const x = lowRank(N, D, 8, 0.01, 1);
    const before = tf.memory().numTensors;
    const f = fitPcaBasis(x, N, D, d);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    const ref = pcaProject(x, N, D, d, 500);
    assertClose(f.variance, ref.variance, 1e-4 * ref.variance[0], 'variance');
    assert.ok(Math.abs(f.totalVariance - ref.totalVariance) < 1e-4 * ref.totalVariance);
    for (let k = 0; k < d; k++) {
      let dot = 0, norm = 0;
      for (let j = 0; j < D; j++) { dot += f.components[k * D + j] * ref.components[k * D + j]; norm += f.components[k * D + j] ** 2; }
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-4, `component ${k}: |cos| ${Math.abs(dot)}`); // same axis, either sign
      assert.ok(Math.abs(norm - 1) < 1e-5, `component ${k} unit`);
    }
    for (let j = 0; j < D; j++) assert.ok(Math.abs(f.mean[j] - x.filter((_, i) => i % D === j).reduce((a, v) => a + v, 0) / N) < 1e-4);
  });
  it('rejects bad input and config, naming the field', () => {
    const x = lowRank(10, 6, 2, 0.1, 2);
    assert.throws(() => fitPcaBasis(x, 10, 6, 10), /fitPcaBasis: dims: expected an integer in \[1, 6\]/);
    assert.throws(() => fitPcaBasis(x.subarray(1), 10, 6, 2), /fitPcaBasis: rows/);
    assert.throws(() => fitPcaBasis(x, 10, 6, 2, { powerIterations: -1 }), (e: unknown) => e instanceof ConfigError && /randomizedPca\.powerIterations/.test(e.message));
  });
});

describe('createPcaDatabase', () => {
  it('ranks exactly as the full search when the kept directions span the data', () => {
    // rank-4 rows (no noise) in 30-d: 4 directions hold all the variance, so projected distances are the distances
    const [N, D, Q, k] = [80, 30, 6, 10];
    const x = lowRank(N + Q, D, 4, 0, 3);
    const [db, q] = [x.subarray(0, N * D), x.subarray(N * D)];
    const before = tf.memory().numTensors;
    const pdb = createPcaDatabase(db, D, { dims: 4 });
    assert.ok(pdb.keptVariance > 1 - 1e-5, `kept ${pdb.keptVariance}`);
    assert.equal(pdb.dim, D);
    assert.equal(pdb.bytes, 4 * (N * 4 + N) + 4 * (4 * D + 4)); // projections N x 4, norms, basis
    const [qt, dbt] = [tf.tensor2d(q, [Q, D]), tf.tensor2d(db, [N, D])];
    const ref = searchNearest(qt, dbt, k);
    const r = pdb.queryBatch(q, k);
    assert.deepEqual(r.indices, ref.indices);
    assertClose(r.distancesSq, ref.distancesSq, 1e-3 * Math.max(...ref.distancesSq), 'd^2');
    const own = r.indices[2 * k], q2 = tf.tensor2d(q.subarray(2 * D, 3 * D), [1, D]); // query 2 without its nearest row
    assert.deepEqual(pdb.query(q2, k, own).indices, searchNearest(q2, dbt, k, { excludeIndex: Int32Array.of(own) }).indices);
    q2.dispose();
    tf.dispose([qt, dbt]);
    pdb.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    assert.throws(() => createPcaDatabase(db, D, { dims: 4, extra: 1 } as never), /pcaDatabase\.extra/);
    assert.throws(() => createPcaDatabase(db, 7), /createPcaDatabase: rows: expected N x 7 values/);
  });
});
