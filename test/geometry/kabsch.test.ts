import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { kabsch } from '../../src/geometry/kabsch.js';
import { fromRt, transformPoints } from '../../src/geometry/se3.js';
import { geodesicAngle, rotationAboutAxis, rotationError } from '../../src/geometry/so3.js';
import { assertClose, assertNear, randomCloud, randomRigid, randomRotation } from '../helpers/geometry.js';

function scaled(T: Float64Array, s: number): Float64Array {
  const out = Float64Array.from(T);
  for (const i of [0, 1, 2, 4, 5, 6, 8, 9, 10]) out[i] *= s;
  return out;
}

describe('kabsch (Horn quaternion fit)', () => {
  it('recovers a hand-made motion exactly: quarter turn about z plus (1, 2, 3)', () => {
    const a = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
    // R (1, 0, 0) = (0, 1, 0), R (0, 1, 0) = (-1, 0, 0), then + (1, 2, 3)
    const b = [1, 2, 3, 1, 3, 3, 0, 2, 3, 1, 2, 4];
    const fit = kabsch(a, b);
    assertClose(fit.R, rotationAboutAxis('z', Math.PI / 2), 1e-14);
    assertClose(fit.t, [1, 2, 3], 1e-14);
    assertNear(fit.rmsM, 0, 1e-14);
    assert.equal(fit.scale, 1);
    // three points (always coplanar) are enough
    const three = kabsch(a.slice(3), b.slice(3));
    assertClose(three.bFromA, fit.bFromA, 1e-14);
  });
  it('recovers random motions exactly without noise, including 180-degree turns', () => {
    const rng = createRng(71);
    for (let k = 0; k < 50; k++) {
      const T = k === 0 ? fromRt(rotationAboutAxis('y', Math.PI), [1, 0, 0]) : randomRigid(rng);
      const a = randomCloud(rng, 20, 3, -5, 5);
      const b = transformPoints(T, a);
      const fit = kabsch(a, b);
      assertClose(fit.bFromA, T, 1e-5, `motion ${k}`);
      assert.ok(rotationError(fit.R) < 1e-12);
    }
  });
  it('stays within noise-level error bounds with 1 cm Gaussian noise on 500 points', () => {
    const rng = createRng(72);
    for (let k = 0; k < 10; k++) {
      const T = randomRigid(rng);
      const a = randomCloud(rng, 500, 3, -10, 10);
      const b = transformPoints(T, a).map((v) => v + 0.01 * rng.normal());
      const fit = kabsch(a, b);
      // rms of the residual ~ sigma sqrt(3) = 0.0173 m; rotation error ~ sigma / (extent sqrt N) << 1 mrad
      assert.ok(fit.rmsM > 0.012 && fit.rmsM < 0.022, `rms ${fit.rmsM}`);
      assert.ok(geodesicAngle(fit.R, T.filter((_, i) => i < 11 && i % 4 !== 3)) < 1e-3, 'rotation error');
      assert.ok(Math.hypot(fit.t[0] - T[3], fit.t[1] - T[7], fit.t[2] - T[11]) < 0.01, 'translation error');
    }
  });
  it('uses weights: zero-weight outliers are ignored, and weights equal repeated points', () => {
    const rng = createRng(73);
    const T = randomRigid(rng);
    const a = randomCloud(rng, 30, 3, -5, 5);
    const b = transformPoints(T, a);
    const w = new Float64Array(30).fill(1);
    for (let i = 0; i < 5; i++) { b[3 * i] += 50; w[i] = 0; } // gross outliers, weight 0
    const fit = kabsch(a, b, { weights: w });
    assertClose(fit.bFromA, T, 1e-5);
    assertNear(fit.rmsM, 0, 1e-5);
    // weight 2 on point 0 == point 0 listed twice
    const b2 = transformPoints(T, a).map((v) => v + 0.05 * rng.normal());
    const w2 = new Float64Array(30).fill(1); w2[0] = 2;
    const a3 = new Float32Array([...a, ...a.subarray(0, 3)]), b3 = new Float32Array([...b2, ...b2.subarray(0, 3)]);
    assertClose(kabsch(a, b2, { weights: w2 }).bFromA, kabsch(a3, b3).bFromA, 1e-9);
  });
  it('fits a similarity with withScale (Umeyama scale)', () => {
    const rng = createRng(74);
    const T = randomRigid(rng);
    const a = randomCloud(rng, 40, 3, -5, 5);
    const b = transformPoints(scaled(T, 2.5), a);
    const fit = kabsch(a, b, { withScale: true });
    assertNear(fit.scale, 2.5, 1e-6);
    assertClose(fit.bFromA, scaled(T, 2.5), 1e-5);
    assert.ok(kabsch(a, b).rmsM > 1, 'a rigid fit cannot explain a scale of 2.5');
  });
  it('rejects degenerate input with clear errors', () => {
    assert.throws(() => kabsch([0, 0, 0, 1, 0, 0], [0, 0, 0, 1, 0, 0]), /at least 3 point pairs with positive weight, got 2/);
    const line = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];
    assert.throws(() => kabsch(line, line), /source points are collinear/);
    const same = [1, 1, 1, 1, 1, 1, 1, 1, 1];
    assert.throws(() => kabsch(same, same), /coincident/);
    const tri = [0, 0, 0, 1, 0, 0, 0, 1, 0];
    assert.throws(() => kabsch(tri, [5, 5, 5, 5, 5, 5, 5, 5, 5]), /rotation is not unique/);
    assert.throws(() => kabsch(tri, [0, 0, 0]), /pointsB.*has 1 points but pointsA has 3/);
    assert.throws(() => kabsch(tri, tri, { weights: [1, -1, 1] }), /weight 1 is -1/);
    assert.throws(() => kabsch(tri, tri, { weights: [1, 0, 1] }), /got 2/);
    assert.throws(() => kabsch([0, 0, NaN, 1, 0, 0, 0, 1, 0], tri), /pointsA.*point 0\) is NaN/);
  });
  it('handles a random rotation with all eigen-branches (many seeds)', () => {
    const rng = createRng(75);
    for (let k = 0; k < 100; k++) {
      const R = randomRotation(rng);
      const a = randomCloud(rng, 4, 3, -1, 1);
      const fit = kabsch(a, transformPoints(fromRt(R, [0, 0, 0]), a));
      assert.ok(geodesicAngle(fit.R, R) < 1e-6, `seed ${k}`);
    }
  });
});
