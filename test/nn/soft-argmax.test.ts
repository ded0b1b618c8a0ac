import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor3D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { ConfigError } from '../../src/core/errors.js';
import { pixelGrid, softKeypoints2d, softKeypoints3d, softmaxWithTemperature } from '../../src/nn/soft-argmax.js';
import { assertClose } from '../helpers/geometry.js';

describe('softKeypoints2d', () => {
  for (const B of [1, 3]) {
    it(`lands exactly on the pixel for one-hot heatmaps (batch ${B}) and leaks nothing`, () => {
      const W = 7, H = 4, Q = 5;
      const rng = createRng(B);
      const hm = new Float32Array(B * Q * W * H);
      const expected: number[] = [];
      for (let i = 0; i < B * Q; i++) {
        const col = rng.int(W), row = rng.int(H);
        hm[i * W * H + row * W + col] = 1; // row-major flattening
        expected.push(col, row);
      }
      const heat = tf.tensor3d(hm, [B, Q, W * H]);
      const before = tf.memory().numTensors;
      const kp = softKeypoints2d(heat, W, H);
      assert.deepEqual(kp.shape, [B, Q, 2]);
      assert.deepEqual(Array.from(kp.dataSync()), expected); // exact, not approximate
      kp.dispose();
      assert.equal(tf.memory().numTensors, before);
      heat.dispose();
    });
  }

  it('puts a uniform heatmap at the image centre ((W - 1) / 2, (H - 1) / 2)', () => {
    const W = 6, H = 3;
    const heat = tf.fill([2, 1, W * H], 1 / (W * H)) as Tensor3D;
    const kp = softKeypoints2d(heat, W, H);
    assertClose(kp.dataSync(), [(W - 1) / 2, (H - 1) / 2, (W - 1) / 2, (H - 1) / 2], 1e-5);
    tf.dispose([heat, kp]);
  });

  it('averages two half-weight pixels to their midpoint', () => {
    const W = 4, H = 3;
    const hm = new Float32Array(W * H);
    hm[0 * W + 1] = 0.5; hm[2 * W + 3] = 0.5; // pixels (1, 0) and (3, 2)
    const heat = tf.tensor3d(hm, [1, 1, W * H]);
    const kp = softKeypoints2d(heat, W, H);
    assertClose(kp.dataSync(), [(1 + 3) / 2, (0 + 2) / 2], 1e-6);
    tf.dispose([heat, kp]);
  });

  it('rejects a heatmap of the wrong size', () => {
    const heat = tf.zeros([1, 2, 11]) as Tensor3D;
    assert.throws(() => softKeypoints2d(heat, 4, 3), /heatmap: expected shape \[\*, \*, 12\]/);
    assert.throws(() => pixelGrid(0, 3), /width/);
    heat.dispose();
  });
});

describe('softKeypoints3d', () => {
  it('lands exactly on the point for one-hot weights and on the centroid for uniform ones', () => {
    const pts = tf.tensor3d([[[1, 2, 3], [-4, 5, 6.5], [0.25, -1, 8]]]);
    const w = tf.tensor3d([[[0, 1, 0], [0, 0, 1], [1 / 3, 1 / 3, 1 / 3]]]);
    const before = tf.memory().numTensors;
    const kp = softKeypoints3d(w, pts);
    const got = kp.arraySync()[0];
    assert.deepEqual(got[0], [-4, 5, 6.5]);
    assert.deepEqual(got[1], [0.25, -1, 8]);
    assertClose(got[2], [(1 - 4 + 0.25) / 3, (2 + 5 - 1) / 3, (3 + 6.5 + 8) / 3], 1e-6, 'centroid');
    kp.dispose();
    assert.equal(tf.memory().numTensors, before);
    assert.throws(() => softKeypoints3d(w, tf.zeros([1, 4, 3]) as Tensor3D), /points: expected shape \[1, 3, 3\]/);
    tf.dispose([pts, w]);
  });
});

describe('softmaxWithTemperature', () => {
  it('divides the logits by the temperature before the softmax', () => {
    const logits = tf.tensor2d([[0, 1, 2]]);
    const T = 0.5;
    const p = softmaxWithTemperature(logits, T);
    const e = [Math.exp(0 / T), Math.exp(1 / T), Math.exp(2 / T)];
    const z = e[0] + e[1] + e[2];
    assertClose(p.dataSync(), e.map((x) => x / z), 1e-6);
    assert.throws(() => softmaxWithTemperature(logits, 0), (err: unknown) => err instanceof ConfigError && err.field === 'softmaxWithTemperature.temperature');
    tf.dispose([logits, p]);
  });
});
