import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gpdmMetrics } from '../../src/registration/gpdm-metrics.js';

describe('gpdmMetrics', () => {
  it('pools every point of every pair (hand counts)', () => {
    // pair 0: truth 1 1 0 0, logits + - + -, mask 1 1 1 0; pair 1: truth 0 1, logits - +, mask 0 0
    // identity camera; pair 0: points at z = 5, 20, -5, -30 (in front: 0, 1; within 15 m: 0, 2); pair 1: z = -1, 40
    const I = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const geo = [{ points: [0, 0, 5, 0, 0, 20, 0, 0, -5, 0, 0, -30], camFromPoints: I }, { points: [0, 0, -1, 0, 0, 40], camFromPoints: I }];
    const m = gpdmMetrics([Float32Array.from([2, -1, 0.5, -3]), Float32Array.from([-2, 1])],
      [Uint8Array.from([1, 1, 1, 0]), Uint8Array.from([0, 0])], [Uint8Array.from([1, 1, 0, 0]), Uint8Array.from([0, 1])], geo);
    // classifier predicts points 0, 2 and 5: TP 2 (0, 5), FP 1 (2), FN 1 (1)
    assert.equal(m.clsPrecisionPct, 100 * (2 / 3));
    assert.equal(m.clsRecallPct, 100 * (2 / 3));
    // mask: TP 2 (0, 1), FP 1 (2), FN 1 (5)
    assert.equal(m.maskPrecisionPct, 100 * (2 / 3));
    assert.equal(m.maskRecallPct, 100 * (2 / 3));
    assert.equal(m.inFrustumPct, 50);
    // AUC over positives {2, -1, 1} and negatives {0.5, -3, -2}: 2 beats 3, -1 beats 2, 1 beats 3 -> 8 / 9
    assert.equal(m.clsAuc, 8 / 9);
    // per pair: pair 0 in-frustum AUC: positives {2, -1} vs negatives {0.5, -3}: 3 of 4; pair 1: positive 1 vs -2: 1
    assert.equal(m.clsAucPerPair, (3 / 4 + 1) / 2);
    // in front: pair 0 {2, -1} vs {0.5, -3}: 3 / 4; pair 1 {1} vs {-2}: 1. Near: pair 0 {2, 0.5} vs {-1, -3}: 1; pair 1 {-2} vs {1}: 0
    assert.equal(m.frontAuc, (3 / 4 + 1) / 2);
    assert.equal(m.nearAuc, (1 + 0) / 2);
    assert.throws(() => gpdmMetrics([new Float32Array(3)], [new Uint8Array(3)], [new Uint8Array(2)], [{ points: new Float32Array(6), camFromPoints: I }]), /pair 0 has 3 logits and 3 mask values for 2 labels/);
  });
});
