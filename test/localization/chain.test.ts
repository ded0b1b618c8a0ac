import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';
import { shippedModelDir } from '../helpers/shipped-model.js';
import { KittiOdometry } from '../../src/data/kitti/odometry.js';
import { buildPair } from '../../src/data/pairs/build-pair.js';
import { sourceImageScale } from '../../src/data/pairs/pair-dataset.js';
import { encodePng } from '../../src/data/formats/png.js';
import { compose, fromRt, identity4, invert, mat4From3x4, toRt } from '../../src/geometry/se3.js';
import { miscalibratedMap } from '../../src/localization/calibration-sweep.js';
import { createSequenceView } from '../../src/modalink/data.js';
import { loadModaLinkRun } from '../../src/modalink/evaluate.js';
import type { ModaLinkModel } from '../../src/modalink/model.js';
import { registrationPairConfig } from '../../src/registration/config.js';
import { loadRegistrationRun } from '../../src/registration/evaluate.js';
import { createRegistrationModel, type RegistrationModel } from '../../src/registration/model.js';
import { buildLocalizationMap, cameraTwoPoses, type LocalizationMap } from '../../src/localization/map.js';
import { loadQuery } from '../../src/localization/query.js';
import { localize, registerCandidates, worldPoseDifference } from '../../src/localization/localize.js';
import { evaluateLocalization, nearestScan } from '../../src/localization/evaluate.js';
import { ConfigError, InputError } from '../../src/core/errors.js';
import { alongOffsets, cameraOffsetInCloud, poseCentre, poseHeading } from '../../src/registration/bearing-polar.js';

let tmp = '', root = '', modalink: ModaLinkModel, registration: RegistrationModel, map: LocalizationMap;
before(async () => {
  ({ tmp, root } = await makeTinyDataset('localization-test-'));
  modalink = (await loadModaLinkRun(shippedModelDir('modalink-laptop'))).model;
  registration = await loadRegistrationRun(shippedModelDir('registration-laptop'));
  map = buildLocalizationMap({ root, sequence: 0, modalink, pairs: registrationPairConfig(registration.config) });
});
after(() => { map?.dispose(); modalink?.dispose(); registration?.dispose(); fs.rmSync(tmp, { recursive: true, force: true }); });

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number): boolean => Array.from(a).every((v, i) => Math.abs(v - b[i]) <= tol);

describe('localization map and queries (tiny preset, shipped models)', () => {
  it('camera-2 poses: worldFromCam0 moved by the stereo offset K^-1 P2[:, 3] (hand arithmetic)', () => {
    const s = new KittiOdometry(root).sequence(0), P = s.calib.P2, T0 = mat4From3x4(s.poses![2]);
    const tz = P[11], ty = (P[7] - P[6] * tz) / P[5], tx = (P[3] - P[2] * tz) / P[0]; // cam2 = cam0 + t
    const want = [0, 1, 2].map((r) => T0[4 * r + 3] - (T0[4 * r] * tx + T0[4 * r + 1] * ty + T0[4 * r + 2] * tz));
    const got = cameraTwoPoses(root, 0, [2])[0];
    assert.ok(close([got[3], got[7], got[11]], want, 1e-9), `${[got[3], got[7], got[11]]} vs ${want}`);
    assert.ok(close(toRt(got).R, toRt(T0).R, 1e-12));
    assert.deepEqual(Array.from(map.centresXZ.subarray(4, 6)), [got[3], got[11]]);
  });
  it('a query is prepared exactly as ModaLink\'s views and the registration test pairs prepare their images', () => {
    const q = loadQuery({ kind: 'sequence', root, sequence: 0, frame: 1 }, modalink.config, registrationPairConfig(registration.config));
    const view = createSequenceView(root, 0, modalink.config);
    assert.deepEqual(Float32Array.from(q.modalinkImage, (v) => v / 255), view.image(1));
    const pairs = registrationPairConfig(registration.config);
    const pair = buildPair(new KittiOdometry(root).sequence(0), 1, 2, pairs, undefined, { split: 'test', sourceScale: sourceImageScale(root) });
    assert.deepEqual(q.registrationImage, pair.image);
    assert.ok(close(q.K, pair.K, 1e-12));
    assert.ok(close(q.worldFromCam!, cameraTwoPoses(root, 0, [1])[0], 0));
  });
  it('a photo file must have the map\'s image size, and the error names the file', () => {
    const file = path.join(tmp, 'small.png');
    fs.writeFileSync(file, encodePng(new Uint8Array(8 * 4 * 3), 8, 4));
    assert.throws(() => loadQuery({ kind: 'file', file, mapRoot: root, mapSequence: 0 }, modalink.config, registrationPairConfig(registration.config)),
      (e: unknown) => e instanceof InputError && e.message.includes(file) && /8 x 4/.test(e.message));
  });
  it('registered against its own scan, the camera lands where the geometry says: 2 |o| sin(heading error / 2) from the truth', () => {
    const q = loadQuery({ kind: 'sequence', root, sequence: 0, frame: 1 }, modalink.config, registrationPairConfig(registration.config));
    const reg = registerCandidates(registration, map, q, [1], 'bearing');
    const T = reg.camFromScan[0];
    assert.ok(Math.abs(T[7]) < 1e-6 && Math.abs(T[5] - 1) < 1e-6, 'a yaw about the camera\'s y axis, no height change');
    const world = compose(map.worldFromCam[1], invert(T)), d = worldPoseDifference(world, q.worldFromCam!);
    const o = map.lidarOriginCam, oXZ = Math.hypot(o[0], o[2]);
    // the LiDAR centre is known; the camera sits R^T o behind it: an error of delta in the heading moves it by |(I - R^T) o|
    assert.ok(Math.abs(d.distanceM - 2 * oXZ * Math.sin((d.angleDeg * Math.PI) / 360)) < 1e-4, `${d.distanceM} m at ${d.angleDeg} deg, |o| ${oXZ}`);
    assert.ok(reg.headingProbability[0] > 0 && reg.headingProbability[0] <= 1);
  });
  it('registration \'bearing-along\' puts the LiDAR centre d metres along the scan\'s axis (the camera R^T o behind it); the shipped model, untrained for it, refuses', () => {
    const q = loadQuery({ kind: 'sequence', root, sequence: 0, frame: 1 }, modalink.config, registrationPairConfig(registration.config));
    assert.throws(() => registerCandidates(registration, map, q, [0, 2], 'bearing-along'), (e: unknown) => e instanceof ConfigError && /alongHalfM/.test(e.message));
    const c = registration.config;
    const along = createRegistrationModel({ ...c, bearing: { ...c.bearing, alongHalfM: 2, alongStepM: 1 } }, 3); // seeded weights: the geometry, not the skill
    try {
      const reg = registerCandidates(along, map, q, [0, 2], 'bearing-along'), o = map.lidarOriginCam;
      reg.camFromScan.forEach((T, b) => {
        assert.ok(alongOffsets({ alongHalfM: 2, alongStepM: 1 }).includes(reg.alongM[b]));
        const cam = poseCentre(T), off = cameraOffsetInCloud(poseHeading(T), o);
        assert.ok(Math.abs(cam.x + off.x - o[0]) < 1e-4 && Math.abs(cam.z + off.z - (o[2] + reg.alongM[b])) < 1e-4, `candidate ${b}: camera (${cam.x}, ${cam.z}), d ${reg.alongM[b]}`);
      });
      assert.deepEqual(registerCandidates(along, map, q, [0, 2], 'bearing').alongM, [0, 0]);
    } finally {
      along.dispose();
    }
  });
  it('the chain leaves the query\'s own scan out, composes each candidate\'s pose, and times its stages', () => {
    const q = loadQuery({ kind: 'sequence', root, sequence: 0, frame: 1 }, modalink.config, registrationPairConfig(registration.config));
    const r = localize({ modalink, registration }, map, q, { topK: 5 }, 1);
    assert.deepEqual(r.candidates.map((c) => c.frame).sort(), [0, 2]); // k = min(5, 3 - 1)
    for (const c of r.candidates) assert.ok(close(c.worldFromCam, compose(map.worldFromCam[c.mapIndex], invert(c.camFromScan)), 1e-9));
    assert.equal(r.worldFromCam, r.candidates[r.picks.retrieval].worldFromCam); // the default selection keeps the top-1
    assert.ok(r.seconds.descriptor > 0 && r.seconds.registration > 0);
    assert.equal(nearestScan(map, q.worldFromCam![3], q.worldFromCam![11], 1).index === 0 || nearestScan(map, q.worldFromCam![3], q.worldFromCam![11], 1).index === 2, true);
  });
  it('a miscalibrated map moves the clouds and the LiDAR origin by the error; the identity changes nothing', () => {
    const same = miscalibratedMap(map, modalink, identity4());
    assert.deepEqual(same.clouds[1], map.clouds[1]);
    assert.ok(close(same.descriptors, map.descriptors, 1e-5));
    same.dispose();
    const E = fromRt([1, 0, 0, 0, 1, 0, 0, 0, 1], [0.05, 0, -0.02]);
    const moved = miscalibratedMap(map, modalink, E);
    assert.ok(close(moved.clouds[2], map.clouds[2].map((v, i) => v + [0.05, 0, -0.02][i % 3]), 1e-6));
    assert.ok(close(moved.lidarOriginCam, [map.lidarOriginCam[0] + 0.05, map.lidarOriginCam[1], map.lidarOriginCam[2] - 0.02], 1e-12));
    assert.deepEqual(moved.worldFromCam, map.worldFromCam);
    assert.ok(!close(moved.descriptors, map.descriptors, 1e-6), 'the depth images move, so do the descriptors');
    moved.dispose();
  });
  it('evaluateLocalization writes the tables and one pose line per query', () => {
    const out = path.join(tmp, 'eval');
    const r = evaluateLocalization({ models: { modalink, registration }, map, queryRoot: root, querySequence: 0, queryFrames: [0, 1, 2], outDir: out, config: { topK: 2 } });
    assert.equal(r.outcomes.length, 3);
    for (const f of ['localization.md', 'queries.csv', 'candidates.csv', 'timing.md']) assert.ok(fs.existsSync(path.join(out, f)), f);
    assert.equal(fs.readFileSync(path.join(out, 'poses-estimated.txt'), 'utf8').trim().split('\n').length, 3);
    for (const o of r.outcomes) {
      // retrieval alone is the retrieved scan's own pose; the nearest-scan row the nearest's
      assert.ok(Math.abs(o.errors['nearest-scan'].distanceM - worldPoseDifference(map.worldFromCam[o.nearestIndex], o.trueWorldFromCam).distanceM) < 1e-12);
      assert.ok(o.errors['nearest-scan'].distanceM <= o.errors.retrieval.distanceM + 1e-12);
    }
  });
});
