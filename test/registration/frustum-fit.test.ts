import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { frustumMask } from '../../src/geometry/frustum.js';
import { rotationFromEulerXYZ } from '../../src/geometry/euler.js';
import { poseError } from '../../src/metrics/pose.js';
import { fitFrustumPose, validateFrustumFitConfig, yawPose } from '../../src/registration/frustum-fit.js';

const cam = { fx: 90, fy: 90, cx: 63.5, cy: 19.5, width: 128, height: 40 };
const K = [cam.fx, 0, cam.cx, 0, cam.fy, cam.cy, 0, 0, 1];

/** A seeded street-like cloud: points on walls, ground and poles within 35 m, y (down) in [-3, 1.7]. */
function scene(n: number, seed: number): Float32Array {
  const rng = createRng(seed), p = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    p[3 * i] = rng.uniform(-35, 35); p[3 * i + 1] = rng.uniform(-3, 1.7); p[3 * i + 2] = rng.uniform(-35, 35);
  }
  return p;
}

describe('frustum pose fitted to in-frustum scores', () => {
  it('yawPose is [Ry(theta) | -Ry(theta) c]: it maps the centre to the origin', () => {
    const T = yawPose(0.7, 3, -2), R = rotationFromEulerXYZ(0, 0.7, 0);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) assert.ok(Math.abs(T[4 * r + c] - R[3 * r + c]) < 1e-12);
    for (let r = 0; r < 3; r++) assert.ok(Math.abs(T[4 * r] * 3 + T[4 * r + 2] * -2 + T[4 * r + 3]) < 1e-12);
  });

  it('recovers a known pose from perfect scores (the true mask as +-4 logits) to 0.5 m and 1 deg (points near the apex are few: poses that close can give the same mask)', () => {
    for (const [k, [theta, cx, cz]] of [[0.65, 3.2, -4.7], [-2.9, -8.1, 6.3], [3.1, 0.4, 9.2]].entries()) {
      const points = scene(4000, 10 + k), T = yawPose(theta, cx, cz);
      const logits = Float32Array.from(frustumMask(points, 3, T, cam), (m) => (m ? 4 : -4));
      const f = fitFrustumPose(points, logits, K, cam.width, cam.height, { scoring: 'logit' });
      const e = poseError(f.camFromPoints, T);
      assert.ok(e.rteM < 0.5 && e.rreDeg < 1, `pose ${k}: RTE ${e.rteM} m, RRE ${e.rreDeg} deg`);
      // 'rank' (default) reads only the order: its share set to the true share, the same pose within the grid
      const share = logits.filter((l) => l > 0).length / logits.length, r = fitFrustumPose(points, logits, K, cam.width, cam.height, { inViewShare: share });
      const er = poseError(r.camFromPoints, T);
      assert.ok(er.rteM < 0.5 && er.rreDeg < 1, `pose ${k}, rank scoring: RTE ${er.rteM} m, RRE ${er.rreDeg} deg`);
      const best = 4 * logits.filter((l) => l > 0).length; // every positive in, every negative out
      assert.ok(f.score <= best && f.score >= 0.98 * best, `score ${f.score} of at most ${best} (the finest grid is 0.1 deg x 2.5 cm)`);
    }
  });

  it("rank scoring reads only the order of the logits (a monotone map changes nothing); weights sum to 0", () => {
    const points = scene(300, 3), rng = createRng(9), logits = Float32Array.from({ length: 300 }, () => rng.uniform(-3, 5));
    const a = fitFrustumPose(points, logits, K, cam.width, cam.height), b = fitFrustumPose(points, logits.map((l) => 7 * l - 20), K, cam.width, cam.height);
    assert.deepEqual(Array.from(a.camFromPoints), Array.from(b.camFromPoints));
    // the score is the sum of the rank weights inside the returned frustum: the top round(0.17 x 300) = 51 points +1, the rest -0.17 / 0.83
    const inside = frustumMask(points, 3, a.camFromPoints, cam), top = new Set(Array.from(logits.keys()).sort((i, j) => logits[j] - logits[i]).slice(0, 51));
    const want = Array.from(inside).reduce((sum, m, i) => sum + (m ? (top.has(i) ? 1 : -0.17 / 0.83) : 0), 0);
    assert.ok(Math.abs(a.score - want) < 1e-3, `score ${a.score} vs ${want} recounted`);
    assert.ok(a.score > 0, 'some frustum holds the top-ranked points more than the rest');
  });

  it('logitOffset is the same as subtracting it from every logit (logit scoring)', () => {
    const points = scene(300, 3), rng = createRng(9), logits = Float32Array.from({ length: 300 }, () => rng.uniform(-3, 5));
    const a = fitFrustumPose(points, logits, K, cam.width, cam.height, { scoring: 'logit', logitOffset: 1.6 });
    const b = fitFrustumPose(points, logits.map((l) => l - 1.6), K, cam.width, cam.height, { scoring: 'logit' });
    assert.deepEqual(Array.from(a.camFromPoints), Array.from(b.camFromPoints));
    assert.ok(Math.abs(a.score - b.score) < 1e-3);
  });

  it('uninformative scores (all zero, logit scoring) give score 0', () => {
    const f = fitFrustumPose(scene(100, 1), new Float32Array(100), K, cam.width, cam.height, { scoring: 'logit' });
    assert.equal(f.score, 0);
  });

  it('names bad input and bad settings', () => {
    assert.throws(() => fitFrustumPose(new Float32Array(6), new Float32Array(3), K, 8, 8), /points has 6 numbers, expected 3 x 3/);
    assert.throws(() => fitFrustumPose(new Float32Array(3), new Float32Array(1), [1, 2], 8, 8), /K has 2 numbers, expected 9/);
    assert.throws(() => validateFrustumFitConfig({ clipLogit: 0 }), (e: unknown) => e instanceof ConfigError && e.field === 'frustumFit.clipLogit');
    assert.throws(() => validateFrustumFitConfig({ scoring: 'iou' as never }), (e: unknown) => e instanceof ConfigError && e.field === 'frustumFit.scoring');
    assert.throws(() => validateFrustumFitConfig({ inViewShare: 1 }), (e: unknown) => e instanceof ConfigError && e.field === 'frustumFit.inViewShare');
    assert.throws(() => validateFrustumFitConfig({ levels: [] }), (e: unknown) => e instanceof ConfigError && e.field === 'frustumFit.levels');
    assert.throws(() => validateFrustumFitConfig({ levels: [{ yawStepDeg: 5, yawHalfDeg: 180, stepM: -1, halfM: 10 }] }), (e: unknown) => e instanceof ConfigError && e.field === 'frustumFit.levels[0].stepM');
  });
});
