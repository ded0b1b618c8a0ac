import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { groundDistance, groundDistanceMatrix, groundPositionsFromPoses, positivesWithin, sampleNegatives } from '../../src/modalink/ground-distance.js';
import { assertClose } from '../helpers/geometry.js';

/** A KITTI pose line (identity rotation) with translation (x, y, z). */
const pose = (x: number, y: number, z: number): number[] => [1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, z];

describe('ground-plane distance', () => {
  it('uses x and z (indices 3 and 11), never y (index 7, height)', () => {
    const xz = groundPositionsFromPoses([pose(1, 0, 2), pose(1, 50, 2), pose(4, 0, 6)]);
    assertClose(xz, [1, 2, 1, 2, 4, 6], 0);
    assert.equal(groundDistance(xz, 0, 1), 0); // differs only in y
    assert.equal(groundDistance(xz, 0, 2), 5); // 3-4-5
    assertClose(groundDistanceMatrix(xz, xz), [0, 0, 5, 0, 0, 5, 5, 5, 0], 0);
    assert.throws(() => groundPositionsFromPoses([[1, 2, 3]]), /poses\[0\]: expected 12/);
  });
  it('finds positives within a radius, nearest first', () => {
    const xz = [0, 0, 0, 9, 0, 3, 0, 10, 0, 11];
    assert.deepEqual(Array.from(positivesWithin(0, xz, 10)), [2, 1, 3]);
    assert.deepEqual(Array.from(positivesWithin(0, xz, 10, false)), [0, 2, 1, 3]);
  });
});

describe('sampleNegatives', () => {
  // frames on a line, 1 m apart: frame j at x = j
  const xz = Float64Array.from({ length: 2 * 100 }, (_, i) => (i % 2 === 0 ? i / 2 : 0));
  it('returns the nearest frame beyond the threshold plus distinct random ones beyond it', () => {
    const neg = sampleNegatives(50, xz, 20, 10, createRng(1));
    assert.equal(neg.length, 10);
    assert.ok(neg[0] === 29 || neg[0] === 71, `hardest ${neg[0]}`); // 21 m away: first beyond 20 m
    assert.ok(Array.from(neg).every((j) => Math.abs(j - 50) > 20));
    assert.equal(new Set(neg).size, 10);
  });
  it('is seeded', () => {
    assert.deepEqual(sampleNegatives(3, xz, 5, 10, createRng(2)), sampleNegatives(3, xz, 5, 10, createRng(2)));
    assert.notDeepEqual(sampleNegatives(3, xz, 5, 10, createRng(2)), sampleNegatives(3, xz, 5, 10, createRng(3)));
  });
  it('refuses when too few frames lie beyond the threshold', () => {
    assert.throws(() => sampleNegatives(50, xz, 45, 10, createRng(1)), /only 9 frames lie farther than 45 m from frame 50, need count = 10/);
  });
});
