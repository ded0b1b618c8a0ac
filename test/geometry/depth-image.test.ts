import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng } from '../../src/core/rng.js';
import type { PinholeCamera } from '../../src/geometry/camera.js';
import { cropCamera, resizeCamera } from '../../src/geometry/camera.js';
import { fovDepthImage, MODALINK_FOV_OPTIONS, normalizeDepth, rotateRangeImage, type FovDepthImageOptions } from '../../src/geometry/depth-image.js';
import { rotationFromAxisAngle } from '../../src/geometry/so3.js';
import { compose, fromRt, identity4, mat4From3x4 } from '../../src/geometry/se3.js';
import { decomposeProjection, cameraFromProjection } from '../../src/geometry/camera.js';
import { assertClose, randomRigid } from '../helpers/geometry.js';

/**
 * The reference z-buffer: every point's pixel by the documented formula, candidates listed
 * per pixel, the smallest float32 z wins (ties: first in input order). Slow and obvious.
 */
function bruteForceDepthImage(points: ArrayLike<number>, stride: number, T: ArrayLike<number>, cam: PinholeCamera, o: FovDepthImageOptions = {}): { depth: Float32Array; width: number; height: number } {
  let { fx, fy, cx, cy, width, height } = cam;
  if (o.crop) {
    const left = o.crop.left ?? 0, top = o.crop.top ?? 0;
    cx = cx - left; cy = cy - top;
    width = o.crop.width ?? width - left; height = o.crop.height ?? height - top;
  }
  if (o.resize) {
    const sx = o.resize.width / width, sy = o.resize.height / height;
    fx = sx * fx; fy = sy * fy; cx = sx * (cx + 0.5) - 0.5; cy = sy * (cy + 0.5) - 0.5;
    width = o.resize.width; height = o.resize.height;
  }
  const minDepth = o.minDepthM ?? 0.01, minForward = o.minForwardM ?? -Infinity, maxR = o.maxRangeM ?? Infinity;
  const cands: Array<Array<{ z: number; value: number }>> = Array.from({ length: width * height }, () => []);
  for (let i = 0; i < points.length / stride; i++) {
    const [px, py, pz] = [points[i * stride], points[i * stride + 1], points[i * stride + 2]];
    const xc = T[0] * px + T[1] * py + T[2] * pz + T[3];
    const yc = T[4] * px + T[5] * py + T[6] * pz + T[7];
    const zc = T[8] * px + T[9] * py + T[10] * pz + T[11];
    if (!(zc > minDepth) || px < minForward) continue;
    const u = fx * xc / zc + cx, v = fy * yc / zc + cy;
    const col = Math.floor(u + 0.5), row = Math.floor(v + 0.5);
    if (!(col >= 0 && col < width && row >= 0 && row < height)) continue;
    const value = o.mode === 'range' ? Math.sqrt(xc * xc + yc * yc + zc * zc) : zc;
    cands[row * width + col].push({ z: Math.fround(zc), value });
  }
  const depth = new Float32Array(width * height);
  const scale = o.normalize ? 1 / maxR : 1;
  cands.forEach((list, i) => {
    if (list.length === 0) return;
    let best = list[0];
    for (const c of list) if (c.z < best.z) best = c; // strict: the first of equal z wins
    depth[i] = Math.min(best.value, maxR) * scale;
  });
  return { depth, width, height };
}

const cam: PinholeCamera = { fx: 60, fy: 55, cx: 39.7, cy: 24.3, width: 80, height: 50 };

function scene(seed: number, n: number, stride: number): Float32Array {
  // a dense cloud around the camera: many points per pixel, some behind, some outside, a few NaN
  const rng = createRng(seed);
  const p = new Float32Array(n * stride);
  for (let i = 0; i < n; i++) {
    p[i * stride] = rng.uniform(-5, 40); p[i * stride + 1] = rng.uniform(-20, 20); p[i * stride + 2] = rng.uniform(-3, 3);
    if (stride > 3) p[i * stride + 3] = rng.next();
  }
  p[7 * stride] = NaN; p[11 * stride + 2] = Infinity;
  return p;
}

describe('fovDepthImage vs the brute-force z-buffer (exact equality)', () => {
  const camFromLidar = fromRt([0, -1, 0, 0, 0, -1, 1, 0, 0], [0.05, -0.1, 0.2]);
  const cases: Array<[string, FovDepthImageOptions]> = [
    ['defaults (depth)', {}],
    ['range', { mode: 'range' }],
    ['clip at 15 m', { maxRangeM: 15 }],
    ['range, normalised at 20 m, x >= 1 m', { mode: 'range', maxRangeM: 20, normalize: true, minForwardM: 1 }],
    ['minDepthM 2', { minDepthM: 2 }],
    ['crop', { crop: { top: 10, left: 7, width: 50, height: 30 } }],
    ['crop top then resize (ModaLink-like)', { crop: { top: 13 }, resize: { width: 64, height: 16 }, mode: 'range' }],
    ['upsample', { resize: { width: 200, height: 120 } }],
  ];
  for (const [name, opts] of cases) {
    it(name, () => {
      for (const [seed, stride] of [[1, 3], [2, 4]]) {
        const pts = scene(seed, 20000, stride);
        const fast = fovDepthImage(pts, stride, camFromLidar, cam, opts);
        const ref = bruteForceDepthImage(pts, stride, camFromLidar, cam, opts);
        assert.equal(fast.width, ref.width);
        assert.equal(fast.height, ref.height);
        assert.deepEqual(fast.depth, ref.depth);
        assert.equal(fast.filledPixels, ref.depth.filter((v) => v > 0).length);
        assert.ok(fast.filledPixels > 0.1 * fast.width * fast.height, 'the test scene fills pixels');
      }
    });
  }
  it('random poses too', () => {
    const rng = createRng(5);
    for (let k = 0; k < 5; k++) {
      const T = randomRigid(rng, 3);
      const pts = scene(10 + k, 5000, 3);
      assert.deepEqual(fovDepthImage(pts, 3, T, cam, { mode: 'range' }).depth, bruteForceDepthImage(pts, 3, T, cam, { mode: 'range' }).depth);
    }
  });
  it('keeps the nearest point, and the first one on a tie', () => {
    // three points on the optical axis at z = 10, 5, 5 (the second "5" has a different range)
    const pts = new Float32Array([0, 0, 10, 0, 0, 5, 0.001, 0, 5]);
    const c: PinholeCamera = { fx: 10, fy: 10, cx: 1, cy: 1, width: 3, height: 3 };
    const d = fovDepthImage(pts, 3, identity4(), c, { mode: 'range' });
    assert.equal(d.depth[4], 5);
    assert.equal(d.filledPixels, 1);
  });
});

describe('fovDepthImage options', () => {
  it('uses the adjusted camera for crop + resize and reports it', () => {
    const kitti: PinholeCamera = { fx: 718.856, fy: 718.856, cx: 607.1928, cy: 185.2157, width: 1241, height: 376 };
    const d = fovDepthImage(new Float32Array(0), 4, identity4(), kitti, MODALINK_FOV_OPTIONS);
    assert.equal(d.width, 800);
    assert.equal(d.height, 128);
    assert.deepEqual(d.camera, resizeCamera(cropCamera(kitti, 0, 165, 1241, 376 - 165), 800, 128));
    assert.equal(d.depth.length, 800 * 128);
  });
  it('normalises as min(range, max) / max', () => {
    const pts = new Float32Array([0, 0, 30, 0.5, 0, 0, 150, 0.5]); // two xyzr points on the optical axis
    const c: PinholeCamera = { fx: 10, fy: 10, cx: 0, cy: 0, width: 1, height: 1 };
    const near = fovDepthImage(pts.subarray(0, 4), 4, identity4(), c, { mode: 'range', maxRangeM: 100, normalize: true });
    assertClose(near.depth, [30 / 100], 1e-7);
    const far = fovDepthImage(pts.subarray(4), 4, identity4(), c, { mode: 'range', maxRangeM: 100, normalize: true });
    assertClose(far.depth, [1], 0);
    assertClose(normalizeDepth(new Float32Array([0, 30, 150]), 100), [0, 0.3, 1], 1e-7);
  });
  it('rejects bad options naming the field', () => {
    const p = new Float32Array(3);
    assert.throws(() => fovDepthImage(p, 3, identity4(), cam, { mode: 'z' as 'depth' }), /fovDepthImage.mode/);
    assert.throws(() => fovDepthImage(p, 3, identity4(), cam, { normalize: true }), /fovDepthImage.normalize.*finite maxRangeM/);
    assert.throws(() => fovDepthImage(p, 3, identity4(), cam, { maxRangeM: 0 }), /maxRangeM/);
    assert.throws(() => fovDepthImage(p, 3, identity4(), cam, { crop: { top: 60 } }), /cropCamera: top/);
    assert.throws(() => fovDepthImage(new Float32Array(5), 4, identity4(), cam), /points: expected a flat array of N x 4/);
  });
});

// the shared sample data: env I2P_SHARED_DATA, else <repo>/../shared/data (skipped when absent)
const SHARED = process.env.I2P_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const DATA = pathToFileURL(path.join(SHARED, 'kitti-odometry-sample', 'sequences', '00') + path.sep);
describe('fovDepthImage on a real KITTI scan', { skip: !fs.existsSync(DATA) && `real sample data absent: ${fileURLToPath(DATA)} (set I2P_SHARED_DATA)` }, () => {
  it('equals the brute-force z-buffer at full and ModaLink resolution', () => {
    const calib = Object.fromEntries(fs.readFileSync(new URL('calib.txt', DATA), 'utf8').trim().split('\n')
      .map((l) => { const [k, ...v] = l.trim().split(/\s+/); return [k.replace(':', ''), v.map(Number)]; }));
    const buf = fs.readFileSync(new URL('velodyne/000001.bin', DATA));
    const pts = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const kitti = cameraFromProjection(calib.P3, 1241, 376);
    const T = compose(decomposeProjection(calib.P3).camFromRect, mat4From3x4(calib.Tr));
    for (const opts of [{}, MODALINK_FOV_OPTIONS]) {
      const fast = fovDepthImage(pts, 4, T, kitti, opts);
      assert.deepEqual(fast.depth, bruteForceDepthImage(pts, 4, T, kitti, opts).depth);
      assert.ok(fast.filledPixels > 10000);
    }
  });
});

describe('rotateRangeImage', () => {
  it('matches the range image projected through the rotated calibration (a tilted wall), and the identity changes nothing', () => {
    // a wall z = 10 + 0.3 x in front of the camera (the "LiDAR" frame is the camera frame), 1 cm point spacing
    const pts: number[] = [];
    for (let x = -9; x <= 9; x += 0.01) for (let y = -6; y <= 6; y += 0.01) pts.push(x, y, 10 + 0.3 * x);
    const cloud = Float32Array.from(pts), opts: FovDepthImageOptions = { mode: 'range' };
    const base = fovDepthImage(cloud, 3, identity4(), cam, opts).depth;
    assert.deepEqual(Array.from(rotateRangeImage(base, cam, [1, 0, 0, 0, 1, 0, 0, 0, 1])), Array.from(base));
    for (const omega of [[0, 0.035, 0], [0.02, -0.01, 0.03]]) {
      const R = rotationFromAxisAngle(omega);
      const truth = fovDepthImage(cloud, 3, fromRt(R, [0, 0, 0]), cam, opts).depth, warped = rotateRangeImage(base, cam, R);
      let both = 0, close = 0, onlyOne = 0;
      for (let i = 0; i < truth.length; i++) {
        if (truth[i] > 0 && warped[i] > 0) { both++; if (Math.abs(warped[i] - truth[i]) < 0.02 * truth[i]) close++; } else if (truth[i] > 0 || warped[i] > 0) onlyOne++;
      }
      assert.ok(both > 0.8 * truth.length, `omega ${omega}: ${both} of ${truth.length} pixels covered by both`);
      assert.ok(close >= 0.99 * both, `omega ${omega}: ${close} of ${both} within 2 %`);
      assert.ok(onlyOne < 0.1 * truth.length, `omega ${omega}: ${onlyOne} pixels covered by one only (the image border)`);
    }
    assert.throws(() => rotateRangeImage(new Float32Array(3), cam, [1, 0, 0, 0, 1, 0, 0, 0, 1]), /range has 3 values, the camera 80 x 50 = 4000/);
  });
});
