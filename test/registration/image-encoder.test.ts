import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import type { Tensor4D } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { createImageEncoder, IMAGE_ENCODER_PRESETS, validateImageEncoderConfig } from '../../src/registration/image-encoder.js';
import type { ImageEncoderConfig, ImageEncoderOutput } from '../../src/registration/image-encoder.js';
import { assertClose } from '../helpers/geometry.js';

type Scalar = ReturnType<typeof tf.scalar>;
const tiny: Partial<ImageEncoderConfig> = { blocks: [1, 1, 1, 1], widths: [4, 8, 8, 8], fpnChannels: 8, outChannels: 6, inputHeightPx: 32, inputWidthPx: 64 };
const image = (seed: number, b: number, h: number, w: number): Tensor4D => tf.randomNormal([b, h, w, 3], 0, 1, 'float32', seed) as Tensor4D;
const disposeOut = (o: ImageEncoderOutput): void => tf.dispose([o.features, o.global, o.columns]);

describe('image encoder shapes', () => {
  it('1/4-resolution features and a global feature over batch sizes 1 and 2, even and odd sizes', () => {
    const enc = createImageEncoder(tiny, 0);
    for (const b of [1, 2]) {
      // 37 -> stem 19 -> pool 10 (PyTorch arithmetic, nn/encoder-config.ts); 50 -> 25 -> 13
      for (const [h, w, oh, ow] of [[32, 64, 8, 16], [37, 50, 10, 13]]) {
        const x = image(1, b, h, w);
        for (const training of [false, true]) {
          const out = enc.apply(x, training);
          assert.deepEqual(out.features.shape, [b, oh, ow, 6]);
          assert.deepEqual(out.global.shape, [b, 8]);
          disposeOut(out);
        }
        x.dispose();
      }
    }
    enc.dispose();
  });
  it('outputStage 1 gives the 1/8 grid', () => {
    const enc = createImageEncoder({ ...tiny, outputStage: 1 }, 0);
    const x = image(2, 1, 32, 64);
    const out = enc.apply(x, false);
    assert.deepEqual(out.features.shape, [1, 4, 8, 6]);
    disposeOut(out); x.dispose(); enc.dispose();
  });
  it('global = mean of the last ResNet stage', () => {
    const enc = createImageEncoder(tiny, 0);
    const x = image(3, 2, 32, 64);
    const out = enc.apply(x, false);
    const stages = enc.backbone.applyStages(x, false);
    const expected = tf.mean(stages.layers[3], [1, 2]);
    assertClose(out.global.dataSync(), expected.dataSync(), 1e-6, 'global');
    tf.dispose([x, expected, stages.stem, stages.pool, stages.output, ...stages.layers]); disposeOut(out);
    enc.dispose();
  });
  it('paper preset: 160 x 512 -> 40 x 128 x 128 and 512; parameters = ResNet34 trunk + hand-counted FPN', () => {
    const enc = createImageEncoder(IMAGE_ENCODER_PRESETS.paper, 0);
    const fpn = (64 + 128 + 256 + 512) * 128 + 4 * 128 + 3 * 3 * 128 * 128 + 128; // laterals (1x1 + bias), output 3x3 + bias
    assert.equal(enc.backbone.paramCount, 21_284_672); // torchvision resnet34 without fc (21,797,672 - 513,000)
    assert.equal(enc.paramCount, 21_284_672 + fpn);
    const x = image(4, 1, 160, 512);
    const out = enc.apply(x, false);
    assert.deepEqual(out.features.shape, [1, 40, 128, 128]);
    assert.deepEqual(out.global.shape, [1, 512]);
    disposeOut(out); x.dispose(); enc.dispose();
    assert.deepEqual(validateImageEncoderConfig(IMAGE_ENCODER_PRESETS.laptop).widths, [16, 32, 64, 128]);
  });
});

describe('image encoder training', () => {
  it('the gradient of the per-pixel features alone reaches every trainable variable (non-zero)', () => {
    const enc = createImageEncoder(tiny, 1);
    const x = image(5, 2, 32, 64), r = tf.randomNormal([2, 8, 16, 6], 0, 1, 'float32', 6);
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
      const o = enc.apply(x, true);
      return tf.sum(tf.mul(o.features, r));
    }) as Scalar, enc.trainableVariables);
    assert.equal(Object.keys(grads).length, enc.trainableVariables.length);
    for (const v of enc.trainableVariables) {
      const g = grads[v.name];
      assert.ok(g.dataSync().every(Number.isFinite), `${v.name} finite`);
      assert.ok(tf.max(tf.abs(g)).dataSync()[0] > 0, `${v.name} has a non-zero gradient`);
    }
    tf.dispose([value, x, r, ...Object.values(grads)]);
    enc.dispose();
  });
  it('leaks no tensors over apply (eval and training) and over an Adam step; dispose frees every variable', () => {
    const start = tf.memory().numTensors;
    const enc = createImageEncoder(tiny, 2);
    const x = image(7, 1, 32, 64), r = tf.ones([1, 8, 16, 6]);
    const base = tf.memory().numTensors;
    disposeOut(enc.apply(x, false));
    disposeOut(enc.apply(x, true));
    assert.equal(tf.memory().numTensors, base, 'apply');
    const opt = tf.train.adam(1e-3);
    const loss = (): Scalar => tf.tidy(() => {
      const o = enc.apply(x, true);
      return tf.add(tf.sum(tf.mul(o.features, r)), tf.sum(o.global));
    }) as Scalar;
    opt.minimize(loss, false, enc.trainableVariables)?.dispose(); // creates Adam's moment slots
    const afterFirst = tf.memory().numTensors;
    opt.minimize(loss, false, enc.trainableVariables)?.dispose();
    assert.equal(tf.memory().numTensors, afterFirst, 'Adam step');
    opt.dispose();
    tf.dispose([x, r]);
    enc.dispose();
    assert.equal(tf.memory().numTensors, start, 'all variables disposed');
  });
  it('is deterministic for a seed and differs across seeds', () => {
    const x = image(8, 1, 32, 64);
    const run = (seed: number): Float32Array => {
      const enc = createImageEncoder(tiny, seed);
      const o = enc.apply(x, false);
      const v = o.features.dataSync() as Float32Array;
      disposeOut(o); enc.dispose();
      return v;
    };
    const a = run(3);
    assert.deepEqual(run(3), a);
    assert.notDeepEqual(run(4), a);
    x.dispose();
  });
});

describe('image encoder config', () => {
  it('throws ConfigError naming the field', () => {
    const bad: [Partial<ImageEncoderConfig>, RegExp][] = [
      [{ ...tiny, widths: [4, 8, 8] }, /imageEncoder\.widths'/],
      [{ ...tiny, widths: [4, 8, 0, 8] }, /imageEncoder\.widths\[2\]/],
      [{ ...tiny, outputStage: 4 }, /imageEncoder\.outputStage/],
      [{ ...tiny, fpnChannels: -1 }, /imageEncoder\.fpnChannels/],
      [{ ...tiny, batchNormMomentum: 0 }, /imageEncoder\.batchNormMomentum/],
      [{ ...tiny, depth: 34 } as Partial<ImageEncoderConfig>, /imageEncoder\.depth'.*unknown field/],
    ];
    for (const [cfg, re] of bad) assert.throws(() => validateImageEncoderConfig(cfg), (e: unknown) => e instanceof ConfigError && re.test(e.message));
  });
  it('rejects a wrong channel count', () => {
    const enc = createImageEncoder(tiny, 0);
    const x = tf.zeros([1, 32, 32, 1]) as Tensor4D;
    assert.throws(() => enc.apply(x, false), /expected shape \[B, H, W, 3\]/);
    x.dispose(); enc.dispose();
  });
});

