/** Test helper: asserts poses are rigid transforms. */
import assert from 'node:assert/strict';
import type { Tensor3D } from '../../src/core/tf.js';

/** Asserts every [4, 4] of a [B, 4, 4] tensor is rigid: R^T R = I, det R = 1, last row (0, 0, 0, 1), to `tol`. */
export function assertRigid(T: Tensor3D, tol = 1e-5): void {
  for (const m of T.arraySync() as number[][][]) {
    const R = m.slice(0, 3).map((r) => r.slice(0, 3));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const dot = R[0][i] * R[0][j] + R[1][i] * R[1][j] + R[2][i] * R[2][j];
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < tol, `R^T R [${i}][${j}] = ${dot}`);
    }
    const det = R[0][0] * (R[1][1] * R[2][2] - R[1][2] * R[2][1]) - R[0][1] * (R[1][0] * R[2][2] - R[1][2] * R[2][0]) + R[0][2] * (R[1][0] * R[2][1] - R[1][1] * R[2][0]);
    assert.ok(Math.abs(det - 1) < tol, `det ${det}`);
    assert.deepEqual(m[3], [0, 0, 0, 1]);
  }
}
