import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor2D } from '../../../src/core/tf.js';
import { createRng } from '../../../src/core/rng.js';
import { transformPoints } from '../../../src/geometry/se3.js';
import { makePerturbation } from '../../../src/data/pairs/index.js';
import { poseError } from '../../../src/metrics/pose.js';
import {
  createExplicitBaseline, groundTruthCells, matchDiagnostics, poseFromDescriptors, predictExplicit, type ExplicitBaselineConfig,
} from '../../../src/registration/baseline/index.js';
import { TINY } from '../tiny-registration.js';

const CONFIG: Partial<ExplicitBaselineConfig> = { registration: TINY, descriptorDim: 8, contrastivePoints: 16 };

describe('explicit baseline: matching and PnP', () => {
  it('recovers the pose from perfect features (one-hot of the true cell), 20% wrong matches included: RTE < 0.1 m', async () => {
    const W = 128, H = 64, s = 4, gw = W / s, gh = H / s, n = 600, rng = createRng(11);
    const K = Float64Array.from([100, 0, 63.5, 0, 100, 31.5, 0, 0, 1]);
    const pointsCam = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      const u = rng.uniform(0, W - 1), v = rng.uniform(0, H - 1), z = rng.uniform(5, 25);
      pointsCam.set([((u - K[2]) * z) / K[0], ((v - K[5]) * z) / K[4], z], 3 * i);
    }
    const pert = makePerturbation(0.6, 3, -2);
    const points = transformPoints(pert.pointsFromCam, pointsCam);
    const cells = groundTruthCells({ points, camFromPoints: pert.camFromPoints, K, inFrustum: new Uint8Array(n).fill(1) }, gw, gh, s);
    for (let i = 0; i < n; i += 5) cells[i] = rng.int(gw * gh); // outliers
    const before = tf.memory().numTensors;
    const q = tf.tidy(() => tf.oneHot(tf.tensor1d(cells, 'int32'), gw * gh).toFloat()) as Tensor2D;
    const p = tf.eye(gw * gh) as Tensor2D;
    const r = await poseFromDescriptors(points, q, p, K, { stride: s, gridW: gw, gridH: gh, ransacIterations: 500, reprojectionErrorGridPx: 1, minInliers: 12 });
    tf.dispose([q, p]);
    assert.equal(tf.memory().numTensors, before);
    assert.ok(r.ok);
    assert.ok(r.inliers >= 0.7 * n, `inliers ${r.inliers}`);
    const e = poseError(r.camFromPoints, pert.camFromPoints);
    assert.ok(e.rteM < 0.1 && e.rreDeg < 1, `RTE ${e.rteM} m, RRE ${e.rreDeg} deg`);
  });

  it('matchDiagnostics counts, by hand: in view, kept, kept and in view, and matches within one cell of the true projection', () => {
    // identity pose, K = [[4, 0, 0], [0, 4, 0], [0, 0, 1]], stride 4: a point (x, y, 1) projects to pixel (4x, 4y), cell (row y, col x)
    const K = Float64Array.from([4, 0, 0, 0, 4, 0, 0, 0, 1]), camFromPoints = Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const points = Float32Array.from([2, 1, 1, 5, 3, 1, 7, 0, 1, 0, 0, 1, 9, 9, -1]); // cells (1, 2), (3, 5), (0, 7), (0, 0); the last is behind
    const inFrustum = Uint8Array.from([1, 1, 1, 1, 0]), w = 8, h = 4;
    assert.deepEqual([...groundTruthCells({ points, camFromPoints, K, inFrustum }, w, h, 4)], [1 * w + 2, 3 * w + 5, 7, 0, -1]);
    // kept: points 0 (matched one column off: correct), 1 (two rows off: wrong), 2 (exact: correct), 4 (not in view)
    const d = matchDiagnostics({ kept: Int32Array.from([0, 1, 2, 4]), cells: Int32Array.from([1 * w + 3, 1 * w + 5, 7, 0]), grid: { w, h, stride: 4 } }, { points, camFromPoints, K, inFrustum });
    assert.deepEqual(d, { inView: 4, kept: 4, keptInView: 3, correct: 2 });
  });

  it('falls back to the identity (perturbation-free pose) when nothing is predicted in the frustum, without leaks', async () => {
    const model = createExplicitBaseline(CONFIG, 3);
    const rng = createRng(2);
    const pair = { image: Float32Array.from({ length: 32 * 64 * 3 }, () => rng.uniform(0, 1)), width: 64, height: 32, points: Float32Array.from({ length: 256 * 3 }, () => rng.uniform(-10, 10)), K: Float64Array.from([30, 0, 31.5, 0, 30, 15.5, 0, 0, 1]) };
    const before = tf.memory().numTensors;
    const r = await predictExplicit(model, pair, { inFrustumThreshold: 0.999999 });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(r.ok, false);
    assert.deepEqual([...r.camFromPoints], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    model.dispose();
  });
});
