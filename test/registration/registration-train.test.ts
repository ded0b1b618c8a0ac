import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { NonFiniteLossError, bearingStep, fitFixedBatch, trainRegistration } from '../../src/registration/train.js';
import { registrationPairConfig, validateRegistrationConfig } from '../../src/registration/config.js';
import { createPairSourceCache, disposeBatch, stackPairs } from '../../src/registration/pair-batches.js';
import { createRng } from '../../src/core/rng.js';
import { tf } from '../../src/core/tf.js';
import { BEARING_CONTROL_ROW, BEARING_ROW, bearingImageControl, evaluateRegistration, loadRegistrationRun } from '../../src/registration/evaluate.js';
import { readCheckpointState } from '../../src/train/checkpoint.js';
import { bearingFrustumPoses, createRegistrationModel, type RegistrationModel } from '../../src/registration/model.js';
import { cameraOffsetInCloud, polarImage, poseCentre, poseHeading, sensorCentre } from '../../src/registration/bearing-polar.js';
import { createAdam } from '../../src/train/adam.js';
import { TINY } from './tiny-registration.js';
import { readPoseLines } from '../../src/registration/pose-files.js';
import { poseError } from '../../src/metrics/pose.js';
import { exportModelFolder, sha256File } from '../../src/train/export-model.js';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';

let tmp = '', root = '';
before(async () => { ({ tmp, root } = await makeTinyDataset('registration-test-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const snapshot = (m: RegistrationModel, prefix: string): Map<string, Float32Array> =>
  new Map([...m.variables].filter(([n]) => n.startsWith(prefix)).map(([n, v]) => [n, Float32Array.from(v.dataSync() as Float32Array)]));

describe('registration training', () => {
  it('stage rest leaves the GPDM group (encoders + GPDM) unchanged and moves ICLM/PRM; eval writes tables', async () => {
    const run = path.join(tmp, 'stages');
    const g = await trainRegistration({ dataRoot: root, runDir: run, config: TINY, stage: 'gpdm', maxSteps: 2 });
    const gp = [...snapshot(g.model, 'image.'), ...snapshot(g.model, 'point.'), ...snapshot(g.model, 'gpdm.')];
    const rest0 = snapshot(g.model, 'iclm.');
    g.model.dispose();
    const r = await trainRegistration({ dataRoot: root, runDir: run, stage: 'rest', maxSteps: 2 });
    for (const [n, v] of gp) assert.deepEqual(r.model.variables.get(n)!.dataSync(), v, `${n} changed in stage rest`);
    assert.ok([...rest0].some(([n, v]) => r.model.variables.get(n)!.dataSync().some((x, i) => x !== v[i])), 'ICLM did not train');
    r.model.dispose();
    const e = await evaluateRegistration({ runDir: run, dataRoot: root, maxPairs: 2, batchSize: 2 });
    assert.deepEqual(e.rows.map((x) => x.method), ['ICL (laptop, GPDM + ICLM + PRM)', 'frustum pose alone (GPDM)', 'no registration (identity pose)']);
    assert.equal(e.rows[0].pairs, 2);
    // the identity row is the plain error of the ground truth itself: RTE = |t| of camFromPoints
    const data = createPairSourceCache(root, registrationPairConfig(validateRegistrationConfig(TINY)), 'test');
    const T = [0, 1].map((i) => data.pair(i).camFromPoints);
    const rte = T.map((t) => Math.hypot(t[3], t[7], t[11]));
    assert.ok(Math.abs(e.rows[2].rteMean - (rte[0] + rte[1]) / 2) < 1e-4, `identity RTE ${e.rows[2].rteMean} vs |t| ${rte}`);
    assert.ok(fs.existsSync(path.join(e.outDir, 'registration.md')) && fs.existsSync(path.join(e.outDir, 'registration.csv')));
    // per-pair output: the pose files re-score to the table, pair by pair
    const finals = readPoseLines(path.join(e.outDir, 'poses-final.txt')), gts = readPoseLines(path.join(e.outDir, 'poses-gt.txt'));
    assert.equal(finals.length, 2);
    assert.deepEqual(gts.map((G) => Array.from(G, (x) => Math.fround(x) + 0)), T.map((t) => Array.from(t, (x) => Math.fround(x) + 0))); // + 0: the file writes -0 as 0
    const perPair = fs.readFileSync(path.join(e.outDir, 'pairs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    finals.forEach((F, i) => assert.ok(Math.abs(poseError(F, gts[i]).rteM - perPair[i][1]) < 1e-5, `pair ${i}: RTE from the files vs pairs.csv`));
    assert.ok(Math.abs((perPair[0][1] + perPair[1][1]) / 2 - e.rows[0].rteMean) < 1e-6, 'pairs.csv averages to the table');
    assert.ok(e.gpdm !== null && e.gpdm.pairs === 2 && e.gpdm.clsAuc >= 0 && e.gpdm.clsAuc <= 1);

    // a shipped model folder: weights only, loads and predicts exactly as the run (F32), within float16 rounding (F16)
    for (const dtype of ['F32', 'F16'] as const) {
      const out = path.join(tmp, `model-${dtype}`), x = exportModelFolder(run, out, dtype);
      assert.deepEqual(x.files.map((f) => f.file), ['weights.safetensors', 'checkpoint.json', 'config.json', 'losses-gpdm.csv', 'losses-rest.csv']);
      assert.equal(x.files[0].sha256, sha256File(path.join(out, 'weights.safetensors')));
      const e2 = await evaluateRegistration({ runDir: out, dataRoot: root, maxPairs: 2, batchSize: 2 });
      const d = Math.abs(e2.rows[0].rteMean - e.rows[0].rteMean);
      assert.ok(dtype === 'F32' ? d === 0 : d < 0.05, `${dtype}: RTE ${e2.rows[0].rteMean} vs ${e.rows[0].rteMean}`);
    }
  });

  it('without GPDM, stage rest trains the encoders too; eval labels the variant and has no frustum row', async () => {
    const run = path.join(tmp, 'no-gpdm');
    const r = await trainRegistration({ dataRoot: root, runDir: run, config: { ...TINY, gpdm: false, stage: 'rest' }, maxSteps: 1 });
    assert.ok(![...r.model.variables.keys()].some((n) => n.startsWith('gpdm.')));
    const fresh = createRegistrationModel({ ...TINY, gpdm: false, stage: 'rest' });
    const moved = (p: string): boolean => [...fresh.variables].some(([n, v]) => n.startsWith(p) && r.model.variables.get(n)!.dataSync().some((x, i) => x !== v.dataSync()[i]));
    assert.ok(moved('point.') && moved('image.') && moved('iclm.') && moved('prm.'), 'every module trains without GPDM');
    fresh.dispose();
    r.model.dispose();
    const e = await evaluateRegistration({ runDir: run, dataRoot: root, maxPairs: 2, batchSize: 2 });
    assert.deepEqual(e.rows.map((x) => x.method), ['ICL (laptop, no GPDM)', 'no registration (identity pose)']);
  });

  it('initFrom: a variant with other N_q starts stage rest from the GPDM group of a stage-1 run', async () => {
    const stage1 = path.join(tmp, 'init-stage1');
    const g = await trainRegistration({ dataRoot: root, runDir: stage1, config: TINY, stage: 'gpdm', maxSteps: 1 });
    const gp = [...snapshot(g.model, 'image.'), ...snapshot(g.model, 'point.'), ...snapshot(g.model, 'gpdm.')];
    g.model.dispose();
    const run = path.join(tmp, 'init-nq');
    const q = TINY.numQueries! + 2;
    const r = await trainRegistration({ dataRoot: root, runDir: run, config: { ...TINY, numQueries: q, stage: 'rest' }, initFrom: stage1, maxSteps: 1 });
    assert.ok(gp.length > 0);
    for (const [n, v] of gp) assert.deepEqual(r.model.variables.get(n)!.dataSync(), v, `${n} not copied from the stage-1 run`);
    r.model.dispose();
    assert.equal(JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8')).initFrom, stage1);
    await assert.rejects(trainRegistration({ dataRoot: root, runDir: run, config: { ...TINY, stage: 'rest' }, initFrom: stage1, maxSteps: 1 }), /already has a checkpoint/);
    await assert.rejects(trainRegistration({ dataRoot: root, runDir: path.join(tmp, 'init-none'), config: { ...TINY, stage: 'rest' }, initFrom: path.join(tmp, 'nowhere'), maxSteps: 1 }), /no checkpoint\.json/);
    // a stage-1 run with a wider point encoder cannot seed this one: the error names the tensor
    const wide = path.join(tmp, 'init-wide');
    const w = await trainRegistration({ dataRoot: root, runDir: wide, config: { ...TINY, headHidden: TINY.headHidden! + 8 }, stage: 'gpdm', maxSteps: 1 });
    w.model.dispose();
    await assert.rejects(trainRegistration({ dataRoot: root, runDir: path.join(tmp, 'init-bad'), config: { ...TINY, stage: 'rest' }, initFrom: wide, maxSteps: 1 }), /tensor 'gpdm\.\d+'.*expected shape/);
  });

  it("initGroup 'all': a fresh run starts from every variable of another run (ICLM and PRM too), 'gpdm' from the GPDM group only", async () => {
    const src = path.join(tmp, 'all-src');
    (await trainRegistration({ dataRoot: root, runDir: src, config: TINY, stage: 'gpdm', maxSteps: 1 })).model.dispose();
    const s = await trainRegistration({ dataRoot: root, runDir: src, stage: 'rest', maxSteps: 1 }); // ICLM and PRM move from their initialisation
    const rest = [...snapshot(s.model, 'iclm.'), ...snapshot(s.model, 'prm.')];
    s.model.dispose();
    const fresh = createRegistrationModel(TINY), init = [...snapshot(fresh, 'iclm.'), ...snapshot(fresh, 'prm.')];
    fresh.dispose();
    assert.ok(rest.some(([n, v]) => v.some((x, i) => x !== init.find(([m]) => m === n)![1][i])), 'stage rest moved ICLM / PRM');
    // stage gpdm trains neither ICLM nor PRM: after a step they are still what the run started with
    for (const [group, expected] of [['all', rest], ['gpdm', init]] as const) {
      const r = await trainRegistration({ dataRoot: root, runDir: path.join(tmp, `init-group-${group}`), config: TINY, stage: 'gpdm', initFrom: src, initGroup: group, maxSteps: 1 });
      for (const [n, v] of expected) assert.deepEqual(r.model.variables.get(n)!.dataSync(), v, `initGroup ${group}: ${n}`);
      r.model.dispose();
    }
    assert.equal(JSON.parse(fs.readFileSync(path.join(tmp, 'init-group-all', 'config.json'), 'utf8')).initGroup, 'all');
    await assert.rejects(trainRegistration({ dataRoot: root, runDir: path.join(tmp, 'init-group-none'), config: TINY, initGroup: 'all', maxSteps: 1 }), /initGroup: needs initFrom/);
  });

  it('fitFixedBatch: stage gpdm memorises one fixed batch of real pairs (the loss falls), without leaking tensors', () => {
    const c = validateRegistrationConfig(TINY);
    const data = createPairSourceCache(root, registrationPairConfig(c), 'train');
    const batch = stackPairs([0, 1].map((i) => data.pair(i, createRng(3))));
    const model = createRegistrationModel(c);
    const before = tf.memory().numTensors;
    const r = fitFixedBatch(model, batch, { steps: 30, stage: 'gpdm', learningRate: 3e-3 });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    const first = r.parts[0], last = r.parts[r.parts.length - 1];
    // the yaw head (default): fruCentre is the camera centre's MSE, fruRotation the heading's
    assert.ok(last.fruCentre < 0.25 * first.fruCentre, `frustum centre ${first.fruCentre} -> ${last.fruCentre}`);
    assert.equal(last.fruTranslation, 0, 'the yaw head has no separate translation term');
    assert.ok(last.cls < first.cls - 0.1, `L_cls ${first.cls} -> ${last.cls}`);
    assert.ok(r.losses[r.losses.length - 1] < 0.5 * r.losses[0], `total ${r.losses[0]} -> ${r.losses[r.losses.length - 1]}`);
    assert.equal(last.corr, 0, 'stage gpdm does not train L_corr');
    model.dispose();
    disposeBatch(batch);
  });

  it('resume reproduces an uninterrupted run exactly', async () => {
    const full = await trainRegistration({ dataRoot: root, runDir: path.join(tmp, 'full'), config: TINY, stage: 'joint', maxSteps: 3 });
    const a = snapshot(full.model, '');
    full.model.dispose();
    const part = path.join(tmp, 'part');
    (await trainRegistration({ dataRoot: root, runDir: part, config: TINY, stage: 'joint', maxSteps: 2 })).model.dispose();
    assert.equal(readCheckpointState(part)!.step, 2);
    const resumed = await trainRegistration({ dataRoot: root, runDir: part, resume: true, maxSteps: 3 });
    assert.deepEqual(resumed.losses.length, 1);
    resumed.model.dispose();
    const b = await loadRegistrationRun(part);
    for (const [n, v] of a) assert.deepEqual(b.variables.get(n)!.dataSync(), v, n);
    b.dispose();
  });

  it("initGroup 'frustum': an ablation variant (another N_q) trains stage 'rest' on the encoders, GPDM and bearing network of a run", async () => {
    const cfg = { ...TINY, frustumPose: 'bearing' as const, bearing: { bins: 24, rangeBins: 4, pointChannels: [4, 4, 4, 4], imageChannels: [4, 4, 4, 4], featureDim: 4 } };
    const src = path.join(tmp, 'frustum-src');
    (await trainRegistration({ dataRoot: root, runDir: src, config: cfg, stage: 'bearing', maxSteps: 1 })).model.dispose();
    const s = await trainRegistration({ dataRoot: root, runDir: src, stage: 'rest', maxSteps: 2 });
    const frozen = new Map(['image.', 'point.', 'gpdm.', 'bearing.'].flatMap((p) => [...snapshot(s.model, p)]));
    s.model.dispose();
    const fresh = createRegistrationModel(validateRegistrationConfig({ ...cfg, stage: 'rest' }));
    const moved = [...snapshot(fresh, 'bearing.')].filter(([n, v]) => frozen.get(n)!.some((x, i) => x !== v[i]));
    fresh.dispose();
    assert.ok(moved.length > 0, 'stage bearing moved the bearing network away from its initialisation');
    // N_q 4 instead of 8: ICLM's query tensors differ in shape, so 'all' could not copy them; 'frustum' leaves ICLM and PRM to the variant
    const variant = { ...cfg, numQueries: 4, stage: 'rest' as const };
    await assert.rejects(trainRegistration({ dataRoot: root, runDir: path.join(tmp, 'frustum-all'), config: variant, initFrom: src, initGroup: 'all', maxSteps: 1 }), /tensor '(iclm|prm)\.[^']*'.*expected shape/);
    const r = await trainRegistration({ dataRoot: root, runDir: path.join(tmp, 'frustum-nq4'), config: variant, initFrom: src, initGroup: 'frustum', maxSteps: 1 });
    for (const [n, v] of frozen) assert.deepEqual(r.model.variables.get(n)!.dataSync(), v, `initGroup frustum: ${n}`); // copied, and frozen in stage rest
    r.model.dispose();
    await assert.rejects(trainRegistration({ dataRoot: root, runDir: path.join(tmp, 'frustum-bad'), config: variant, initFrom: src, initGroup: 'bearing' as never, maxSteps: 1 }), /initGroup: expected 'gpdm', 'frustum' or 'all', got 'bearing'/);
  });

  it("stage 'bearing' trains the bearing network alone, resumes exactly, and eval scores its frustum pose (yawPose of its heading at the calibrated centre)", async () => {
    const cfg = { ...TINY, frustumPose: 'bearing' as const, bearing: { bins: 24, rangeBins: 4, pointChannels: [4, 4, 4, 4], imageChannels: [4, 4, 4, 4], featureDim: 4 } };
    const full = await trainRegistration({ dataRoot: root, runDir: path.join(tmp, 'bearing-full'), config: cfg, stage: 'bearing', maxSteps: 3 });
    const init = createRegistrationModel(validateRegistrationConfig({ ...cfg, stage: 'bearing' }));
    for (const [n, v] of init.variables) {
      const x = v.dataSync(), y = full.model.variables.get(n)!.dataSync(), same = x.every((xi, i) => xi === y[i]);
      assert.equal(same, !n.startsWith('bearing.'), n); // only bearing.* moved
    }
    init.dispose();
    const a = snapshot(full.model, 'bearing.');
    full.model.dispose();
    const part = path.join(tmp, 'bearing-part');
    (await trainRegistration({ dataRoot: root, runDir: part, config: cfg, stage: 'bearing', maxSteps: 2 })).model.dispose();
    (await trainRegistration({ dataRoot: root, runDir: part, resume: true, maxSteps: 3 })).model.dispose();
    const b = await loadRegistrationRun(part);
    for (const [n, v] of a) assert.deepEqual(b.variables.get(n)!.dataSync(), v, n);
    // the frustum pose of a forward is the bearing pose: a yaw rotation whose centre is the LiDAR centre moved by the calibration
    const data = createPairSourceCache(root, registrationPairConfig(b.config), 'test');
    const batch = stackPairs([data.pair(0), data.pair(1)]);
    const out = b.forward(batch, false, 'joint'), direct = bearingFrustumPoses(b.bearing!, batch);
    assert.deepEqual(out.frustumPose.dataSync(), direct.camFromPoints.dataSync());
    const T = direct.camFromPoints.arraySync() as number[][][];
    for (const [i, Ti] of T.entries()) {
      assert.ok(Math.abs(Ti[1][1] - 1) < 1e-6 && Math.abs(Ti[0][1]) < 1e-6 && Math.abs(Ti[1][3]) < 1e-6); // about y, centre at y = 0
      const l = sensorCentre(batch.pairs[i].points, b.bearing!.config), o = batch.pairs[i].lidarOriginCam, psi = direct.headings[i];
      const c = poseCentre(Ti.flat());
      assert.ok(Math.abs(c.x - (l.x - o[0] * Math.cos(psi) - o[2] * Math.sin(psi))) < 1e-4 && Math.abs(c.z - (l.z + o[0] * Math.sin(psi) - o[2] * Math.cos(psi))) < 1e-4);
      assert.ok(Math.abs(Math.atan2(Math.sin(poseHeading(Ti.flat()) - psi), Math.cos(poseHeading(Ti.flat()) - psi))) < 1e-5);
    }
    tf.dispose(out as never); tf.dispose(direct.camFromPoints); disposeBatch(batch); b.dispose();
    const e = await evaluateRegistration({ runDir: part, dataRoot: root, maxPairs: 4, outDir: path.join(tmp, 'bearing-eval') });
    assert.ok(e.rows.some((r) => r.method === BEARING_ROW) && e.rows.some((r) => r.method === BEARING_CONTROL_ROW));
    // the control with one pair swaps its image for its own: the bearing pose itself
    const m = await loadRegistrationRun(part), one = stackPairs([data.pair(0)]), own = bearingFrustumPoses(m.bearing!, one);
    assert.deepEqual(bearingImageControl(m, data, 1)[0], own.camFromPoints.dataSync());
    tf.dispose(own.camFromPoints); disposeBatch(one); m.dispose();
    assert.ok(e.rows.some((r) => r.method === 'frustum pose of the GPDM head'));
  });

  it("stage 'bearing' with alongHalfM: one softmax over centres moved along the true camera's axis, checked against polar images drawn one by one", () => {
    const cfg = validateRegistrationConfig({ ...TINY, frustumPose: 'bearing', stage: 'bearing', bearing: { bins: 24, rangeBins: 4, pointChannels: [4, 4, 4, 4], imageChannels: [4, 4, 4, 4], featureDim: 4, centreNoiseM: 0, alongHalfM: 2, alongStepM: 1 } });
    const model = createRegistrationModel(cfg, 4), bc = model.bearing!.config;
    const data = createPairSourceCache(root, registrationPairConfig(cfg), 'test'), batch = stackPairs([data.pair(0), data.pair(1)]);
    // by hand: the LiDAR centre of each pair's true camera, moved d along its forward axis (sin psi, cos psi)
    const T = batch.camFromPoints.dataSync(), o = batch.lidarOrigin!.dataSync(), pts = batch.points.dataSync(), N = batch.points.shape[1];
    let want = 0;
    for (let b = 0; b < 2; b++) {
      const pose = T.subarray(16 * b, 16 * b + 16), psi = poseHeading(pose), c = poseCentre(pose), off = cameraOffsetInCloud(psi, o.subarray(3 * b, 3 * b + 3));
      const img = tf.slice(batch.image, [b, 0, 0, 0], [1, -1, -1, -1]) as typeof batch.image, K = tf.reshape(tf.slice(batch.K, [b, 0, 0], [1, -1, -1]), [1, 9]) as never;
      const rows = [-2, -1, 0, 1, 2].map((d) => Array.from(model.bearing!.scores(tf.tensor4d(polarImage(pts.subarray(3 * N * b, 3 * N * (b + 1)), c.x + off.x + d * Math.sin(psi), c.z + off.z + d * Math.cos(psi), bc), [1, bc.rangeBins, bc.bins, 3]), img, K).dataSync()));
      const all = rows.flat(), m = Math.max(...all), lse = m + Math.log(all.reduce((s, v) => s + Math.exp(v - m), 0));
      const pos = ((((psi / (2 * Math.PI)) * bc.bins) % bc.bins) + bc.bins) % bc.bins, f = Math.floor(pos), frac = pos - f;
      want += -((1 - frac) * (rows[2][f % bc.bins] - lse) + frac * (rows[2][(f + 1) % bc.bins] - lse)) / 2;
    }
    const opt = createAdam(model.trainableVariables('bearing'), { learningRate: 1e-3 });
    const got = bearingStep(model, opt, batch, cfg, createRng(1)).loss;
    assert.ok(Math.abs(got - want) < 1e-4, `${got} vs ${want}`);
    opt.dispose(); disposeBatch(batch); model.dispose();
  });

  it('a NaN loss stops before the update and keeps the last checkpoint', async () => {
    const run = path.join(tmp, 'nan');
    await assert.rejects(
      trainRegistration({ dataRoot: root, runDir: run, config: TINY, stage: 'gpdm', maxSteps: 3, lossOffset: (s) => (s === 1 ? NaN : 0) }),
      (e: unknown) => e instanceof NonFiniteLossError && e.step === 1,
    );
    assert.equal(readCheckpointState(run)!.step, 1);
  });
});
