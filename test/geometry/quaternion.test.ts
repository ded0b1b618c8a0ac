import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { quaternionFromRotation, quaternionMultiply, rotationFromQuaternion } from '../../src/geometry/quaternion.js';
import { matmul3 } from '../../src/geometry/matrix.js';
import { rotationAboutAxis, rotationFromAxisAngle } from '../../src/geometry/so3.js';
import { assertClose, randomRotation } from '../helpers/geometry.js';

describe('quaternion <-> rotation (Shepperd)', () => {
  // R has trace 1.56, so w = sqrt(1 + 1.56) / 2 = 1.6 / 2 = 0.8, and
  // x = (R21 - R12) / 4w = (0.64 - 0) / 3.2, y = (R02 - R20) / 3.2 = (-0.8 - 0.48) / 3.2, z = (R10 - R01) / 3.2
  const R = [0.36, 0.48, -0.8, -0.8, 0.6, 0, 0.48, 0.64, 0.6];
  const q = [0.8, 0.64 / 3.2, (-0.8 - 0.48) / 3.2, (-0.8 - 0.48) / 3.2];
  it('gives the hand-computed quaternion of an exact rotation', () => {
    assertClose(quaternionFromRotation(R), q, 1e-15);
    assertClose(rotationFromQuaternion(q), R, 1e-15);
  });
  it('uses w first: a quarter turn about z is (cos 45deg, 0, 0, sin 45deg)', () => {
    assertClose(quaternionFromRotation(rotationAboutAxis('z', Math.PI / 2)), [Math.SQRT1_2, 0, 0, Math.SQRT1_2], 1e-15);
  });
  it('round-trips random rotations and returns w >= 0', () => {
    const rng = createRng(11);
    for (let k = 0; k < 200; k++) {
      const Rr = randomRotation(rng);
      const qq = quaternionFromRotation(Rr);
      assert.ok(qq[0] >= 0);
      assertClose(rotationFromQuaternion(qq), Rr, 1e-14, `sample ${k}`);
    }
  });
  it('is accurate at pi about each axis (the branches without w)', () => {
    for (const axis of [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.6, 0.8, 0]]) {
      const Rp = rotationFromAxisAngle(axis.map((a) => a * Math.PI));
      const qq = quaternionFromRotation(Rp);
      assertClose([Math.abs(qq[1]), Math.abs(qq[2]), Math.abs(qq[3])], axis.map(Math.abs), 1e-15);
      assertClose(rotationFromQuaternion(qq), Rp, 1e-15);
    }
  });
  it('normalises a scaled quaternion and rejects a zero one', () => {
    assertClose(rotationFromQuaternion(q.map((v) => v * 5)), R, 1e-15);
    assert.throws(() => rotationFromQuaternion([0, 0, 0, 0]), /norm 0 is too small/);
  });
  it('Hamilton product composes like matrices: R(a * b) = R(a) R(b)', () => {
    const rng = createRng(12);
    const A = randomRotation(rng), B = randomRotation(rng);
    const ab = quaternionMultiply(quaternionFromRotation(A), quaternionFromRotation(B));
    assertClose(rotationFromQuaternion(ab), matmul3(A, B), 1e-14);
  });
});
