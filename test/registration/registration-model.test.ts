import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertRigid } from '../helpers/rigid.js';
import { tf, type Tensor, type Tensor3D } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { frustumMask } from '../../src/geometry/frustum.js';
import { makeCamera } from '../../src/geometry/camera.js';
import { REGISTRATION_PRESETS, validateRegistrationConfig } from '../../src/registration/config.js';
import { createRegistrationModel } from '../../src/registration/model.js';
import { geometricMask } from '../../src/registration/gpdm.js';
import { correspondenceLoss, diversityLoss } from '../../src/registration/losses.js';
import { checkGradient } from '../helpers/grad-check.js';
import { registrationStep } from '../../src/registration/train.js';
import { createAdam } from '../../src/train/adam.js';
import { TINY, tinyBatch } from './tiny-registration.js';

describe('registration config', () => {
  it('validates presets and names a bad field', () => {
    assert.equal(validateRegistrationConfig({}, REGISTRATION_PRESETS.laptop).dModel, 64);
    assert.equal(validateRegistrationConfig({}).numQueries, 64);
    assert.throws(() => validateRegistrationConfig({ heads: 3 }), (e: unknown) => e instanceof ConfigError && e.field === 'registration.heads');
    assert.throws(() => validateRegistrationConfig({ weights: { div: -1 } as never }), (e: unknown) => e instanceof ConfigError && e.field === 'registration.weights.div');
    assert.throws(() => validateRegistrationConfig({ stage: 'all' as never }), (e: unknown) => e instanceof ConfigError && e.field === 'registration.stage');
    assert.throws(() => validateRegistrationConfig({ bogus: 1 } as never), (e: unknown) => e instanceof ConfigError && e.field === 'registration.bogus');
    assert.throws(() => validateRegistrationConfig({ pairs: { cropWidth: 128 } }, REGISTRATION_PRESETS.laptop), (e: unknown) => e instanceof ConfigError && e.field === 'registration.imageEncoder.inputHeightPx');
  });
});

describe('registration model (tiny laptop config)', () => {
  const model = createRegistrationModel(TINY);
  for (const B of [1, 2]) {
    it(`forward shapes, batch ${B}; every pose is rigid (det 1, orthonormal)`, () => {
      const b = tinyBatch(B);
      const out = model.forward(b, false);
      assert.deepEqual(out.camFromPoints.shape, [B, 4, 4]);
      assert.deepEqual(out.frustumPose.shape, [B, 4, 4]);
      assert.deepEqual(out.inFrustumLogits.shape, [B, 256]);
      assert.deepEqual(out.keypoints2d.shape, [B, 8, 2]);
      assert.deepEqual(out.keypoints3d.shape, [B, 8, 3]);
      assert.deepEqual(out.masks.geometric.shape, [B, 256]);
      assert.equal(out.pixelWeights.length, 1);
      for (const T of [out.camFromPoints, out.frustumPose]) assertRigid(T);
      tf.dispose([out as never, b as never]);
    });
  }

  it('the geometric mask equals geometry/frustum.ts frustumMask for the same pose', () => {
    const b = tinyBatch(1, 3);
    const T = [0.8, 0, 0.6, 1, 0, 1, 0, 0.5, -0.6, 0, 0.8, 2, 0, 0, 0, 1];
    const K = [30, 0, 31.5, 0, 30, 15.5, 0, 0, 1];
    const m = tf.tidy(() => geometricMask(b.points, tf.tensor3d(T, [1, 4, 4]), tf.tensor2d(K, [3, 3]), 64, 32));
    const ref = frustumMask(b.points.dataSync(), 3, T, makeCamera({ fx: 30, fy: 30, cx: 31.5, cy: 15.5, width: 64, height: 32 }));
    assert.deepEqual(Array.from(m.dataSync()), Array.from(ref));
    assert.ok(ref.reduce((s, x) => s + x, 0) > 10);
    tf.dispose([m, b as never]);
  });

  it('no tensor leaks over a joint training step', () => {
    const b = tinyBatch(2);
    const opt = createAdam(model.trainableVariables('joint'), { learningRate: 1e-3 });
    const step = (): void => { registrationStep(model, opt, b, model.config, 'joint'); }; // the step training runs
    step(); // Adam's moments are created on the first step
    const before = tf.memory().numTensors;
    step();
    assert.equal(tf.memory().numTensors, before);
    opt.dispose();
    tf.dispose(b as never);
  });
});

describe('registration losses', () => {
  const K = tf.tensor3d([[[30, 0, 31.5], [0, 30, 15.5], [0, 0, 1]]]);
  const I = tf.tensor3d([[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]]);
  it('L_div is 0 for keypoints farther apart than the margin, positive when closer', () => {
    const far = tf.tensor3d([[[0, 0], [20, 0], [0, 20]]]);
    assert.equal(diversityLoss(far, 16).dataSync()[0], 0);
    const near = tf.tensor3d([[[0, 0], [4, 3], [40, 40]]]); // one pair 5 px apart: 2 ordered pairs x (16 - 5) over 3 x 2
    assert.ok(Math.abs(diversityLoss(near, 16).dataSync()[0] - (2 * 11) / 6) < 1e-4);
  });
  it('L_corr is 0 when the 2D keypoints are the projections of the 3D ones, in pixels otherwise', () => {
    const p3 = tf.tensor3d([[[0, 0, 2], [1, 0.5, 4], [-1, -0.2, 3]]]);
    const uv = [[31.5, 15.5], [31.5 + 7.5, 15.5 + 3.75], [31.5 - 10, 15.5 - 2]];
    assert.ok(correspondenceLoss(tf.tensor3d([uv]), p3, I, K, 64, 32).dataSync()[0] < 1e-4);
    const off = tf.tensor3d([uv.map(([u, v]) => [u + 3, v + 4])]);
    assert.ok(Math.abs(correspondenceLoss(off, p3, I, K, 64, 32).dataSync()[0] - 5) < 1e-4);
    const behind = tf.tensor3d([[[0, 0, -2], [1, 0.5, 4], [-1, -0.2, 3]]]); // out of view: not counted
    assert.ok(Math.abs(correspondenceLoss(off, behind, I, K, 64, 32).dataSync()[0] - 5) < 1e-4);
  });
  it('finite-difference gradients of L_corr (both keypoint sets) and L_div', () => {
    const rng = createRng(5);
    const p3 = Float32Array.from({ length: 12 }, (_, i) => (i % 3 === 2 ? rng.uniform(3, 6) : rng.uniform(-1, 1)));
    const p2 = Float32Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? rng.uniform(10, 50) : rng.uniform(5, 25)));
    const fixed3 = tf.tensor3d(p3, [1, 4, 3]), fixed2 = tf.tensor3d(p2, [1, 4, 2]);
    const opts = { step: 1e-2, atol: 2e-3, rtol: 2e-2 };
    checkGradient((x: Tensor) => correspondenceLoss(x as Tensor3D, fixed3, I, K, 64, 32), p2, [1, 4, 2], opts);
    checkGradient((x: Tensor) => correspondenceLoss(fixed2, x as Tensor3D, I, K, 64, 32), p3, [1, 4, 3], { ...opts, step: 1e-3 });
    const close = Float32Array.from([10, 10, 14, 12, 30, 20, 33, 24]); // pairs 4.5 px and 5 px apart, margin 16
    checkGradient((x: Tensor) => diversityLoss(x as Tensor3D, 16), close, [1, 4, 2], opts);
  });
});
