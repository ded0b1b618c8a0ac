import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import {
  axisAngleFromRotation, geodesicAngle, isRotation, orthonormalityError, rotationAboutAxis, rotationAngle, rotationError,
  rotationFromAxisAngle, skew,
} from '../../src/geometry/so3.js';
import { matmul3, mulMat3Vec3, transpose3 } from '../../src/geometry/matrix.js';
import { assertClose, assertNear, randomRotation } from '../helpers/geometry.js';

describe('rotationFromAxisAngle (Rodrigues)', () => {
  it('turns x into y for a quarter turn about z', () => {
    const R = rotationFromAxisAngle([0, 0, Math.PI / 2]);
    assertClose(mulMat3Vec3(R, [1, 0, 0]), [0, 1, 0], 1e-15);
    assertClose(mulMat3Vec3(R, [0, 1, 0]), [-1, 0, 0], 1e-15);
  });
  it('matches cos/sin for a turn of 0.3 rad about x', () => {
    const R = rotationFromAxisAngle([0.3, 0, 0]);
    assertClose(R, [1, 0, 0, 0, Math.cos(0.3), -Math.sin(0.3), 0, Math.sin(0.3), Math.cos(0.3)], 1e-15);
    assertClose(R, rotationAboutAxis('x', 0.3), 1e-15);
  });
  it('matches scipy Rotation.from_rotvec([0.3, -1.2, 2.0])', () => {
    const expected = [-0.6761172459106024, -0.7150638736881625, -0.17762073732630718,
      0.4932248264352887, -0.26016903231146404, -0.8300851433521715,
      0.5473524827477636, -0.6488418383336539, 0.5285920245876429];
    assertClose(rotationFromAxisAngle([0.3, -1.2, 2.0]), expected, 1e-14);
  });
  it('is I + [w]x to first order for tiny angles (series branch)', () => {
    const w = [1e-9, -2e-9, 3e-9];
    const K = skew(w);
    const R = rotationFromAxisAngle(w);
    assertClose(R, [1, K[1], K[2], K[3], 1, K[5], K[6], K[7], 1], 1e-17);
  });
  it('is continuous across the series threshold t = 1e-4', () => {
    const a = rotationFromAxisAngle([0, 0, 1e-4 * (1 - 1e-9)]);
    const b = rotationFromAxisAngle([0, 0, 1e-4 * (1 + 1e-9)]);
    assertClose(a, b, 1e-12);
  });
  it('rejects NaN with a message naming the argument', () => {
    assert.throws(() => rotationFromAxisAngle([0, NaN, 0]), /rotationFromAxisAngle: omega.*entry 1/);
    assert.throws(() => rotationFromAxisAngle([0, 1]), /expected 3 numbers/);
  });
});

describe('axisAngleFromRotation', () => {
  it('round-trips random rotation vectors of every size in (0, pi)', () => {
    const rng = createRng(1);
    for (let k = 0; k < 200; k++) {
      const v = [rng.normal(), rng.normal(), rng.normal()];
      const n = Math.hypot(v[0], v[1], v[2]);
      const t = rng.uniform(0, Math.PI - 1e-6);
      const w = v.map((x) => (x / n) * t);
      assertClose(axisAngleFromRotation(rotationFromAxisAngle(w)), w, 1e-12, `sample ${k}`);
    }
  });
  it('is accurate for tiny angles (1e-12 rad)', () => {
    const w = [1e-12, -3e-12, 2e-12];
    assertClose(axisAngleFromRotation(rotationFromAxisAngle(w)), w, 1e-24);
    assertClose(axisAngleFromRotation(rotationFromAxisAngle([0, 0, 0])), [0, 0, 0], 0);
  });
  it('is accurate near and at pi (axis up to sign)', () => {
    for (const t of [Math.PI, Math.PI - 1e-7, Math.PI - 1e-3]) {
      const a = [2 / 7, -3 / 7, 6 / 7]; // unit: 4 + 9 + 36 = 49
      const w = a.map((x) => x * t);
      const back = axisAngleFromRotation(rotationFromAxisAngle(w));
      const sign = Math.sign(back[0]) === Math.sign(w[0]) ? 1 : -1;
      assertClose(back.map((x) => x * sign), w, 1e-9, `t = ${t}`);
      assertClose(rotationFromAxisAngle(back), rotationFromAxisAngle(w), 1e-12);
    }
  });
});

describe('rotationAngle / geodesicAngle', () => {
  it('gives the angle of a known relative rotation', () => {
    const Ra = rotationAboutAxis('z', 0.2);
    const Rb = rotationAboutAxis('z', 0.2 + 0.5);
    assertNear(geodesicAngle(Ra, Rb), 0.5, 1e-14);
    assertNear(geodesicAngle(Rb, Ra), 0.5, 1e-14);
    assertNear(geodesicAngle(Ra, Ra), 0, 1e-15);
  });
  it('is accurate near 0 and pi (where acos of the trace is not)', () => {
    assertNear(rotationAngle(rotationFromAxisAngle([1e-9, 0, 0])), 1e-9, 1e-20);
    assertNear(rotationAngle(rotationFromAxisAngle([0, Math.PI - 1e-9, 0])), Math.PI - 1e-9, 1e-15);
  });
  it('is invariant to a common left rotation', () => {
    const rng = createRng(2);
    const A = randomRotation(rng), B = randomRotation(rng), C = randomRotation(rng);
    assertNear(geodesicAngle(matmul3(C, A), matmul3(C, B)), geodesicAngle(A, B), 1e-12);
  });
});

describe('isRotation / rotationError', () => {
  it('accepts rotations and rejects reflections and scalings', () => {
    const R = randomRotation(createRng(3));
    assert.ok(isRotation(R));
    assert.ok(isRotation(transpose3(R)));
    assert.ok(!isRotation([1, 0, 0, 0, 1, 0, 0, 0, -1]));
    assert.ok(!isRotation([2, 0, 0, 0, 1, 0, 0, 0, 1]));
    assertNear(rotationError([1, 0, 0, 0, 1, 0, 0, 0, -1]), 2, 0); // det = -1: |det - 1| = 2
  });
  it('orthonormalityError measures R^T R - I only: a reflection scores 0, a scaling its (s^2 - 1)', () => {
    assertNear(orthonormalityError([1, 0, 0, 0, 1, 0, 0, 0, -1]), 0, 0);
    assertNear(orthonormalityError([2, 0, 0, 0, 1, 0, 0, 0, 1]), 2 * 2 - 1, 0);
    assert.ok(orthonormalityError(randomRotation(createRng(4))) < 1e-12);
  });
  it('rotationAboutAxis rejects an unknown axis', () => {
    assert.throws(() => rotationAboutAxis('w' as 'x', 1), /expected 'x', 'y' or 'z'/);
  });
});
