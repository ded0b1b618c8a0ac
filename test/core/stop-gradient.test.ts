import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../src/core/tf.js';
import { stopGradient, untaped } from '../../src/core/stop-gradient.js';

describe('stopGradient', () => {
  it('keeps the values and cuts the gradient: d/dx sum(stop(x) * x) = x, not 2x', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, -2, 3]);
    const g = tf.grad((t: Tensor) => tf.sum(tf.mul(stopGradient(t), t)))(x);
    assert.deepEqual(Array.from(g.dataSync()), [1, -2, 3]);
    const y = stopGradient(x);
    assert.deepEqual(Array.from(y.dataSync()), [1, -2, 3]);
    tf.dispose([x, g, y]);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  });
  it('a loss reached only through stopGradient gives a null gradient, and the ops behind it are not visited', () => {
    const v = tf.variable(tf.tensor1d([0.5, 2]));
    // tf.greater has a gradient, tf.logicalAnd has none: visited, it would throw
    const { grads } = tf.variableGrads(() => tf.add(tf.sum(tf.cast(stopGradient(tf.logicalAnd(tf.greater(v, 1), tf.greater(v, 0))), 'float32')), tf.mul(tf.sum(v), 0)), [v]);
    assert.deepEqual(Array.from(grads[v.name].dataSync()), [0, 0]);
    tf.dispose([v, ...Object.values(grads)]);
  });
  it('disposing the copy leaves the original readable', () => {
    const x = tf.tensor1d([4, 5]), y = stopGradient(x);
    y.dispose();
    assert.deepEqual(Array.from(x.dataSync()), [4, 5]);
    x.dispose();
  });
});

describe('untaped', () => {
  it('returns leaves: a mask made of comparisons weights the loss without a gradient through it', () => {
    const v = tf.variable(tf.tensor1d([0.5, 2, 3]));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(untaped(() => tf.cast(tf.greater(v, 1), 'float32')), tf.square(v))) as ReturnType<typeof tf.scalar>, [v]);
    assert.equal(value.dataSync()[0], 4 + 9);
    assert.deepEqual(Array.from(grads[v.name].dataSync()), [0, 4, 6]); // 2 v where the mask is 1
    tf.dispose([v, value, ...Object.values(grads)]);
  });
});
