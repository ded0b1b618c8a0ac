import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import {
  compose, fromRt, identity4, invert, mat4From3x4, mat4To3x4, toRt, transformPoint, transformPoints,
  transformPointsKeepChannels,
} from '../../src/geometry/se3.js';
import { rotationAboutAxis } from '../../src/geometry/so3.js';
import { assertClose, randomCloud, randomRigid } from '../helpers/geometry.js';

describe('SE(3) in typed arrays', () => {
  it('moves a point by hand: quarter turn about z, then +(1, 2, 3)', () => {
    const bFromA = fromRt(rotationAboutAxis('z', Math.PI / 2), [1, 2, 3]);
    // R (2, 0, 0) = (0, 2, 0); + t = (0 + 1, 2 + 2, 0 + 3)
    assertClose(transformPoint(bFromA, [2, 0, 0]), [1, 4, 3], 1e-15);
    assertClose(transformPoints(bFromA, new Float32Array([2, 0, 0, 0, 0, 1])), [1, 4, 3, 1, 2, 4], 1e-6);
  });
  it('composes right to left: compose(cFromB, bFromA) applies bFromA first', () => {
    const bFromA = fromRt(rotationAboutAxis('z', Math.PI / 2), [0, 0, 0]);
    const cFromB = fromRt(rotationAboutAxis('x', 0), [10, 0, 0]);
    // p_A = (1, 0, 0) -> p_B = (0, 1, 0) -> p_C = (10, 1, 0)
    assertClose(transformPoint(compose(cFromB, bFromA), [1, 0, 0]), [10, 1, 0], 1e-15);
    // the other order: translate first, then rotate: (11, 0, 0) -> (0, 11, 0)
    assertClose(transformPoint(compose(bFromA, cFromB), [1, 0, 0]), [0, 11, 0], 1e-14);
  });
  it('invert(T) composed with T is the identity, either side, and chains', () => {
    const rng = createRng(51);
    for (let k = 0; k < 50; k++) {
      const T = randomRigid(rng), U = randomRigid(rng);
      assertClose(compose(invert(T), T), identity4(), 1e-13);
      assertClose(compose(T, invert(T)), identity4(), 1e-13);
      assertClose(invert(compose(T, U)), compose(invert(U), invert(T)), 1e-12);
      assertClose(compose(T, U, invert(U)), T, 1e-12);
    }
  });
  it('agrees point-wise with composing transforms', () => {
    const rng = createRng(52);
    const T = randomRigid(rng), U = randomRigid(rng);
    const p = randomCloud(rng, 100);
    assertClose(transformPoints(T, transformPoints(U, p)), transformPoints(compose(T, U), p), 1e-4);
  });
  it('keeps extra channels and honours the stride', () => {
    const T = fromRt(rotationAboutAxis('z', 0), [1, 0, 0]);
    const p = new Float32Array([1, 2, 3, 0.5, 4, 5, 6, 0.25]);
    assertClose(transformPoints(T, p, 4), [2, 2, 3, 5, 5, 6], 0);
    assertClose(transformPointsKeepChannels(T, p, 4), [2, 2, 3, 0.5, 5, 5, 6, 0.25], 0);
  });
  it('reads and writes KITTI 3x4 rows, and splits into R, t', () => {
    const m = [1, 0, 0, 5, 0, 1, 0, 6, 0, 0, 1, 7];
    const T = mat4From3x4(m);
    assertClose(T, [...m, 0, 0, 0, 1], 0);
    assertClose(mat4To3x4(T), m, 0);
    const { R, t } = toRt(T);
    assertClose(R, [1, 0, 0, 0, 1, 0, 0, 0, 1], 0);
    assertClose(t, [5, 6, 7], 0);
  });
  it('writes into a given buffer and checks shapes with readable errors', () => {
    const out = new Float32Array(3);
    assert.equal(transformPoints(identity4(), [1, 2, 3], 3, out), out);
    assert.throws(() => transformPoints(identity4(), new Float32Array(7), 4), /pointsA: expected a flat array of N x 4 values, got length 7/);
    assert.throws(() => transformPoints(identity4(), new Float32Array(6), 3, new Float32Array(5)), /out: expected length 6/);
    assert.throws(() => compose(identity4()), /at least 2 transforms/);
    assert.throws(() => invert(new Float64Array(16)), /last row is \[0, 0, 0, 0\]/);
    assert.throws(() => mat4From3x4([1, 2, 3]), /mat4From3x4: m: expected 12 numbers/);
  });
});
