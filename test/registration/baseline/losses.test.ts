import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor3D, type Tensor4D } from '../../../src/core/tf.js';
import { createRng } from '../../../src/core/rng.js';
import { l2Normalize } from '../../../src/nn/l2-normalize.js';
import { contrastiveLoss, groundTruthCells, type ContrastiveTargets } from '../../../src/registration/baseline/index.js';
import { checkGradient } from '../../helpers/grad-check.js';

/** Targets with one slot per given (point, cell), pair 0 only. */
const slots = (cells: number[]): ContrastiveTargets => ({
  perPair: cells.length, pointIndex: Int32Array.from(cells.keys()), cellIndex: Int32Array.from(cells), weight: new Float32Array(cells.length).fill(1),
});

describe('explicit baseline: targets and loss', () => {
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
