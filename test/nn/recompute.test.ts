import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Variable } from '../../src/core/tf.js';
import { recompute } from '../../src/nn/recompute.js';

/** Two blocks relu(x W1 + b1) W2, then a weighted sum; with or without recomputation. */
function setup() {
  const v = (shape: number[], seed: number): Variable => tf.variable(tf.randomNormal(shape, 0, 0.5, 'float32', seed));
  const W1 = v([8, 16], 1), b1 = v([16], 2), W2 = v([16, 8], 3), W3 = v([8, 4], 4);
  const x = tf.randomNormal([32, 8], 0, 1, 'float32', 5), w = tf.randomNormal([32, 4], 0, 1, 'float32', 6);
  const block = (h: Tensor): Tensor => tf.matMul(tf.relu(tf.add(tf.matMul(h as never, W1), b1)), W2);
  const loss = (useRecompute: boolean, probe?: (bytes: number) => void) => (): ReturnType<typeof tf.scalar> => {
    const h1 = useRecompute ? recompute(block, [x], [W1, b1, W2]) : block(x);
    const h2 = useRecompute ? recompute(block, [h1], [W1, b1, W2]) : block(h1); // the same weights twice: gradients add up
    const out = tf.matMul(h2 as never, W3);
    probe?.(tf.memory().numBytes);
    return tf.sum(tf.mul(out, w)) as ReturnType<typeof tf.scalar>;
  };
  return { vars: [W1, b1, W2, W3], x, w, loss, dispose: () => tf.dispose([W1, b1, W2, W3, x, w]) };
}

describe('recompute (gradient checkpointing)', () => {
  // first in this file (node --test runs each file in a process of its own): a process that has never taken a
  // gradient, as `i2p register eval` of an N_q 64 model, which recompute once refused (tfjs-core creates
  // engine.state.activeTape with the first gradient)
  it('is the block itself in a process that has never taken a gradient', () => {
    assert.ok(!('activeTape' in (tf.engine() as unknown as { state: object }).state), 'precondition: no gradient taken yet in this process');
    const x = tf.tensor2d([[1, -2], [3, 1]]), W = tf.variable(tf.tensor2d([[1], [1]]));
    const y = recompute((h) => tf.relu(tf.matMul(h as never, W)), [x], [W]);
    assert.deepEqual(Array.from(y.dataSync()), [0, 4]);
    tf.dispose([x, W, y]);
  });

  it('gives the same loss and the same gradients for every variable, bit for bit', () => {
    const s = setup();
    const a = tf.variableGrads(s.loss(false), s.vars), b = tf.variableGrads(s.loss(true), s.vars);
    assert.equal(a.value.dataSync()[0], b.value.dataSync()[0]);
    for (const v of s.vars) assert.deepEqual(Array.from(b.grads[v.name].dataSync()), Array.from(a.grads[v.name].dataSync()), v.name);
    tf.dispose([a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    s.dispose();
  });
  it('keeps fewer bytes alive at the end of the forward pass, and leaks nothing', () => {
    const s = setup();
    const before = tf.memory().numTensors;
    let plain = 0, recomputed = 0;
    const b0 = tf.memory().numBytes;
    const a = tf.variableGrads(s.loss(false, (n) => { plain = n - b0; }), s.vars);
    tf.dispose([a.value, ...Object.values(a.grads)]);
    const b = tf.variableGrads(s.loss(true, (n) => { recomputed = n - b0; }), s.vars);
    tf.dispose([b.value, ...Object.values(b.grads)]);
    assert.ok(recomputed < plain, `bytes alive after the forward pass: ${recomputed} with recompute, ${plain} without`);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
    s.dispose();
  });
  it('is the block itself outside a gradient computation', () => {
    const x = tf.tensor2d([[1, -2]]), W = tf.variable(tf.tensor2d([[1], [1]]));
    const y = recompute((h) => tf.relu(tf.matMul(h as never, W)), [x], [W]);
    assert.deepEqual(Array.from(y.dataSync()), [0]);
    tf.dispose([x, W, y]);
  });
});

describe('multi-head attention with its map recomputed', () => {
  it('gives the same output, weights and gradients as keeping the map', async () => {
    const { createMultiHeadAttention } = await import('../../src/nn/attention.js');
    const kept = createMultiHeadAttention({ dModel: 8, heads: 2, seed: 3 }), again = createMultiHeadAttention({ dModel: 8, heads: 2, seed: 3, recomputeMinScores: 0 });
    const q = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 1), kv = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 2);
    const mask = tf.tensor2d([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]]), w = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 3), ww = tf.randomNormal([2, 3, 5], 0, 1, 'float32', 4);
    const run = (a: typeof kept) => tf.variableGrads(() => {
      const r = a.apply(q as never, kv as never, mask);
      return tf.add(tf.sum(tf.mul(r.out, w)), tf.sum(tf.mul(r.weights, ww))) as ReturnType<typeof tf.scalar>;
    }, a.trainableVariables);
    const x = run(kept), y = run(again);
    assert.equal(y.value.dataSync()[0], x.value.dataSync()[0]);
    kept.trainableVariables.forEach((v, i) => {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(x.grads[v.name], y.grads[again.trainableVariables[i].name]))).dataSync()[0]);
      assert.ok(d <= 1e-6, `variable ${i}: max difference ${d}`);
    });
    tf.dispose([q, kv, mask, w, ww, x.value, y.value, ...Object.values(x.grads), ...Object.values(y.grads)]);
    kept.dispose(); again.dispose();
  });
});
