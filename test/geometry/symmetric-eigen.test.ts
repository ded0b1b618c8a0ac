import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { symmetricEigen } from '../../src/geometry/symmetric-eigen.js';
import { assertClose } from '../helpers/geometry.js';

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('solves [[2, 1], [1, 2]] by hand: eigenvalues 3 and 1, vectors (1, 1)/sqrt2 and (1, -1)/sqrt2', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    assertClose(values, [3, 1], 1e-15);
    const v0 = [vectors[0], vectors[2]], v1 = [vectors[1], vectors[3]];
    assertClose(v0.map((x) => x * Math.sign(v0[0])), [Math.SQRT1_2, Math.SQRT1_2], 1e-15);
    assertClose(v1.map((x) => x * Math.sign(v1[0])), [Math.SQRT1_2, -Math.SQRT1_2], 1e-15);
  });
  it('reconstructs random symmetric 4x4 matrices: A = V diag(l) V^T, V orthonormal, sorted descending', () => {
    const rng = createRng(81);
    for (let k = 0; k < 50; k++) {
      const A = new Float64Array(16);
      for (let i = 0; i < 4; i++) for (let j = i; j < 4; j++) { A[4 * i + j] = rng.normal(); A[4 * j + i] = A[4 * i + j]; }
      const { values: l, vectors: V, sweeps } = symmetricEigen(A, 4);
      assert.ok(sweeps <= 10, `sweeps ${sweeps}`);
      for (let i = 0; i < 3; i++) assert.ok(l[i] >= l[i + 1]);
      const rec = new Float64Array(16), VtV = new Float64Array(16);
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          for (let m = 0; m < 4; m++) { rec[4 * i + j] += V[4 * i + m] * l[m] * V[4 * j + m]; VtV[4 * i + j] += V[4 * m + i] * V[4 * m + j]; }
        }
      }
      assertClose(rec, A, 1e-13);
      assertClose(VtV, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 1e-14);
    }
  });
  it('handles a diagonal, a zero and a repeated-eigenvalue matrix', () => {
    assertClose(symmetricEigen([1, 0, 0, 0, 5, 0, 0, 0, 3], 3).values, [5, 3, 1], 0);
    assertClose(symmetricEigen(new Float64Array(9), 3).values, [0, 0, 0], 0);
    assertClose(symmetricEigen([2, 0, 0, 0, 2, 0, 0, 0, 2], 3).values, [2, 2, 2], 0);
  });
  it('rejects a wrong size or NaN', () => {
    assert.throws(() => symmetricEigen([1, 2, 3], 2), /n x n matrix/);
    assert.throws(() => symmetricEigen([1, NaN, NaN, 1], 2), /entry \(0, 1\) is NaN/);
  });
});
