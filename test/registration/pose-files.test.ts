import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPoseLines, readPoseLines } from '../../src/registration/pose-files.js';
import { gpdmMetrics } from '../../src/registration/gpdm-metrics.js';

describe('pose files (KITTI layout)', () => {
  it('round trip: float32 poses read back exactly (Math.fround), 12 numbers a line', () => {
    const T = Float32Array.from([0.1, -0.9949874, 0, 3.25, 0, 1, 0, 0, 0.9949874, 0.1, 0, -7.125, 0, 0, 0, 1]);
    const U = Float32Array.from({ length: 16 }, (_, i) => (i >= 12 ? [0, 0, 0, 1][i - 12] : Math.fround(1 / (i + 3))));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i2p-poses-')), file = path.join(dir, 'poses.txt');
    const text = formatPoseLines([T, U]);
    assert.equal(text.split('\n').length, 3);
    assert.equal(text.split('\n')[0].split(' ').length, 12);
    fs.writeFileSync(file, text);
    const back = readPoseLines(file);
    for (const [k, P] of [T, U].entries()) assert.deepEqual(Array.from(back[k], (x) => Math.fround(x)), Array.from(P));
    fs.writeFileSync(file, `${text}1 2 3\n`);
    assert.throws(() => readPoseLines(file), (e: Error) => e.message.includes(`${file}: line 3: expected 12 finite numbers`));
    assert.throws(() => formatPoseLines([new Float32Array(12)]), /pose 0 has 12 numbers, expected 16/);
    fs.rmSync(dir, { recursive: true });
  });
});

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
