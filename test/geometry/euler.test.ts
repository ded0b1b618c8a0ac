import { describe, it } from 'node:test';
import { createRng } from '../../src/core/rng.js';
import { eulerXYZFromMatrix, eulerZYXFromMatrix, rotationFromEulerXYZ, rotationFromEulerZYX } from '../../src/geometry/euler.js';
import { matmul3 } from '../../src/geometry/matrix.js';
import { rotationAboutAxis } from '../../src/geometry/so3.js';
import { assertClose, assertNear, randomRotation } from '../helpers/geometry.js';

describe('Euler angles, R = Rz(az) Ry(ay) Rx(ax)', () => {
  it('is the product of the elementary rotations, x applied first', () => {
    const expected = matmul3(rotationAboutAxis('z', 0.3), matmul3(rotationAboutAxis('y', -0.2), rotationAboutAxis('x', 0.1)));
    assertClose(rotationFromEulerXYZ(0.1, -0.2, 0.3), expected, 1e-15);
    assertClose(rotationFromEulerZYX(0.3, -0.2, 0.1), expected, 1e-15);
  });
  it("matches scipy Rotation.from_euler('xyz', ...).as_matrix()", () => {
    const cases: Array<[number[], number[]]> = [
      [[0.1, -0.2, 0.3], [0.9362933635841991, -0.3129918257854679, -0.1593450793079779, 0.2896294776255155, 0.9447024859948941, -0.1537919979889642, 0.19866933079506124, 0.0978433950072557, 0.9751703272018157]],
      [[2.5, 1.2, -3.0], [-0.3587314580168933, -0.6652746439569215, 0.6547681949644968, -0.05113592923230342, 0.7144095080097898, 0.697856841771118, -0.9320390859672265, 0.21686102225434994, -0.29030060154291026]],
    ];
    for (const [[a, b, c], m] of cases) {
      assertClose(rotationFromEulerXYZ(a, b, c), m, 1e-15);
      assertClose(eulerXYZFromMatrix(m), [a, b, c], 1e-14);
    }
  });
  it("matches scipy as_euler('xyz') on the exact rotation [[.36 .48 -.8] [-.8 .6 0] [.48 .64 .6]]", () => {
    assertClose(eulerXYZFromMatrix([0.36, 0.48, -0.8, -0.8, 0.6, 0, 0.48, 0.64, 0.6]), [0.8176450458327023, -0.5006547124045881, -1.1479424006619559], 1e-15);
  });
  it('round-trips random rotations in both namings', () => {
    const rng = createRng(21);
    for (let k = 0; k < 200; k++) {
      const R = randomRotation(rng);
      const [ax, ay, az] = eulerXYZFromMatrix(R);
      assertClose(rotationFromEulerXYZ(ax, ay, az), R, 1e-13, `xyz ${k}`);
      const { yaw, pitch, roll } = eulerZYXFromMatrix(R);
      assertClose(rotationFromEulerZYX(yaw, pitch, roll), R, 1e-13, `zyx ${k}`);
      assertClose([yaw, pitch, roll], [az, ay, ax], 0);
    }
  });
  it('at gimbal lock sets az = 0 and keeps the rotation (scipy: ax = a - c for ay = +pi/2)', () => {
    const up = eulerXYZFromMatrix(rotationFromEulerXYZ(0.3, Math.PI / 2, 0.5));
    assertClose(up, [0.3 - 0.5, Math.PI / 2, 0], 1e-7);
    const down = eulerXYZFromMatrix(rotationFromEulerXYZ(0.3, -Math.PI / 2, 0.5));
    assertClose(down, [0.3 + 0.5, -Math.PI / 2, 0], 1e-7);
    assertClose(rotationFromEulerXYZ(up[0], up[1], up[2]), rotationFromEulerXYZ(0.3, Math.PI / 2, 0.5), 1e-7);
  });
  it('gives RRE = sum |angles| = 5 deg for a 5 deg yaw error', () => {
    const deg = Math.PI / 180;
    const [ax, ay, az] = eulerXYZFromMatrix(rotationAboutAxis('z', 5 * deg));
    assertNear((Math.abs(ax) + Math.abs(ay) + Math.abs(az)) / deg, 5, 1e-12);
  });
});
