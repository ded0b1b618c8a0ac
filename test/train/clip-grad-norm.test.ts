import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor1D } from '../../src/core/tf.js';
import { CLIP_NORM_EPSILON, clipGradNorm } from '../../src/train/clip-grad-norm.js';

describe('clipGradNorm', () => {
  const g = (): Tensor1D => tf.tensor1d([3, 4, 0, 12]); // ||g|| = sqrt(9 + 16 + 0 + 144) = 13

  it('scales a gradient above maxNorm by maxNorm / (norm + 1e-6), as torch clip_grad_norm_', () => {
    const x = g(), before = tf.memory().numTensors;
    const r = clipGradNorm(x, 6.5);
    assert.equal(r.norm, 13);
    const scale = 6.5 / (13 + CLIP_NORM_EPSILON); // just under 1/2
    assert.equal(r.scale, scale);
    const got = r.grad.dataSync();
    [3, 4, 0, 12].forEach((v, i) => assert.ok(Math.abs(got[i] - v * scale) < 1e-6, `${got[i]} vs ${v * scale}`));
    const n = Math.hypot(...got);
    assert.ok(n < 6.5 && n > 6.5 - 1e-5, `clipped norm ${n}`);
    r.grad.dispose();
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    x.dispose();
  });

  it('leaves a gradient within maxNorm as it is', () => {
    const x = g();
    const r = clipGradNorm(x, 20);
    assert.equal(r.scale, 1);
    assert.deepEqual(Array.from(r.grad.dataSync()), [3, 4, 0, 12]);
    assert.notEqual(r.grad, x, 'a new tensor (the caller disposes both)');
    tf.dispose([x, r.grad]);
  });

  it('rejects a maxNorm that is not a finite number > 0', () => {
    const x = g();
    for (const bad of [0, -1, NaN, Infinity]) assert.throws(() => clipGradNorm(x, bad), /maxNorm must be a finite number > 0/);
    x.dispose();
  });
});
