import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { flatLayout, flattenTensors, joinFlatArrays, splitFlatArray, unflattenTensor } from '../../src/train/flat-layout.js';

describe('flat layout', () => {
  it('places tensors one after another and cuts them back out', () => {
    const ts = [tf.tensor2d([[1, 2, 3], [4, 5, 6]]), tf.scalar(7), tf.tensor1d([8, 9]), tf.zeros([0, 3])];
    const layout = flatLayout(ts);
    assert.deepEqual(layout.sizes, [6, 1, 2, 0]);
    assert.deepEqual(layout.offsets, [0, 6, 7, 9]);
    assert.equal(layout.total, 9);
    const before = tf.memory().numTensors;
    const flat = flattenTensors(ts);
    assert.deepEqual(Array.from(flat.dataSync()), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const back = unflattenTensor(flat, layout);
    assert.deepEqual(back.map((t) => t.shape), [[2, 3], [], [2], [0, 3]]);
    back.forEach((t, i) => assert.deepEqual(Array.from(t.dataSync()), Array.from(ts[i].dataSync())));
    tf.dispose([flat, ...back]);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    assert.throws(() => unflattenTensor(tf.zeros([8]) as never, layout), /expected a \[9\] tensor, got \[8\]/);
    tf.dispose(ts);
  });

  it('splits and joins flat arrays, naming a mis-sized part', () => {
    const layout = flatLayout([{ shape: [2] }, { shape: [1, 3] }]);
    const parts = splitFlatArray(Float32Array.from([1, 2, 3, 4, 5]), layout);
    assert.deepEqual(parts.map((p) => Array.from(p)), [[1, 2], [3, 4, 5]]);
    assert.deepEqual(Array.from(joinFlatArrays(parts, layout, 'moment')), [1, 2, 3, 4, 5]);
    assert.throws(() => joinFlatArrays([[1, 2], [3, 4]], layout, 'Adam first moment'), /Adam first moment 1: expected 3 values \(shape \[1, 3\]\), got 2/);
    assert.throws(() => splitFlatArray(new Float32Array(4), layout), /expected 5 values, got 4/);
  });
});
