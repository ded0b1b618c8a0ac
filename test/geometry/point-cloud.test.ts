import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import {
  assertFinitePoints, finiteCheck, gatherPoints, randomSubsample, subsampleIndices, voxelDownsample,
} from '../../src/geometry/point-cloud.js';
import { assertClose, randomCloud } from '../helpers/geometry.js';

describe('voxelDownsample', () => {
  it('averages every channel per voxel, in order of first occurrence', () => {
    const pts = new Float32Array([
      0.1, 0.1, 0.1, 1, // voxel (0, 0, 0)
      1.5, 0.2, 0.3, 2, // voxel (1, 0, 0)
      0.3, 0.5, 0.7, 3, // voxel (0, 0, 0)
      -0.5, 0, 0, 4, //    voxel (-1, 0, 0)
    ]);
    const out = voxelDownsample(pts, 4, 1);
    assertClose(out, [(0.1 + 0.3) / 2, (0.1 + 0.5) / 2, (0.1 + 0.7) / 2, (1 + 3) / 2, 1.5, 0.2, 0.3, 2, -0.5, 0, 0, 4], 1e-7);
  });
  it('is deterministic, keeps one point per voxel and reduces a dense cloud', () => {
    const pts = randomCloud(createRng(111), 20000, 4, -5, 5);
    const a = voxelDownsample(pts, 4, 0.5), b = voxelDownsample(pts, 4, 0.5);
    assert.deepEqual(a, b);
    const key = (p: ArrayLike<number>, i: number): string => [0, 1, 2].map((c) => Math.floor(p[i + c] / 0.5)).join(',');
    const occupied = new Set<string>();
    for (let i = 0; i < pts.length; i += 4) occupied.add(key(pts, i));
    assert.equal(a.length / 4, occupied.size); // one centroid per occupied voxel (about 92 % of 20^3 here)
    assert.ok(occupied.size <= 20 * 20 * 20 && occupied.size > 0.9 * 8000);
    const centroidVoxels = new Set<string>();
    for (let i = 0; i < a.length; i += 4) centroidVoxels.add(key(a, i));
    assert.deepEqual(centroidVoxels, occupied); // a centroid stays in its (convex) voxel
  });
  it('rejects non-finite points and bad voxels', () => {
    assert.throws(() => voxelDownsample([0, 0, NaN], 3, 0.1), /point 0, channel 2 = NaN/);
    assert.throws(() => voxelDownsample([0, 0, 0], 3, 0), /voxelM/);
    assert.deepEqual(voxelDownsample(new Float32Array(0), 3, 0.1), new Float32Array(0));
  });
});

describe('randomSubsample (CorrI2P scheme)', () => {
  it('draws n distinct points when n <= N, the same for the same seed', () => {
    const idx = subsampleIndices(100, 40, createRng(5));
    assert.equal(new Set(idx).size, 40);
    assert.deepEqual(idx, subsampleIndices(100, 40, createRng(5)));
    assert.notDeepEqual(idx, subsampleIndices(100, 40, createRng(6)));
  });
  it('pads with whole copies plus distinct random points when n > N', () => {
    const idx = subsampleIndices(10, 25, createRng(7));
    assertClose(idx.subarray(0, 20), [...Array(10).keys(), ...Array(10).keys()], 0);
    const rest = Array.from(idx.subarray(20));
    assert.equal(new Set(rest).size, 5);
    const counts = new Array(10).fill(0);
    idx.forEach((i) => counts[i]++);
    assert.ok(counts.every((c) => c === 2 || c === 3));
  });
  it('gathers all channels and checks indices', () => {
    const pts = randomCloud(createRng(8), 50, 4);
    const s = randomSubsample(pts, 4, 70, createRng(9));
    assert.equal(s.length, 70 * 4);
    assert.deepEqual(s, randomSubsample(pts, 4, 70, createRng(9)));
    assertClose(gatherPoints(pts, 4, [2]), pts.subarray(8, 12), 0);
    assert.throws(() => gatherPoints(pts, 4, [50]), /index 0 is 50; expected an integer in \[0, 50\)/);
    assert.throws(() => subsampleIndices(0, 3, createRng(1)), /empty cloud/);
  });
});

describe('finiteCheck', () => {
  it('reports the first bad point and channel', () => {
    assert.deepEqual(finiteCheck([0, 0, 0, 1, Infinity, 0, NaN, 0, 0], 3), { ok: false, badPoints: 2, firstPoint: 1, firstChannel: 1 });
    assert.deepEqual(finiteCheck([0, 0, 0], 3), { ok: true, badPoints: 0, firstPoint: -1, firstChannel: -1 });
    assert.throws(() => assertFinitePoints('000042.bin', [0, 0, 0, 0, NaN, 0, 0, 0], 4), /000042.bin: 1 point\(s\) have non-finite values; first: point 1, channel 0 = NaN/);
  });
});
