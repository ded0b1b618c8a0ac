import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { cropCamera, resizeCamera, scaleCamera, type PinholeCamera } from '../../src/geometry/camera.js';
import { depthImageToPoints, projectPoints, unproject } from '../../src/geometry/projection.js';
import { fromRt, identity4, transformPoints } from '../../src/geometry/se3.js';
import { rotationAboutAxis } from '../../src/geometry/so3.js';
import { assertClose, randomCloud, randomRigid } from '../helpers/geometry.js';

const cam: PinholeCamera = { fx: 100, fy: 80, cx: 50, cy: 40, width: 100, height: 80 };

describe('projectPoints', () => {
  it('follows u = fx x / z + cx, v = fy y / z + cy by hand', () => {
    const p = projectPoints([1, 2, 10, -1, 0, 5], 3, identity4(), cam);
    assertClose(p.u, [100 * 1 / 10 + 50, 100 * -1 / 5 + 50], 1e-5);
    assertClose(p.v, [80 * 2 / 10 + 40, 80 * 0 / 5 + 40], 1e-5);
    assertClose(p.z, [10, 5], 0);
    assertClose(p.inImage, [1, 1], 0);
  });
  it('applies camFromPoints first (LiDAR x forward becomes camera z)', () => {
    // camera z = lidar x, camera x = -lidar y, camera y = -lidar z
    const camFromLidar = fromRt([0, -1, 0, 0, 0, -1, 1, 0, 0], [0, 0, 0]);
    const p = projectPoints(new Float32Array([10, -1, -2, 0.7]), 4, camFromLidar, cam);
    assertClose([p.u[0], p.v[0], p.z[0]], [100 * 1 / 10 + 50, 80 * 2 / 10 + 40, 10], 1e-5);
  });
  it('marks the image border with the pixel-centre convention: -0.5 <= u < W - 0.5', () => {
    // z = 1, fx = 100: x = (u - 50) / 100
    const xs = [-0.5, -0.50001, 99.49999, 99.5].map((u) => (u - 50) / 100);
    const pts = xs.flatMap((x) => [x, 0, 1]);
    assertClose(projectPoints(pts, 3, identity4(), cam).inImage, [1, 0, 1, 0], 0);
  });
  it('excludes points at or behind minDepthM', () => {
    const p = projectPoints([0, 0, -1, 0, 0, 0, 0, 0, 0.5], 3, identity4(), cam, 0.5);
    assertClose(p.inImage, [0, 0, 0], 0);
    assert.equal(p.count, 0);
  });
  it('project -> unproject round-trips the camera-frame points', () => {
    const rng = createRng(91);
    const pts = randomCloud(rng, 200, 3, 1, 30);
    const p = projectPoints(pts, 3, identity4(), cam);
    assertClose(unproject(p.u, p.v, p.z, cam), pts, 1e-3);
    const T = randomRigid(rng);
    const q = projectPoints(pts, 3, T, cam);
    assertClose(unproject(q.u, q.v, q.z, cam), transformPoints(T, pts), 2e-3);
  });
  it('projecting then cropping / scaling coordinates == projecting with the adjusted camera', () => {
    const rng = createRng(92);
    const big: PinholeCamera = { fx: 718.856, fy: 718.856, cx: 607.1928, cy: 185.2157, width: 1241, height: 376 };
    const pts = randomCloud(rng, 500, 3, -20, 20).map((v, i) => (i % 3 === 2 ? Math.abs(v) + 2 : v));
    const full = projectPoints(pts, 3, identity4(), big);
    const cropped = projectPoints(pts, 3, identity4(), cropCamera(big, 0, 165, 1241, 211));
    assertClose(cropped.u, full.u, 1e-3);
    assertClose(cropped.v, full.v.map((v) => v - 165), 1e-3);
    const sx = 800 / 1241, sy = 128 / 211;
    const resized = projectPoints(pts, 3, identity4(), resizeCamera(cropCamera(big, 0, 165, 1241, 211), 800, 128));
    assertClose(resized.u, full.u.map((u) => sx * (u + 0.5) - 0.5), 1e-3);
    assertClose(resized.v, full.v.map((v) => sy * (v - 165 + 0.5) - 0.5), 1e-3);
    const half = projectPoints(pts, 3, identity4(), scaleCamera(big, 0.5, 0.5));
    assertClose(half.u, full.u.map((u) => 0.5 * (u + 0.5) - 0.5), 1e-3);
  });
  it('checks shapes with readable messages', () => {
    assert.throws(() => projectPoints(new Float32Array(5), 3, identity4(), cam), /projectPoints: points: expected a flat array of N x 3 values, got length 5/);
    assert.throws(() => projectPoints([0, 0, 1], 2, identity4(), cam), /projectPoints: stride/);
    assert.throws(() => projectPoints([0, 0, 1], 3, identity4().subarray(0, 12), cam), /camFromPoints: expected 16 numbers/);
    assert.throws(() => unproject([1], [1, 2], [1], cam), /equal lengths/);
  });
});

describe('depthImageToPoints', () => {
  it('back-projects each filled pixel at its centre', () => {
    const small: PinholeCamera = { fx: 2, fy: 2, cx: 1, cy: 0.5, width: 3, height: 2 };
    const depth = new Float32Array([0, 4, 0, 0, 0, 2]);
    const { points, pixels } = depthImageToPoints(depth, small);
    assertClose(pixels, [1, 5], 0);
    // pixel 1 = (col 1, row 0): x = (1 - 1) 4 / 2, y = (0 - 0.5) 4 / 2; pixel 5 = (col 2, row 1)
    assertClose(points, [0, -1, 4, (2 - 1) * 2 / 2, (1 - 0.5) * 2 / 2, 2], 1e-6);
    const again = projectPoints(points, 3, fromRt(rotationAboutAxis('z', 0), [0, 0, 0]), small);
    assertClose(again.u, [1, 2], 1e-6);
    assertClose(again.v, [0, 1], 1e-6);
  });
});
