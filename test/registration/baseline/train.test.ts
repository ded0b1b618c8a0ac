import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tf } from '../../../src/core/tf.js';
import { createRng } from '../../../src/core/rng.js';
import { readCheckpointState } from '../../../src/train/checkpoint.js';
import { NonFiniteLossError } from '../../../src/train/non-finite.js';
import { poseError } from '../../../src/metrics/pose.js';
import { readPoseLines } from '../../../src/registration/pose-files.js';
import { createAdam } from '../../../src/train/adam.js';
import {
  contrastiveTargets, createExplicitBaseline, evaluateExplicitBaseline, explicitBaselineStep, trainExplicitBaseline,
  type ExplicitBaselineConfig,
} from '../../../src/registration/baseline/index.js';
import { TINY, tinyBatch } from '../tiny-registration.js';
import { makeTinyDataset } from '../../helpers/tiny-dataset.js';

const CONFIG: Partial<ExplicitBaselineConfig> = { registration: TINY, descriptorDim: 8, contrastivePoints: 16 };

describe('explicit baseline: training', () => {
  it('a training step changes the weights, gives a finite loss and leaks no tensors', () => {
    const model = createExplicitBaseline(CONFIG, 3);
    const opt = createAdam(model.trainableVariables, { learningRate: 1e-3 });
    const b = tinyBatch(2);
    const [pts, T, K, inF] = [b.points, b.camFromPoints, b.K, b.inFrustum].map((t) => t.dataSync());
    const pairs = [0, 1].map((i) => ({
      points: pts.subarray(768 * i, 768 * (i + 1)) as Float32Array, camFromPoints: Float64Array.from(T.subarray(16 * i, 16 * i + 16)),
      K: Float64Array.from(K.subarray(9 * i, 9 * i + 9)), inFrustum: Uint8Array.from(inF.subarray(256 * i, 256 * (i + 1))),
    }));
    const t = contrastiveTargets(pairs, 16, 8, 4, 16, createRng(1));
    assert.ok(t.weight.every((w) => w === 1), 'enough in-frustum points for every slot');
    const w0 = Float32Array.from(model.trainableVariables[0].dataSync() as Float32Array);
    const first = explicitBaselineStep(model, opt, b, t); // creates Adam's moments
    const before = tf.memory().numTensors;
    const second = explicitBaselineStep(model, opt, b, t);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked by a step');
    assert.ok(Number.isFinite(first.loss) && Number.isFinite(second.loss) && second.cls > 0 && second.contrastive > 0);
    assert.ok(model.trainableVariables[0].dataSync().some((x, i) => x !== w0[i]), 'weights did not move');
    assert.throws(() => explicitBaselineStep(model, opt, b, t, 7, NaN), (e: unknown) => e instanceof NonFiniteLossError && e.step === 7);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked by the NaN guard');
    tf.dispose(Object.values(b));
    opt.dispose();
    model.dispose();
  });
});

describe('explicit baseline: run folder', () => {
  let tmp = '', root = '';
  before(async () => { ({ tmp, root } = await makeTinyDataset('explicit-baseline-test-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('trains with checkpoints, stops on NaN before the update, evaluates every pair (failures included)', async () => {
    const run = path.join(tmp, 'run');
    const r = await trainExplicitBaseline({ dataRoot: root, runDir: run, config: CONFIG, maxSteps: 2 });
    r.model.dispose();
    assert.equal(readCheckpointState(run)!.step, 2);
    assert.equal(readCheckpointState(run)!.rng.seed, TINY.seed, 'the checkpoint records the run seed (registration.seed)');
    await assert.rejects(
      trainExplicitBaseline({ dataRoot: root, runDir: path.join(tmp, 'nan'), config: CONFIG, maxSteps: 3, lossOffset: (s) => (s === 1 ? NaN : 0) }),
      (e: unknown) => e instanceof NonFiniteLossError && e.step === 1,
    );
    assert.equal(readCheckpointState(path.join(tmp, 'nan'))!.step, 1);
    const e = await evaluateExplicitBaseline({ runDir: run, dataRoot: root, maxPairs: 2, outDir: path.join(tmp, 'eval') });
    assert.equal(e.row.pairs, 2);
    assert.equal(e.errors.length, 2);
    assert.ok(e.failures >= 0 && e.failures <= 2);
    assert.ok(fs.existsSync(path.join(tmp, 'eval', 'baseline.md')));
    // per pair: the pose files read back to the errors in pairs.csv (an independent recomputation), and the centres' distances
    const est = readPoseLines(path.join(tmp, 'eval', 'poses-baseline.txt')), gt = readPoseLines(path.join(tmp, 'eval', 'poses-gt.txt'));
    assert.deepEqual([est.length, gt.length, e.pairs.length], [2, 2, 2]);
    for (const [i, p] of e.pairs.entries()) {
      const again = poseError(est[i], gt[i]);
      assert.ok(Math.abs(again.rteM - p.rte) < 1e-4 && Math.abs(again.geodesicDeg - p.geodesic) < 1e-3, `pair ${i}: ${again.rteM} vs ${p.rte}`);
      assert.ok(p.pnpOk === 0 || p.pnpOk === 1);
      const T = gt[i], c = [0, 1, 2].map((k) => -(T[k] * T[3] + T[4 + k] * T[7] + T[8 + k] * T[11]));
      assert.ok(Math.abs(Math.hypot(...c) - p.trueCentreM) < 1e-4);
      if (p.pnpOk === 0) assert.equal(p.estimatedCentreM, 0); // the identity pose
    }
    assert.equal(e.pairs.filter((p) => p.pnpOk === 0).length, e.failures);
    assert.equal(fs.readFileSync(path.join(tmp, 'eval', 'pairs.csv'), 'utf8').split('\n')[0], 'pair,rte,rre,geodesic,success,pnpOk,matches,inliers,estimatedCentreM,trueCentreM,inView,kept,keptInView,correctMatches');
    // the diagnostics: the kept points are the matches, and the summary's shares are the pairs' sums
    const sum = (k: 'inView' | 'kept' | 'keptInView' | 'correctMatches') => e.pairs.reduce((a, p) => a + p[k], 0);
    for (const p of e.pairs) assert.ok(p.kept === p.matches && p.keptInView <= Math.min(p.kept, p.inView) && p.correctMatches <= p.keptInView, JSON.stringify(p));
    assert.equal(e.diagnostics.clsPrecision, sum('keptInView') / Math.max(1, sum('kept')));
    assert.equal(e.diagnostics.clsRecall, sum('keptInView') / Math.max(1, sum('inView')));
    assert.equal(e.diagnostics.correctShare, sum('correctMatches') / Math.max(1, sum('kept')));
  });
});
