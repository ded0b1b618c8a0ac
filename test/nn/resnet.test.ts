import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import type { Tensor, Tensor4D } from '../../src/core/tf.js';
import { ConfigError } from '../../src/core/errors.js';
import { createEncoder } from '../../src/nn/resnet.js';
import { batchNorm } from '../../src/nn/resnet-blocks.js';
import { ENCODER_PRESETS, encoderOutputSize, validateEncoderConfig } from '../../src/nn/encoder-config.js';

type Variable = ReturnType<typeof tf.variable>;
type Scalar = ReturnType<typeof tf.scalar>;

const tiny = { blocks: [1, 1, 1], widths: [4, 8, 8] };

describe('encoder output shape', () => {
  it('paper config: 128 x 800 -> 8 x 50 x 256 (one full forward)', () => {
    const enc = createEncoder(ENCODER_PRESETS.paper, 0);
    assert.deepEqual(enc.outputShape(128, 800), [8, 50, 256]);
    const y = tf.tidy(() => enc.apply(tf.randomNormal([1, 128, 800, 3], 0, 1, 'float32', 1), false));
    assert.deepEqual(y.shape, [1, 8, 50, 256]);
    y.dispose();
    enc.dispose();
  });
  it('paper config over batch sizes 1 and 2 on small inputs (stride 16)', () => {
    const enc = createEncoder(ENCODER_PRESETS.paper, 0);
    for (const b of [1, 2]) {
      for (const [h, w] of [[32, 64], [48, 80]]) {
        const y = tf.tidy(() => enc.apply(tf.zeros([b, h, w, 3]), false));
        assert.deepEqual(y.shape, [b, h / 16, w / 16, 256]);
        y.dispose();
      }
    }
    enc.dispose();
  });
  it('odd sizes follow PyTorch arithmetic: floor((n + 2p - k) / s) + 1 per stage', () => {
    // 37 -> conv 19 -> pool 10 -> 5 -> 3 ; 50 -> 25 -> 13 -> 7 -> 4
    assert.deepEqual(encoderOutputSize(validateEncoderConfig(tiny), 37, 50), [3, 4]);
    const enc = createEncoder(tiny, 0);
    const stages = enc.applyStages(tf.zeros([2, 37, 50, 3]), true);
    assert.deepEqual(stages.stem.shape, [2, 19, 25, 4]);
    assert.deepEqual(stages.pool.shape, [2, 10, 13, 4]);
    assert.deepEqual(stages.layers.map((t) => t.shape), [[2, 10, 13, 4], [2, 5, 7, 8], [2, 3, 4, 8]]);
    assert.deepEqual(stages.output.shape, [2, 3, 4, 8]);
    tf.dispose([stages.stem, stages.pool, ...stages.layers, stages.output]);
    enc.dispose();
  });
  it('laptop preset: 64 x 400 -> 4 x 25 x 128', () => {
    const enc = createEncoder(ENCODER_PRESETS.laptop, 0);
    assert.deepEqual(enc.outputShape(64, 400), [4, 25, 128]);
    enc.dispose();
  });
  it('rejects a wrong channel count', () => {
    const enc = createEncoder(tiny, 0);
    const x = tf.zeros([1, 32, 32, 1]) as Tensor4D;
    assert.throws(() => enc.apply(x, false), /expected shape \[B, H, W, 3\], got \[1, 32, 32, 1\]/);
    x.dispose();
    enc.dispose();
  });
});

describe('encoder parameters', () => {
  it('paper config = hand count of ResNet34 conv1 + bn1 + layer1..3 (about 8.2 M)', () => {
    const conv = (k: number, i: number, o: number): number => k * k * i * o; // bias-free
    const bn = (c: number): number => 2 * c; // gamma + beta (running stats are not trainable)
    const block = (i: number, o: number, down: boolean): number =>
      conv(3, i, o) + bn(o) + conv(3, o, o) + bn(o) + (down ? conv(1, i, o) + bn(o) : 0);
    const stem = conv(7, 3, 64) + bn(64); // 9408 + 128
    const layer1 = 3 * block(64, 64, false); // 3 x 73,984
    const layer2 = block(64, 128, true) + 3 * block(128, 128, false); // 230,144 + 3 x 295,424
    const layer3 = block(128, 256, true) + 5 * block(256, 256, false); // 919,040 + 5 x 1,180,672
    const expected = stem + layer1 + layer2 + layer3;
    assert.equal(expected, 8_170_304);
    const enc = createEncoder(ENCODER_PRESETS.paper, 0);
    assert.equal(enc.paramCount, expected);
    assert.ok(Math.abs(enc.paramCount - 8.2e6) < 0.05e6, 'REFERENCES.md: about 8.2 M parameters');
    // running mean and variance per BN layer: 2 x (64 + 3*2*64 + 4*2*128 + 128 + 6*2*256 + 256)
    const nonTrainable = [...enc.variables.values()].filter((v) => !v.trainable).reduce((s, v) => s + v.size, 0);
    assert.equal(nonTrainable, 2 * (64 + 6 * 64 + 8 * 128 + 128 + 12 * 256 + 256));
    enc.dispose();
  });
  it('the same seed gives the same weights; another seed others', () => {
    const [a, b, c] = [createEncoder(tiny, 7), createEncoder(tiny, 7), createEncoder(tiny, 8)];
    const w = (e: typeof a): number[] => [...e.variables.get('layer2.0.conv1.weight')!.dataSync()];
    assert.deepEqual(w(a), w(b));
    assert.notDeepEqual(w(a), w(c));
    [a, b, c].forEach((e) => e.dispose());
  });
  it('validateEncoderConfig names the bad field', () => {
    assert.throws(() => validateEncoderConfig({ widths: [4, 8] }), (e: unknown) => e instanceof ConfigError && e.field === 'encoder.widths');
    assert.throws(() => validateEncoderConfig({ blocks: [1, 0, 1] }), (e: unknown) => e instanceof ConfigError && e.field === 'encoder.blocks[1]');
    assert.throws(() => validateEncoderConfig({ batchNormMomentum: 2 }), /encoder\.batchNormMomentum/);
    assert.throws(() => validateEncoderConfig({ depth: 3 } as object), /encoder\.depth.*unknown field/);
  });
});

describe('encoder values', () => {
  it('per-pixel L2 norm over channels is 1', () => {
    const enc = createEncoder(tiny, 1);
    const norms = tf.tidy(() => tf.norm(enc.apply(tf.randomNormal([2, 32, 48, 3], 0, 1, 'float32', 2), false), 'euclidean', 3));
    for (const n of norms.dataSync()) assert.ok(Math.abs(n - 1) < 1e-5, `norm ${n}`);
    norms.dispose();
    enc.dispose();
  });
  it('batch norm: training uses batch stats and moves running stats (PyTorch momentum, unbiased var)', () => {
    const v = (x: number): Variable => tf.variable(tf.tensor1d([x]));
    const bn = { weight: v(2), bias: v(1), runningMean: v(0), runningVar: v(1) };
    const s = { epsilon: 1e-5, momentum: 0.1 };
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    // batch mean 2.5, biased variance 1.25, unbiased 5/3
    const yTrain = batchNorm(x, bn, true, s);
    const want = [1, 2, 3, 4].map((a) => (2 * (a - 2.5)) / Math.sqrt(1.25 + 1e-5) + 1);
    yTrain.dataSync().forEach((y, i) => assert.ok(Math.abs(y - want[i]) < 1e-5));
    assert.ok(Math.abs(bn.runningMean.dataSync()[0] - 0.1 * 2.5) < 1e-6);
    assert.ok(Math.abs(bn.runningVar.dataSync()[0] - (0.9 * 1 + 0.1 * (5 / 3))) < 1e-6);
    // inference: running statistics, not the batch's
    const yEval = batchNorm(x, bn, false, s);
    const rm = 0.25, rv = 0.9 + 0.1 * (5 / 3);
    yEval.dataSync().forEach((y, i) => assert.ok(Math.abs(y - ((2 * (i + 1 - rm)) / Math.sqrt(rv + 1e-5) + 1)) < 1e-5));
    tf.dispose([x, yTrain, yEval, ...Object.values(bn)]);
  });
});

describe('encoder training', () => {
  const loss = (enc: ReturnType<typeof createEncoder>, x: Tensor4D, target: Tensor): Scalar =>
    tf.mean(tf.mul(enc.apply(x, true), target)) as Scalar; // a dummy loss; sum of squares would be constant after L2 norm

  it('gradient reaches every trainable variable (non-zero)', () => {
    const enc = createEncoder(tiny, 3);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 4) as Tensor4D;
    const target = tf.randomNormal([2, 2, 2, 8], 0, 1, 'float32', 5);
    const { value, grads } = tf.variableGrads(() => loss(enc, x, target), enc.trainableVariables);
    assert.equal(Object.keys(grads).length, enc.trainableVariables.length);
    for (const v of enc.trainableVariables) {
      const g = grads[v.name];
      assert.ok(g.abs().max().dataSync()[0] > 0, `zero gradient for ${v.name}`);
    }
    tf.dispose([value, x, target, ...Object.values(grads)]);
    enc.dispose();
  });
  it('no tensor leaks over apply and over an Adam step; running stats change in training', () => {
    const enc = createEncoder(tiny, 5);
    const opt = tf.train.adam(1e-3);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 6) as Tensor4D;
    const target = tf.randomNormal([2, 2, 2, 8], 0, 1, 'float32', 7);
    opt.minimize(() => loss(enc, x, target), false, enc.trainableVariables); // creates Adam's slots
    const before = tf.memory().numTensors;
    const rm = enc.variables.get('layer1.0.bn1.running_mean')!;
    const rm0 = rm.dataSync()[0];
    opt.minimize(() => loss(enc, x, target), false, enc.trainableVariables);
    assert.notEqual(rm.dataSync()[0], rm0);
    enc.apply(x, false).dispose();
    enc.apply(x, true).dispose();
    const s = enc.applyStages(x, false);
    tf.dispose([s.stem, s.pool, ...s.layers, s.output]);
    assert.equal(tf.memory().numTensors, before);
    const nVars = enc.variables.size;
    enc.dispose();
    opt.dispose();
    tf.dispose([x, target]);
    assert.ok(tf.memory().numTensors <= before - nVars - 2);
  });
});
