import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { lazyTripletLoss, midLevelTripletLoss, modaLinkLoss, validateModaLinkLossConfig } from '../../src/modalink/losses.js';
import { assertNear } from '../helpers/geometry.js';
import { checkGradient, randomNormal } from '../helpers/grad-check.js';

const scalar = (t: Tensor): number => { const v = t.dataSync()[0]; t.dispose(); return v; };

describe('lazyTripletLoss', () => {
  it('matches hand arithmetic on 2-D descriptors', () => {
    // query 0: q = (0, 0), p = (0.6, 0.8) -> d(q,p) = 1; negatives at distance 1.1 and 3
    //   hinges: relu(1 - 1.1 + 0.3) = 0.2, relu(1 - 3 + 0.3) = 0 -> max 0.2
    // query 1: q = (1, 0), p = (1, 0) -> d = 0; negatives at 0.1 and 2 -> relu(0 - 0.1 + 0.3) = 0.2, 0 -> 0.2... use 0.25:
    //   negatives at distance 0.25 and 2 -> relu(0.05) = 0.05 -> max 0.05
    // mean = (0.2 + 0.05) / 2 = 0.125
    const q = tf.tensor2d([0, 0, 1, 0], [2, 2]);
    const p = tf.tensor2d([0.6, 0.8, 1, 0], [2, 2]);
    const n = tf.tensor3d([1.1, 0, 0, 3, 1, 0.25, 1, -2], [2, 2, 2]);
    const before = tf.memory().numTensors;
    assertNear(scalar(lazyTripletLoss(q, p, n)), (0.2 + 0.05) / 2, 1e-6, 'loss');
    assertNear(scalar(lazyTripletLoss(q, p, n, 0)), (0 + 0) / 2, 1e-6, 'margin 0');
    assertNear(scalar(lazyTripletLoss(q, p, n, 1)), (Math.max(1 - 1.1 + 1, 1 - 3 + 1) + Math.max(0 - 0.25 + 1, 0 - 2 + 1)) / 2, 1e-6, 'margin 1');
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([q, p, n]);
  });
  it('matches finite differences w.r.t. the query, and stays finite when q = p', () => {
    const [B, M, D] = [3, 4, 5];
    const p = tf.tensor2d(randomNormal(1, B * D), [B, D]);
    const n = tf.tensor3d(randomNormal(2, B * M * D, 0.5), [B, M, D]);
    const qv = randomNormal(3, B * D, 0.3).map((v, i) => v + p.dataSync()[i]);
    checkGradient((q: Tensor) => lazyTripletLoss(q as Tensor2D, p, n, 3), qv, [B, D], { step: 1e-3 });
    const g = tf.tidy(() => tf.grad((q: Tensor) => lazyTripletLoss(q as Tensor2D, p, n, 3))(p));
    assert.ok(Array.from(g.dataSync()).every(Number.isFinite));
    tf.dispose([g, p, n]);
  });
  it('checks shapes', () => {
    const q = tf.zeros([2, 3]) as Tensor2D;
    const n = tf.zeros([2, 4, 2]) as Tensor3D;
    assert.throws(() => lazyTripletLoss(q, q, n), /lazyTripletLoss: negatives: expected \[2, M, 3\] with M >= 1, got \[2, 4, 2\]/);
    tf.dispose([q, n]);
  });
});

describe('midLevelTripletLoss and modaLinkLoss', () => {
  it('uses the mean absolute difference over the map (hand arithmetic)', () => {
    // one query, maps of 4 elements: q = 0, p = 0.1 everywhere -> d = 0.1
    // negatives: 0.11 everywhere -> d = 0.11 -> relu(0.1 - 0.11 + 0.03) = 0.02; 1 everywhere -> 0
    const qm = tf.zeros([1, 2, 2, 1]);
    const pm = tf.fill([1, 2, 2, 1], 0.1);
    const nm = tf.concat([tf.fill([1, 1, 2, 2, 1], 0.11), tf.ones([1, 1, 2, 2, 1])], 1);
    assertNear(scalar(midLevelTripletLoss(qm, pm, nm)), 0.02, 1e-6, 'mid');
    const q = tf.tensor2d([0, 0], [1, 2]);
    const p = tf.tensor2d([0, 1], [1, 2]);
    const n = tf.tensor3d([0, 1.2, 5, 5], [1, 2, 2]); // hinge relu(1 - 1.2 + 0.3) = 0.1
    const before = tf.memory().numTensors;
    const r = modaLinkLoss({ query: q, positive: p, negatives: n, queryMap: qm, positiveMap: pm, negativeMaps: nm }, { tripletWeight: 2, midWeight: 10 });
    assertNear(r.triplet.dataSync()[0], 0.1, 1e-6, 'triplet');
    assertNear(r.mid.dataSync()[0], 0.02, 1e-6, 'mid');
    assertNear(r.total.dataSync()[0], 2 * 0.1 + 10 * 0.02, 1e-6, 'total');
    tf.dispose([r.total, r.triplet, r.mid]);
    assert.equal(tf.memory().numTensors, before);
    const noMaps = modaLinkLoss({ query: q, positive: p, negatives: n });
    assertNear(scalar(noMaps.total), 0.1, 1e-6, 'without maps');
    tf.dispose([noMaps.triplet, noMaps.mid]);
    assert.throws(() => modaLinkLoss({ query: q, positive: p, negatives: n, queryMap: qm }), /give all three/);
    tf.dispose([qm, pm, nm, q, p, n]);
  });
  it('validates its config', () => {
    assert.equal(validateModaLinkLossConfig().marginL2, 0.3);
    assert.equal(validateModaLinkLossConfig().midMarginL1, 0.03);
    assert.throws(() => validateModaLinkLossConfig({ marginL2: -1 }), (e: unknown) => e instanceof ConfigError && e.field === 'loss.marginL2');
    assert.throws(() => validateModaLinkLossConfig({ margin: 1 } as never), /loss\.margin.*unknown field/);
  });
});
