import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor, type Tensor1D, type Variable } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { createAdam } from '../../src/train/adam.js';
import { flattenTensors } from '../../src/train/flat-layout.js';

const SHAPES = [[3, 3, 2, 4], [4], [7, 5], [], [1, 1, 4, 8], [8]];

/** Two sets of variables with the same seeded values. */
function twins(tag: string): [Variable[], Variable[]] {
  const rng = createRng(5);
  const init = SHAPES.map((s) => tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.3), s));
  const a = init.map((t, i) => tf.variable(t, true, `adam-test.${tag}.a.${i}`)), b = init.map((t, i) => tf.variable(t, true, `adam-test.${tag}.b.${i}`));
  tf.dispose(init);
  return [a, b];
}

/** Gradients of step k: seeded, of every scale from 1e-4 to 10 (Adam's sqrt(v) and epsilon both matter). */
const gradsAt = (k: number): Tensor[] => SHAPES.map((s, i) => tf.tidy(() => tf.mul(tf.randomNormal(s, 0, 1, 'float32', 100 * k + i), 10 ** ((i % 6) - 4))));

const maxAbsDiff = (a: Variable[], b: Variable[]): number => Math.max(...a.map((v, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(v, b[i]))).dataSync()[0])));

describe('flat Adam', () => {
  it('gives the updates of tf.train.adam: same variables, same gradients, 25 steps, learning rate changed on the way', () => {
    const [a, b] = twins('plain');
    const ref = tf.train.adam(1e-2), flat = createAdam(b, { learningRate: 1e-2 });
    for (let k = 0; k < 25; k++) {
      if (k === 10) { (ref as unknown as { learningRate: number }).learningRate = 3e-3; flat.learningRate = 3e-3; }
      const g = gradsAt(k);
      ref.applyGradients(Object.fromEntries(a.map((v, i) => [v.name, g[i]])) as never);
      const fg = flattenTensors(g);
      flat.update(fg);
      tf.dispose([...g, fg]);
    }
    const diff = maxAbsDiff(a, b);
    assert.ok(diff <= 1e-7, `max |w_tf.train.adam - w_flat| = ${diff}`); // measured: 0 (the same float32 ops in the same order)
    assert.equal(flat.iterations, 25);
    tf.dispose([...a, ...b]); ref.dispose(); flat.dispose();
  });

  it('L2 weight decay equals tf.train.adam on g + weightDecay * w; a dead variable keeps its weights and moments', () => {
    const [a, b] = twins('decay');
    const ref = tf.train.adam(1e-2), flat = createAdam(b, { learningRate: 1e-2 });
    for (let k = 0; k < 12; k++) {
      const dead = k % 3 === 2 ? 1 : -1; // every third step variable 1 gets no gradient (tf.train.adam skips a null)
      const g = gradsAt(k);
      tf.tidy(() => ref.applyGradients(Object.fromEntries(a.map((v, i) => [v.name, i === dead ? null : tf.add(g[i], tf.mul(v, 1e-2))])) as never));
      const fg = flattenTensors(g.map((t, i) => (i === dead ? tf.zerosLike(t) : t)));
      flat.update(fg, { weightDecay: 1e-2, live: SHAPES.map((_, i) => i !== dead) });
      tf.dispose([...g, fg]);
    }
    const diff = maxAbsDiff(a, b);
    assert.ok(diff <= 1e-7, `max |w_tf.train.adam - w_flat| = ${diff}`);
    tf.dispose([...a, ...b]); ref.dispose(); flat.dispose();
  });

  it('state() into a fresh optimizer continues bit for bit (what a checkpoint resume does)', () => {
    const [a, b] = twins('state');
    const one = createAdam(a, { learningRate: 1e-2 });
    const step = (opt: typeof one, k: number): void => { const g = gradsAt(k), fg = flattenTensors(g); opt.update(fg); tf.dispose([...g, fg]); };
    for (let k = 0; k < 3; k++) step(one, k);
    b.forEach((v, i) => v.assign(a[i])); // the weights of a checkpoint
    const two = createAdam(b, { learningRate: 1e-2 });
    assert.equal(two.state(), null, 'no moments before the first update');
    two.setState(one.state()!);
    assert.equal(two.iterations, 3);
    for (let k = 3; k < 6; k++) { step(one, k); step(two, k); }
    assert.equal(maxAbsDiff(a, b), 0);
    assert.throws(() => two.setState({ ...one.state()!, m: one.state()!.m.slice(1) }), /Adam first moment: expected 6 arrays, got 5/);
    tf.dispose([...a, ...b]); one.dispose(); two.dispose();
  });

  it('leaks no tensors: the count is flat from the second update and back to the start after dispose', () => {
    const [a] = twins('leak');
    const start = tf.memory().numTensors;
    const opt = createAdam(a, { learningRate: 1e-3 });
    const fg = tf.ones([opt.layout.total]) as Tensor1D;
    opt.update(fg, { live: SHAPES.map((_, i) => i !== 2) }); // moments, the kept flat weights and the live mask are made here
    const after1 = tf.memory().numTensors;
    opt.update(fg, { live: SHAPES.map((_, i) => i !== 2) });
    opt.update(fg);
    assert.equal(tf.memory().numTensors, after1);
    opt.dispose();
    fg.dispose();
    assert.equal(tf.memory().numTensors, start);
    tf.dispose(a);
  });

  it('rejects a gradient of the wrong length and settings out of range', () => {
    const [a] = twins('errors');
    const opt = createAdam(a, { learningRate: 1e-3 });
    const bad = tf.zeros([opt.layout.total - 1]) as Tensor1D;
    assert.throws(() => opt.update(bad), new RegExp(`expected a \\[${opt.layout.total}\\] gradient, got \\[${opt.layout.total - 1}\\]`));
    assert.throws(() => createAdam(a, { learningRate: 0 }), /learningRate must be > 0, got 0/);
    assert.throws(() => createAdam(a, { learningRate: 1e-3, beta2: 1 }), /beta2 must be in \[0, 1\), got 1/);
    tf.dispose([bad, ...a]); opt.dispose();
  });
});
