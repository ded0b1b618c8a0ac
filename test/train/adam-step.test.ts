import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Variable } from '../../src/core/tf.js';
import { createAdam } from '../../src/train/adam.js';
import { adamStep } from '../../src/train/adam-step.js';
import { CLIP_NORM_EPSILON } from '../../src/train/clip-grad-norm.js';

/** w = [1, 2], u = [2], z = [5] (z is not on the loss's path); L = sum(w^2) + sum(u^2) = 1 + 4 + 4 = 9, grad = 2 w, 2 u. */
function problem(tag: string): { w: Variable; u: Variable; z: Variable; loss: () => { total: Tensor; wPart: Tensor } } {
  const w = tf.variable(tf.tensor1d([1, 2]), true, `adam-step.${tag}.w`), u = tf.variable(tf.tensor1d([2]), true, `adam-step.${tag}.u`);
  const z = tf.variable(tf.tensor1d([5]), true, `adam-step.${tag}.z`);
  const loss = () => { const wPart = tf.sum(tf.square(w)); return { total: tf.add(wPart, tf.sum(tf.square(u))), wPart }; };
  return { w, u, z, loss };
}

describe('adamStep', () => {
  it('takes the gradients of the loss, leaves a variable off its path alone, reports every term', () => {
    const { w, u, z, loss } = problem('plain');
    const opt = createAdam([w, z, u], { learningRate: 0.1 });
    const r = adamStep(opt, loss);
    assert.deepEqual([r.loss, r.parts.total, r.parts.wPart, r.applied, r.gradNorm], [9, 9, 5, true, null]);
    // first Adam step: m = 0.1 g, v = 0.001 g^2, m_hat / sqrt(v_hat) = sign(g): every weight moves by -lr (up to epsilon)
    const m = opt.state()!.m;
    [[0.2, 0.4], [0], [0.4]].forEach((want, i) => want.forEach((x, j) => assert.ok(Math.abs(m[i][j] - x) < 1e-7, `m[${i}][${j}] ${m[i][j]} vs ${x}`)));
    assert.ok(Math.abs(w.dataSync()[0] - 0.9) < 1e-6 && Math.abs(w.dataSync()[1] - 1.9) < 1e-6 && Math.abs(u.dataSync()[0] - 1.9) < 1e-6);
    assert.deepEqual(Array.from(z.dataSync()), [5], 'z has no gradient and does not move');
    tf.dispose([w, u, z]); opt.dispose();
  });

  it('clips by the global norm: ||(2, 4, 4)|| = 6, maxNorm 3 scales the gradient by 3 / (6 + 1e-6)', () => {
    const { w, u, z, loss } = problem('clip');
    const opt = createAdam([w, u, z], { learningRate: 0.1 });
    const r = adamStep(opt, loss, { clipGradNorm: 3 });
    assert.ok(Math.abs(r.gradNorm! - 6) < 1e-6, `norm ${r.gradNorm}`);
    const scale = 3 / (6 + CLIP_NORM_EPSILON);
    const m = opt.state()!.m; // (1 - beta1) * clipped gradient
    [[2, 4], [4]].forEach((g, i) => g.forEach((x, j) => assert.ok(Math.abs(m[i][j] - 0.1 * x * scale) < 1e-7, `m[${i}][${j}] ${m[i][j]} vs ${0.1 * x * scale}`)));
    tf.dispose([w, u, z]); opt.dispose();
  });

  it('adds weightDecay * w to the gradient (after clipping, as torch.optim.Adam)', () => {
    const { w, u, z, loss } = problem('decay');
    const opt = createAdam([w, u], { learningRate: 0.1 });
    adamStep(opt, loss, { weightDecay: 0.5, clipGradNorm: 3 });
    const scale = 3 / (6 + CLIP_NORM_EPSILON), m = opt.state()!.m;
    // g = clipped 2 w + 0.5 w: w = (1, 2) -> (2 scale + 0.5, 4 scale + 1); u = 2 -> 4 scale + 1
    [[2 * scale + 0.5, 4 * scale + 1], [4 * scale + 1]].forEach((g, i) => g.forEach((x, j) => assert.ok(Math.abs(m[i][j] - 0.1 * x) < 1e-7, `m[${i}][${j}]`)));
    tf.dispose([w, u, z]); opt.dispose();
  });

  it('a NaN loss applies no update, keeps Adam as it was and leaks nothing', () => {
    const { w, u, z, loss } = problem('nan');
    const opt = createAdam([w, u], { learningRate: 0.1 });
    adamStep(opt, loss); // moments exist from here
    const w1 = Array.from(w.dataSync()), before = tf.memory().numTensors;
    const r = adamStep(opt, loss, { lossOffset: NaN });
    assert.equal(r.applied, false);
    assert.ok(Number.isNaN(r.loss));
    assert.deepEqual(Array.from(w.dataSync()), w1);
    assert.equal(opt.iterations, 1);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked by the guard');
    adamStep(opt, loss, { clipGradNorm: 1, weightDecay: 0.1 });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked by a step');
    tf.dispose([w, u, z]); opt.dispose();
  });
});
