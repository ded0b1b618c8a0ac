import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, InputError } from '../../src/core/errors.js';
import { createRng, type Rng } from '../../src/core/rng.js';
import { cameraMatrix, type PinholeCamera } from '../../src/geometry/camera.js';
import { projectPoints } from '../../src/geometry/projection.js';
import { fromRt, invert, transformPoints } from '../../src/geometry/se3.js';
import { rotationAboutAxis } from '../../src/geometry/so3.js';
import { poseError } from '../../src/metrics/pose.js';
import { loadOpenCv, type OpenCv } from '../../src/registration/opencv.js';
import { solvePnpRansac, solvePnpRansacSync } from '../../src/registration/pnp-ransac.js';

const cam: PinholeCamera = { fx: 240, fy: 240, cx: 255.5, cy: 79.5, width: 512, height: 160 };
const K = cameraMatrix(cam);

interface Scene { points: Float32Array; pixels: Float64Array; camFromPoints: Float64Array; isInlier: Uint8Array }

/** N camera-frame points in front of the camera, seen through a known pose, 0.5 px noise, a share of outliers. */
function scene(rng: Rng, n: number, outlierShare: number, noisePx: number): Scene {
  const camFromPoints = fromRt(rotationAboutAxis('y', rng.uniform(-Math.PI, Math.PI)), [rng.uniform(-10, 10), 0, rng.uniform(-10, 10)]);
  const pointsCam = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const z = rng.uniform(4, 40);
    pointsCam.set([rng.uniform(-1, 1) * z * 255 / 240, rng.uniform(-1, 1) * z * 79 / 240, z], 3 * i);
  }
  const proj = projectPoints(pointsCam, 3, fromRt(rotationAboutAxis('z', 0), [0, 0, 0]), cam);
  const pixels = new Float64Array(2 * n), isInlier = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (rng.next() < outlierShare) {
      pixels.set([rng.uniform(0, 511), rng.uniform(0, 159)], 2 * i);
    } else {
      isInlier[i] = 1;
      pixels.set([proj.u[i] + noisePx * rng.normal(), proj.v[i] + noisePx * rng.normal()], 2 * i);
    }
  }
  return { points: transformPoints(invert(camFromPoints), pointsCam), pixels, camFromPoints, isInlier };
}

describe('solvePnpRansac (OpenCV.js EPnP + RANSAC)', () => {
  let cv: OpenCv;
  before(async () => { cv = await loadOpenCv(); });

  it('loadOpenCv caches one awaitable module', async () => {
    assert.equal(await loadOpenCv(), cv);
    assert.equal(typeof cv.solvePnPRansac, 'function');
  });

  for (const [seed, thresholdPx] of [[1, 1], [2, 2], [3, 2]]) {
    it(`recovers a known pose with 30 % outliers and 0.5 px noise (scene ${seed}, ${thresholdPx} px)`, async () => {
      const s = scene(createRng(seed), 1000, 0.3, 0.5);
      const r = await solvePnpRansac(s.points, s.pixels, K, { reprojectionErrorPx: thresholdPx });
      assert.ok(r.ok && r.camFromPoints);
      const e = poseError(r.camFromPoints, s.camFromPoints);
      assert.ok(e.rteM < 0.1, `RTE ${e.rteM} m`);
      assert.ok(e.rreDeg < 0.5, `RRE ${e.rreDeg} deg`);
      const trueKept = Array.from(r.inliers).filter((i) => s.isInlier[i]).length;
      assert.ok(trueKept / r.inliers.length > 0.97, `inlier precision ${trueKept}/${r.inliers.length}`);
      assert.ok(r.inliers.length > (thresholdPx === 1 ? 0.4 : 0.6) * 1000, `${r.inliers.length} inliers`);
    });
  }

  it('is deterministic, and a seed reorders the samples but keeps the caller\'s indices', () => {
    const s = scene(createRng(4), 500, 0.3, 0.5);
    const a = solvePnpRansacSync(cv, s.points, s.pixels, K);
    const b = solvePnpRansacSync(cv, s.points, s.pixels, K);
    assert.deepEqual(a, b);
    const c = solvePnpRansacSync(cv, s.points, s.pixels, K, { seed: 9 });
    const d = solvePnpRansacSync(cv, s.points, s.pixels, K, { seed: 9 });
    assert.deepEqual(c, d);
    assert.ok(c.ok && c.camFromPoints);
    assert.ok(poseError(c.camFromPoints, s.camFromPoints).rteM < 0.1);
    assert.ok(c.inliers.every((x, j) => j === 0 || x > c.inliers[j - 1]), 'ascending');
    const trueKept = Array.from(c.inliers).filter((i) => s.isInlier[i]).length;
    assert.ok(trueKept / c.inliers.length > 0.97, `indices refer to the caller's order: precision ${trueKept}/${c.inliers.length}`);
  });

  it('fails cleanly on pure noise', () => {
    const rng = createRng(5);
    const n = 1000;
    const pts = Float32Array.from({ length: 3 * n }, (_, i) => (i % 3 === 2 ? rng.uniform(4, 40) : rng.uniform(-10, 10)));
    const px = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? rng.uniform(0, 511) : rng.uniform(0, 159)));
    const r = solvePnpRansacSync(cv, pts, px, K);
    assert.equal(r.ok, false);
    assert.equal(r.camFromPoints, undefined);
  });

  it('rejects N < 4, mismatched lengths, NaN and bad options with named fields', async () => {
    await assert.rejects(solvePnpRansac([0, 0, 1, 1, 0, 1, 0, 1, 1], [1, 1, 2, 2, 3, 3], K), /at least 4 correspondences, got 3/);
    await assert.rejects(solvePnpRansac(new Float32Array(15), new Float32Array(8), K), (e: unknown) => e instanceof InputError && /one pixel per 3D point \(5\), got 4/.test(e.message));
    const bad = new Float32Array(15); bad[7] = NaN;
    assert.throws(() => solvePnpRansacSync(cv, bad, new Float32Array(10), K), /points3d: value 7 is NaN/);
    assert.throws(() => solvePnpRansacSync(cv, new Float32Array(14), new Float32Array(10), K), /N x 3/);
    assert.throws(() => solvePnpRansacSync(cv, new Float32Array(15), new Float32Array(10), K, { confidence: 1 }), (e: unknown) => e instanceof ConfigError && e.field === 'pnpRansac.confidence');
    assert.throws(() => solvePnpRansacSync(cv, new Float32Array(15), new Float32Array(10), K, { iterations: 0 }), /pnpRansac.iterations/);
  });
});
