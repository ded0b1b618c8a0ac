import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { ConfigError } from '../../src/core/errors.js';
import { transformPoints } from '../../src/geometry/se3.js';
import { makePerturbation } from '../../src/data/pairs/index.js';
import { poseError } from '../../src/metrics/pose.js';
import { readCheckpointState } from '../../src/modalink/checkpoint.js';
import { NonFiniteLossError } from '../../src/modalink/train.js';
import {
  contrastiveLoss, contrastiveTargets, createExplicitBaseline, evaluateExplicitBaseline, explicitBaselineStep, groundTruthCells,
  l2Normalize, poseFromDescriptors, predictExplicit, trainExplicitBaseline, validateExplicitBaselineConfig, type ContrastiveTargets,
  type ExplicitBaselineConfig,
} from '../../src/registration/explicit-baseline.js';
import { checkGradient } from '../helpers/grad-check.js';
import { TINY, tinyBatch } from './tiny-registration.js';
import { makeTinyDataset } from '../helpers/tiny-dataset.js';

const CONFIG: Partial<ExplicitBaselineConfig> = { registration: TINY, descriptorDim: 8, contrastivePoints: 16 };

/** Targets with one slot per given (point, cell), pair 0 only. */
const slots = (cells: number[]): ContrastiveTargets => ({
  perPair: cells.length, pointIndex: Int32Array.from(cells.keys()), cellIndex: Int32Array.from(cells), weight: new Float32Array(cells.length).fill(1),
});

describe('explicit baseline: model and loss', () => {
  it('validates its config with readable errors', () => {
    assert.throws(() => validateExplicitBaselineConfig({ temperature: 0 }), (e: unknown) => e instanceof ConfigError && /explicitBaseline\.temperature/.test(e.message));
    assert.throws(() => validateExplicitBaselineConfig({ foo: 1 } as never), /explicitBaseline\.foo/);
    assert.equal(validateExplicitBaselineConfig().ransacIterations, 500);
  });

  it('returns descriptors of the documented shapes, unit norm, for B = 1 and 2', () => {
    const model = createExplicitBaseline(CONFIG, 3);
    for (const B of [1, 2]) {
      const b = tinyBatch(B);
      const out = model.forward(b.image, b.points, false);
      assert.deepEqual(out.pixelDescriptors.shape, [B, 8, 16, 8]);
      assert.deepEqual(out.pointDescriptors.shape, [B, 256, 8]);
      assert.deepEqual(out.inFrustumLogits.shape, [B, 256]);
      for (const t of [out.pixelDescriptors, out.pointDescriptors]) {
        const n = tf.tidy(() => tf.norm(t, 'euclidean', -1).dataSync());
        for (const x of n) assert.ok(Math.abs(x - 1) < 1e-4, `norm ${x}`);
      }
      tf.dispose([out.pixelDescriptors, out.pointDescriptors, out.inFrustumLogits, ...Object.values(b)]);
    }
    assert.equal(model.gridStride, 4);
    model.dispose();
  });

  it('InfoNCE is -log(e^(1/T) / (e^(1/T) + hw - 1)) for aligned one-hots and larger when misaligned', () => {
    const hw = 6, T = 0.5, cells = [0, 2, 5, 3];
    const pix = tf.reshape(tf.eye(hw), [1, 2, 3, hw]) as Tensor4D; // cell c's descriptor = e_c
    const aligned = tf.oneHot(tf.tensor1d(cells, 'int32'), hw).toFloat().reshape([1, 4, hw]) as Tensor3D;
    const wrong = tf.oneHot(tf.tensor1d(cells.map((c) => (c + 1) % hw), 'int32'), hw).toFloat().reshape([1, 4, hw]) as Tensor3D;
    const la = contrastiveLoss(aligned, pix, slots(cells), T).dataSync()[0];
    const lw = contrastiveLoss(wrong, pix, slots(cells), T).dataSync()[0];
    assert.ok(Math.abs(la - -Math.log(Math.exp(1 / T) / (Math.exp(1 / T) + hw - 1))) < 1e-5, `aligned ${la}`);
    assert.ok(Math.abs(lw - -Math.log(1 / (Math.exp(1 / T) + hw - 1))) < 1e-5, `misaligned ${lw}`);
    assert.ok(lw > la);
    tf.dispose([pix, aligned, wrong]);
  });

  it('InfoNCE gradient (through the L2 normalisation) matches finite differences; padding slots count for nothing', () => {
    const rng = createRng(5), B = 2, N = 5, D = 4;
    const pix = tf.tidy(() => l2Normalize(tf.tensor4d(Float32Array.from({ length: B * 6 * D }, () => rng.normal()), [B, 2, 3, D]))) as Tensor4D;
    const t: ContrastiveTargets = { perPair: 3, pointIndex: Int32Array.from([0, 3, 4, 1, 2, 0]), cellIndex: Int32Array.from([5, 0, 2, 1, 4, 3]), weight: Float32Array.from([1, 1, 1, 1, 1, 0]) };
    const x = Float32Array.from({ length: B * N * D }, () => rng.normal());
    checkGradient((v: Tensor) => contrastiveLoss(l2Normalize(v) as Tensor3D, pix, t, 0.5), x, [B, N, D], { maxEntries: 16 });
    const padded = tf.tidy(() => contrastiveLoss(l2Normalize(tf.tensor3d(x, [B, N, D])) as Tensor3D, pix, t, 0.5).dataSync()[0]);
    const t5: ContrastiveTargets = { perPair: 3, pointIndex: t.pointIndex, cellIndex: Int32Array.from([5, 0, 2, 1, 4, 0]), weight: t.weight };
    const moved = tf.tidy(() => contrastiveLoss(l2Normalize(tf.tensor3d(x, [B, N, D])) as Tensor3D, pix, t5, 0.5).dataSync()[0]);
    assert.equal(padded, moved);
    pix.dispose();
  });

  it('ground-truth cells follow the pixel-centre convention (cell j covers u in [4j - 0.5, 4j + 3.5))', () => {
    const K = Float64Array.from([10, 0, 0, 0, 10, 0, 0, 0, 1]), T = Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const us = [3.4, 3.6, -0.4, 11.4];
    const points = Float32Array.from(us.flatMap((u) => [u / 10, 0.5 / 10, 1]));
    const cells = groundTruthCells({ points, camFromPoints: T, K, inFrustum: Uint8Array.from([1, 1, 1, 0]) }, 3, 2, 4);
    assert.deepEqual([...cells], [0, 1, 0, -1]);
  });
});

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

describe('explicit baseline: training', () => {
  it('a training step changes the weights, gives a finite loss and leaks no tensors', () => {
    const model = createExplicitBaseline(CONFIG, 3);
    const opt = tf.train.adam(1e-3);
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
  });
});
