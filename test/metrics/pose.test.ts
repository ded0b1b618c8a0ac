import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, InputError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { eulerXYZFromMatrix, rotationFromEulerXYZ } from '../../src/geometry/euler.js';
import { compose, fromRt, identity4, invert, toRt } from '../../src/geometry/se3.js';
import { rotationAboutAxis } from '../../src/geometry/so3.js';
import { poseError, relativePose, summarizePoseErrors, type PoseError } from '../../src/metrics/pose.js';
import { assertClose, assertNear, randomRigid } from '../helpers/geometry.js';

const DEG = Math.PI / 180;

describe('poseError', () => {
  it('a pure 3 m translation gives RTE 3, RRE 0, geodesic 0', () => {
    const gt = randomRigid(createRng(1));
    const pred = compose(gt, fromRt(rotationAboutAxis('z', 0), [0, 3, 0]));
    const e = poseError(pred, gt);
    assertNear(e.rteM, 3, 1e-9, 'rte');
    assertNear(e.rreDeg, 0, 1e-6, 'rre');
    assertNear(e.geodesicDeg, 0, 1e-6, 'geodesic');
    assert.equal(e.success, false); // 3 m >= 2 m
  });

  it('a 10 degree yaw gives RRE 10 and geodesic 10, RTE 0', () => {
    const gt = identity4();
    const pred = fromRt(rotationAboutAxis('y', 10 * DEG), [0, 0, 0]); // camera yaw: about y (down)
    const e = poseError(pred, gt);
    assertNear(e.rteM, 0, 1e-12, 'rte');
    assertNear(e.rreDeg, 10, 1e-9, 'rre');
    assertNear(e.geodesicDeg, 10, 1e-9, 'geodesic');
    assert.equal(e.success, false);
    assert.equal(poseError(pred, gt, { maxRreDeg: 10.5 }).success, true);
  });

  it('RRE sums |Euler xyz| (scipy), which exceeds the geodesic angle for a multi-axis rotation', () => {
    const [ax, ay, az] = [3 * DEG, -2 * DEG, 1 * DEG];
    const pred = identity4(), gt = fromRt(rotationFromEulerXYZ(ax, ay, az), [0.5, 0, 0]);
    const e = poseError(pred, gt);
    assertNear(e.rreDeg, 3 + 2 + 1, 1e-9, 'rre');
    assert.ok(e.geodesicDeg < e.rreDeg && e.geodesicDeg > 3);
    assertNear(e.rteM, 0.5, 1e-12, 'rte');
    assert.equal(e.success, false); // 6 deg >= 5 deg
  });

  it('uses E = inv(T_pred) T_gt, not the reverse', () => {
    const pred = fromRt(rotationAboutAxis('z', 90 * DEG), [1, 0, 0]);
    const gt = fromRt(rotationFromEulerXYZ(20 * DEG, 0, 0), [1, 2, 0]);
    const E = relativePose(pred, gt);
    // translation of E is R_pred^T (t_gt - t_pred) = Rz(-90) [0, 2, 0] = [2, 0, 0]
    assertClose(toRt(E).t, [2, 0, 0], 1e-12, 't_E');
    assertClose(E, compose(invert(pred), gt), 0, 'E');
    const reverse = compose(invert(gt), pred); // inv(T_gt) T_pred
    assert.ok(Math.abs(toRt(reverse).t[0] - 2) > 0.5, 'the reverse has another translation');
    // RRE is the Euler sum of R_E = R_pred^T R_gt; for rotations about several axes the
    // reverse order (R_E^T) gives another sum.
    const sum = (R: ArrayLike<number>): number => eulerXYZFromMatrix(R).reduce((s, a) => s + Math.abs(a), 0) / DEG;
    const e = poseError(pred, gt);
    assertNear(e.rreDeg, sum(toRt(E).R), 1e-9, 'rre of E');
    const mixed = fromRt(rotationFromEulerXYZ(30 * DEG, 40 * DEG, 0), [0, 0, 0]);
    assert.ok(Math.abs(poseError(mixed, identity4()).rreDeg - poseError(identity4(), mixed).rreDeg) > 1, 'order changes RRE');
  });

  it('validates thresholds', () => {
    assert.throws(() => poseError(identity4(), identity4(), { maxRteM: -1 }), (e: unknown) => e instanceof ConfigError && e.field === 'poseSuccess.maxRteM');
    assert.throws(() => poseError(identity4(), identity4(), { maxRTE: 1 } as never), /poseSuccess.maxRTE/);
    assert.throws(() => poseError(new Float64Array(12), identity4()), /16/);
  });
});

describe('summarizePoseErrors', () => {
  it('gives mean +- population std over all pairs and the accuracy', () => {
    const mk = (rteM: number, rreDeg: number, success: boolean): PoseError => ({ rteM, rreDeg, geodesicDeg: rreDeg / 2, success });
    const s = summarizePoseErrors([mk(1, 2, true), mk(3, 4, false), mk(5, 12, false), mk(0.2, 0.5, true)]);
    assert.equal(s.count, 4);
    assert.equal(s.successes, 2);
    assert.equal(s.accuracyPct, 50);
    const rteMean = (1 + 3 + 5 + 0.2) / 4;
    const rteVar = ((1 - rteMean) ** 2 + (3 - rteMean) ** 2 + (5 - rteMean) ** 2 + (0.2 - rteMean) ** 2) / 4;
    assertNear(s.rteM.mean, rteMean, 1e-12, 'rte mean');
    assertNear(s.rteM.std, Math.sqrt(rteVar), 1e-12, 'rte std');
    const rreMean = (2 + 4 + 12 + 0.5) / 4;
    assertNear(s.rreDeg.mean, rreMean, 1e-12, 'rre mean');
    assertNear(s.rreDeg.std, Math.sqrt(((2 - rreMean) ** 2 + (4 - rreMean) ** 2 + (12 - rreMean) ** 2 + (0.5 - rreMean) ** 2) / 4), 1e-12, 'rre std');
    assertNear(s.geodesicDeg.mean, rreMean / 2, 1e-12, 'geodesic mean');
  });

  it('rejects an empty list and non-finite errors', () => {
    assert.throws(() => summarizePoseErrors([]), InputError);
    assert.throws(() => summarizePoseErrors([{ rteM: NaN, rreDeg: 0, geodesicDeg: 0, success: false }]), /errors\[0\].rteM/);
  });
});
