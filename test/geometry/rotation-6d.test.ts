import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { matrixToRotation6d, rotation6dToMatrix } from '../../src/geometry/rotation-6d.js';
import { rotationError } from '../../src/geometry/so3.js';
import { assertClose, randomRotation } from '../helpers/geometry.js';

describe('6D rotation representation (typed arrays)', () => {
  it('takes the first two COLUMNS of R', () => {
    const R = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    assertClose(matrixToRotation6d(R), [1, 4, 7, 2, 5, 8], 0);
  });
  it('Gram-Schmidt on hand vectors: a1 = (2, 0, 0), a2 = (1, 3, 0) gives the identity', () => {
    // b1 = a1 / 2 = x; a2 - (b1 . a2) b1 = (0, 3, 0) -> b2 = y; b3 = x cross y = z
    assertClose(rotation6dToMatrix([2, 0, 0, 1, 3, 0]), [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-16);
  });
  it('round-trips R -> 6D -> R', () => {
    const rng = createRng(31);
    for (let k = 0; k < 100; k++) {
      const R = randomRotation(rng);
      assertClose(rotation6dToMatrix(matrixToRotation6d(R)), R, 1e-14, `sample ${k}`);
    }
  });
  it('gives a rotation (orthonormal, det +1) for random 6-vectors', () => {
    const rng = createRng(32);
    for (let k = 0; k < 200; k++) {
      const x = Array.from({ length: 6 }, () => rng.normal() * 10);
      const R = rotation6dToMatrix(x);
      assert.ok(rotationError(R) < 1e-14, `sample ${k}: error ${rotationError(R)}`);
    }
  });
  it('rejects degenerate input with a readable error', () => {
    assert.throws(() => rotation6dToMatrix([0, 0, 0, 1, 0, 0]), /first column has norm 0/);
    assert.throws(() => rotation6dToMatrix([1, 2, 3, 2, 4, 6]), /parallel to the first/);
    assert.throws(() => rotation6dToMatrix([1, 2, 3]), /expected 6 numbers/);
  });
});
