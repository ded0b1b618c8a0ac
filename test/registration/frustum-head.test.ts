import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor2D, type Tensor3D } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { validateRegistrationConfig, storedRegistrationConfig } from '../../src/registration/config.js';
import { createRegistrationModel } from '../../src/registration/model.js';
import { yawHead } from '../../src/registration/gpdm.js';
import { inFrustumLoss, registrationLoss, yawPoseLoss } from '../../src/registration/losses.js';
import { fitFrustumPose, yawPose } from '../../src/registration/frustum-fit.js';
import { TINY, tinyBatch } from './tiny-registration.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

describe('the released code\'s frustum head and losses (issue 11)', () => {
  it('yawHead: zero output is the identity; otherwise R = [[d1, 0, -d0], [0, 1, 0], [d0, 0, d1]] with d = normalise(out[0], out[1] + 1)', () => {
    const out = tf.tensor2d([[0, 0, 0, 0], [0.6, -0.2, 0.3, -0.5]]);
    const { R, offset } = yawHead(out as Tensor2D);
    const n = Math.hypot(0.6, 0.8), d0 = 0.6 / n, d1 = 0.8 / n;
    close(R.dataSync(), [1, 0, 0, 0, 1, 0, 0, 0, 1, d1, 0, -d0, 0, 1, 0, d0, 0, d1], 1e-6, 'R');
    close(offset.dataSync(), [0, 0, 0, Math.fround(0.3), 0, -0.5], 0, 'offset');
    tf.dispose([out, R, offset]);
  });

  it('yawPoseLoss: 0 at the truth; a quarter turn and a 10 m shift by hand', () => {
    const gt = tf.tensor3d(Float32Array.from(yawPose(0, 0, 0)), [1, 4, 4]), pred = tf.tensor3d(Float32Array.from(yawPose(Math.PI / 2, 10, 0)), [1, 4, 4]);
    const zero = yawPoseLoss(gt, gt, 10), l = yawPoseLoss(pred, gt, 10);
    assert.equal(zero.direction.dataSync()[0], 0);
    assert.equal(zero.centre.dataSync()[0], 0);
    // (R[2][0], R[0][0]) = (-sin, cos): (-1, 0) against (0, 1): (1 + 1) / 2; centre (10, 0) m = (1, 0) units against (0, 0): 1 / 2
    assert.ok(Math.abs(l.direction.dataSync()[0] - 1) < 1e-6);
    assert.ok(Math.abs(l.centre.dataSync()[0] - 0.5) < 1e-6);
    tf.dispose([gt, pred, zero, l] as never);
  });

  it('inFrustumLoss: balanced = (mean BCE inside + mean BCE outside) / 2; bce = mean over all (hand values)', () => {
    const y = tf.tensor2d([[1, 0, 0, 0]]), z = tf.tensor2d([[0, 0, Math.log(3), -Math.log(3)]]);
    // BCE(1, 0) = ln 2; BCE(0, 0) = ln 2; BCE(0, ln 3) = ln 4; BCE(0, -ln 3) = ln(4 / 3)
    const neg = (Math.log(2) + Math.log(4) + Math.log(4 / 3)) / 3;
    const bal = inFrustumLoss(y as Tensor2D, z as Tensor2D, 'balanced'), bce = inFrustumLoss(y as Tensor2D, z as Tensor2D, 'bce');
    assert.ok(Math.abs(bal.dataSync()[0] - (Math.log(2) + neg) / 2) < 1e-6);
    assert.ok(Math.abs(bce.dataSync()[0] - (Math.log(2) + 3 * neg) / 4) < 1e-6);
    tf.dispose([y, z, bal, bce]);
  });

  it('config: the released recipe by default; a stored config without the switches means the recipe before them', () => {
    const c = validateRegistrationConfig(TINY);
    assert.deepEqual([c.frustumHead, c.detachFrustumHead, c.clsLoss, c.frustumPose], ['yaw', true, 'balanced', 'head']);
    const old = storedRegistrationConfig({ name: 'old' });
    assert.deepEqual([old.frustumHead, old.detachFrustumHead, old.clsLoss], ['6d', false, 'bce']);
    assert.throws(() => validateRegistrationConfig({ frustumHead: 'se3' as never }), (e: unknown) => e instanceof ConfigError && e.field === 'registration.frustumHead');
    assert.throws(() => validateRegistrationConfig({ clsLoss: 'focal' as never }), (e: unknown) => e instanceof ConfigError && e.field === 'registration.clsLoss');
    assert.throws(() => validateRegistrationConfig({ frustumFit: { clipLogit: -1 } }), (e: unknown) => e instanceof ConfigError && e.field === 'frustumFit.clipLogit');
  });

  for (const detach of [true, false]) {
    it(`${detach ? 'detached' : 'not detached'}: L_fru reaches ${detach ? 'only the pose MLP' : 'the classifier and the encoders too'}`, () => {
      const model = createRegistrationModel({ ...TINY, detachFrustumHead: detach });
      const b = tinyBatch(2, 3), vars = model.trainableVariables('gpdm');
      const weights = { ...model.config.weights, cls: 0 }; // the pose terms alone
      const { grads } = tf.variableGrads(() => registrationLoss(model.forward(b, true, 'gpdm'), b, { ...model.config, weights }, 'gpdm', 64, 32).total, vars);
      const names = [...model.variables].filter(([, v]) => vars.includes(v)).map(([n]) => n);
      const moved = names.filter((n) => { const v = model.variables.get(n)!, g = grads[v.name]; return g !== undefined && tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]) > 0; });
      // GPDM's parts in order: inPoint, inImage, norm, mid, cls (gpdm.0-9), then pose1, pose2, poseOut (gpdm.10-15)
      const poseMlp = ['gpdm.10', 'gpdm.11', 'gpdm.12', 'gpdm.13', 'gpdm.14', 'gpdm.15'];
      if (detach) assert.deepEqual(moved, poseMlp);
      else assert.ok(moved.includes('gpdm.8') && moved.some((n) => n.startsWith('point.')) && poseMlp.every((n) => moved.includes(n)), moved.join(', '));
      tf.dispose(Object.values(grads));
      tf.dispose(b as never);
      model.dispose();
    });
  }

  it("imageGlobal 'columns': GPDM reads w_L column bands (their mean is the 'mean' summary); the model runs and trains", () => {
    const model = createRegistrationModel({ ...TINY, imageGlobal: 'columns' }), b = tinyBatch(2, 4);
    // TINY: 64 px wide, 3 stages -> 4 halvings -> 4 column bands of 16 channels: GPDM's image input is 64 wide
    assert.deepEqual(model.variables.get('gpdm.2')!.shape, [4 * 16, 16]);
    const out = model.forward(b, true, 'gpdm');
    assert.deepEqual(out.frustumPose.shape, [2, 4, 4]);
    const wide = createRegistrationModel({ ...TINY, imageGlobal: 'mean' });
    assert.deepEqual(wide.variables.get('gpdm.2')!.shape, [16, 16]);
    tf.dispose([out, b] as never);
    model.dispose(); wide.dispose();
  });

  it("gpdmFusion 'attention': coarse points attend to the pixels; the 'global' variables are unchanged, the new ones train", () => {
    const glob = createRegistrationModel(TINY), att = createRegistrationModel({ ...TINY, gpdmFusion: 'attention' });
    const names = (m: typeof glob): string[] => [...m.variables.keys()];
    // 'global' names and initial values are a prefix of 'attention': its extra variables come after GPDM's 16
    const extra = names(att).filter((n) => !names(glob).includes(n));
    assert.deepEqual(extra, Array.from({ length: extra.length }, (_, i) => `gpdm.${16 + i}`));
    for (const n of names(glob)) assert.deepEqual(att.variables.get(n)!.dataSync(), glob.variables.get(n)!.dataSync(), n);
    const b = tinyBatch(2, 6), vars = att.trainableVariables('gpdm');
    const { grads } = tf.variableGrads(() => registrationLoss(att.forward(b, true, 'gpdm'), b, att.config, 'gpdm', 64, 32).total, vars);
    for (const n of extra) {
      const g = grads[att.variables.get(n)!.name];
      assert.ok(g && tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]) > 0, `${n} gets a gradient from L_cls`);
    }
    tf.dispose(Object.values(grads));
    tf.dispose(b as never);
    glob.dispose(); att.dispose();
  });

  it("frustumPose 'fit': ICLM and PRM build on the pose fitted to the logits; headPose stays the head's", () => {
    const head = createRegistrationModel(TINY), fit = createRegistrationModel({ ...TINY, frustumPose: 'fit' });
    const b = tinyBatch(2, 5);
    const oh = head.forward(b, false, 'joint'), of = fit.forward(b, false, 'joint');
    close(of.headPose.dataSync(), oh.frustumPose.dataSync(), 1e-6, 'head pose (same seed, same weights)');
    const N = 256, lg = of.inFrustumLogits.dataSync(), pts = b.points.dataSync(), K = b.K.dataSync();
    for (let i = 0; i < 2; i++) {
      const f = fitFrustumPose(pts.subarray(3 * N * i, 3 * N * (i + 1)), lg.subarray(N * i, N * (i + 1)), K.subarray(9 * i, 9 * i + 9), 64, 32);
      close(of.frustumPose.dataSync().subarray(16 * i, 16 * i + 16), f.camFromPoints, 1e-6, `fitted pose ${i}`);
    }
    const og = fit.forward(b, false, 'gpdm');
    close(og.frustumPose.dataSync(), oh.frustumPose.dataSync(), 1e-6, "stage 'gpdm' uses the head");
    tf.dispose([oh, of, og, b] as never);
    head.dispose(); fit.dispose();
  });
});
