import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cameraFromMatrix, cameraFromProjection, cameraMatrix, cropCamera, decomposeProjection, makeCamera, resizeCamera,
  scaleCamera, type PinholeCamera,
} from '../../src/geometry/camera.js';
import { compose, mat4From3x4, transformPoint } from '../../src/geometry/se3.js';
import { assertClose, assertNear } from '../helpers/geometry.js';

// KITTI odometry sequence 00 calib.txt, P3 (camera 3, right colour camera)
const P3 = [718.856, 0, 607.1928, -337.2877, 0, 718.856, 185.2157, 2.369057, 0, 0, 1, 0.004915215];
const cam: PinholeCamera = { fx: 700, fy: 650, cx: 600.5, cy: 180.25, width: 1241, height: 376 };

describe('decomposeProjection (KITTI P = K [I | t])', () => {
  it('returns K as the left block and t = K^-1 P[:, 3]', () => {
    const { K, t, camFromRect } = decomposeProjection(P3);
    assertClose(K, [718.856, 0, 607.1928, 0, 718.856, 185.2157, 0, 0, 1], 0);
    const tz = 0.004915215;
    const ty = (2.369057 - 185.2157 * tz) / 718.856;
    const tx = (-337.2877 - 607.1928 * tz) / 718.856; // about -0.473 m: camera 3 is right of camera 0
    assertClose(t, [tx, ty, tz], 1e-15);
    assertClose(camFromRect, [1, 0, 0, tx, 0, 1, 0, ty, 0, 0, 1, tz, 0, 0, 0, 1], 1e-15);
  });
  it('reproduces P: K (camFromRect p) == P [p; 1] for a rectified point', () => {
    const { K, camFromRect } = decomposeProjection(P3);
    const p = [2, -1, 15];
    const c = transformPoint(camFromRect, p);
    const viaK = [K[0] * c[0] + K[2] * c[2], K[4] * c[1] + K[5] * c[2], c[2]];
    const viaP = [0, 1, 2].map((r) => P3[4 * r] * p[0] + P3[4 * r + 1] * p[1] + P3[4 * r + 2] * p[2] + P3[4 * r + 3]);
    assertClose(viaK, viaP, 1e-10);
    // and camFromLidar = camFromRect * Tr composes like any transform
    const Tr = mat4From3x4([0, -1, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0]);
    assertClose(transformPoint(compose(camFromRect, Tr), [10, 0, 0]), transformPoint(camFromRect, [0, 0, 10]), 1e-12);
  });
  it('builds the camera and rejects non-rectified matrices', () => {
    const c = cameraFromProjection(P3, 1241, 376);
    assert.deepEqual({ ...c }, { fx: 718.856, fy: 718.856, cx: 607.1928, cy: 185.2157, width: 1241, height: 376 });
    assert.throws(() => decomposeProjection([1, 0, 0, 0, 0.5, 1, 0, 0, 0, 0, 1, 0]), /expected a rectified K \[I \| t\]/);
    assert.throws(() => cameraFromMatrix([1, 0.1, 0, 0, 1, 0, 0, 0, 1], 10, 10), /expected \[fx 0 cx; 0 fy cy; 0 0 1\]/);
  });
});

describe('camera intrinsics under crop and resize (pixel centres at integers)', () => {
  it('K is [fx 0 cx; 0 fy cy; 0 0 1]', () => {
    assertClose(cameraMatrix(cam), [700, 0, 600.5, 0, 650, 180.25, 0, 0, 1], 0);
  });
  it('scaleCamera maps pixel edges onto edges: cx\' = s (cx + 0.5) - 0.5', () => {
    const s = scaleCamera(cam, 0.5, 0.25);
    assertNear(s.fx, 700 * 0.5, 0);
    assertNear(s.fy, 650 * 0.25, 0);
    assertNear(s.cx, 0.5 * (600.5 + 0.5) - 0.5, 1e-12);
    assertNear(s.cy, 0.25 * (180.25 + 0.5) - 0.5, 1e-12);
    assert.equal(s.width, Math.round(1241 * 0.5)); // 620.5 -> 621
    assert.equal(s.height, 376 * 0.25);
    // the left edge of the image (u = -0.5) stays the left edge, the right edge (W - 0.5) maps to W' - 0.5 for exact sizes
    const r = resizeCamera({ ...cam, width: 1240 }, 620, 94);
    assertNear(r.cx, 0.5 * (600.5 + 0.5) - 0.5, 1e-12);
    assert.equal(r.width, 620);
  });
  it('cropCamera shifts the principal point and checks the window', () => {
    const c = cropCamera(cam, 10, 165, 800, 211);
    assert.deepEqual({ ...c }, { fx: 700, fy: 650, cx: 590.5, cy: 15.25, width: 800, height: 211 });
    assert.throws(() => cropCamera(cam, 0, 165, 1241, 212), /cropCamera: height: expected an integer in \[1, 211\], got 212/);
    assert.throws(() => cropCamera(cam, 0.5, 0, 10, 10), /left/);
  });
  it('makeCamera names the bad field', () => {
    assert.throws(() => makeCamera({ ...cam, fx: -1 }), /camera.fx: expected a finite number > 0, got -1/);
    assert.throws(() => makeCamera({ ...cam, width: 10.5 }), /camera.width: expected a positive integer/);
    assert.throws(() => scaleCamera(cam, 0, 1), /scaleCamera: sx/);
  });
});
