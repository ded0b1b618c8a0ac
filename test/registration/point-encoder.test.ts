import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import type { Tensor, Tensor3D } from '../../src/core/tf.js';
import { createRng, permutation } from '../../src/core/rng.js';
import { ConfigError } from '../../src/core/errors.js';
import { createPointEncoder, POINT_ENCODER_PRESETS, validatePointEncoderConfig } from '../../src/registration/point-encoder.js';
import type { PointEncoderConfig, PointEncoderOutput } from '../../src/registration/point-encoder.js';
import { assertClose } from '../helpers/geometry.js';

const tiny: Partial<PointEncoderConfig> = {
  inputPoints: 256, npoints: [64, 16], k: [8, 8], groupScaleM: [0.5, 1],
  saWidths: [[8, 16], [16, 32]], fpWidths: [[16], [16]], outChannels: 8,
};

/** [B, N, 3] points uniform in a 4 m x 4 m x 1 m box. */
const points = (seed: number, b: number, n: number): Tensor3D => {
  const rng = createRng(seed);
  return tf.tensor3d(Float32Array.from({ length: b * n * 3 }, (_, i) => (i % 3 === 2 ? rng.uniform(0, 1) : rng.uniform(-2, 2))), [b, n, 3]);
};
const disposeOut = (o: PointEncoderOutput): void => tf.dispose([o.features, o.global, ...o.levels.flatMap((l) => [l.xyz, l.features])]);

describe('point encoder shapes', () => {
  it('per-point, global and level shapes over batch sizes 1 and 2', () => {
    const enc = createPointEncoder(tiny, 0);
    for (const b of [1, 2]) {
      const xyz = points(1, b, 256);
      const out = enc.apply(xyz);
      assert.deepEqual(out.features.shape, [b, 256, 8]);
      assert.deepEqual(out.global.shape, [b, 32]);
      assert.deepEqual(out.levels.map((l) => [l.xyz.shape, l.features.shape]), [[[b, 64, 3], [b, 64, 16]], [[b, 16, 3], [b, 16, 32]]]);
      assert.ok(out.features.dataSync().every(Number.isFinite));
      disposeOut(out);
      xyz.dispose();
    }
    enc.dispose();
  });
  it('extra input channels, and a batch of 2 equals two batches of 1 (LayerNorm: no batch coupling)', () => {
    const enc = createPointEncoder({ ...tiny, inputChannels: 2 }, 0);
    const xyz = points(2, 2, 256), f = points(3, 2, 256).slice([0, 0, 0], [2, 256, 2]) as Tensor3D;
    const both = enc.apply(xyz, f);
    assert.deepEqual(both.features.shape, [2, 256, 8]);
    const one = enc.apply(xyz.slice([1, 0, 0], [1, 256, 3]) as Tensor3D, f.slice([1, 0, 0], [1, 256, 2]) as Tensor3D);
    assertClose(one.features.dataSync(), both.features.slice([1, 0, 0], [1, 256, 8]).dataSync(), 1e-5, 'batch element 1');
    assert.throws(() => enc.apply(xyz), /pointFeatures: expected \[2, 256, 2\], got none/);
    assert.throws(() => enc.apply(points(4, 1, 63), undefined), /expected float32 \[B, N >= 64, 3\]/);
    tf.dispose([xyz, f]); disposeOut(both); disposeOut(one);
    enc.dispose();
  });
  it('laptop preset: 4096 points -> [1, 4096, 64]; presets validate', () => {
    const enc = createPointEncoder(POINT_ENCODER_PRESETS.laptop, 0);
    const xyz = points(5, 1, 4096);
    const out = enc.apply(xyz);
    assert.deepEqual(out.features.shape, [1, 4096, 64]);
    assert.deepEqual(out.levels.map((l) => l.xyz.shape[1]), [1024, 256, 64]);
    disposeOut(out); xyz.dispose(); enc.dispose();
    assert.deepEqual(validatePointEncoderConfig(POINT_ENCODER_PRESETS.paper).npoints, [8192, 2048, 512, 128]);
  });
});

describe('point encoder permutation', () => {
  it('permuting the input permutes the per-point features; levels and global feature unchanged', () => {
    const enc = createPointEncoder(tiny, 3);
    const n = 256, xyz = points(6, 1, n);
    const perm = permutation(createRng(7), n); // new point i = old point perm[i]
    const xyzP = tf.gather(xyz, Array.from(perm), 1) as Tensor3D;
    const a = enc.apply(xyz), b = enc.apply(xyzP);
    const expected = tf.gather(a.features, Array.from(perm), 1);
    assertClose(b.features.dataSync(), expected.dataSync(), 1e-5, 'equivariance');
    assertClose(b.global.dataSync(), a.global.dataSync(), 1e-5, 'global invariance');
    for (let l = 0; l < 2; l++) assert.deepEqual(b.levels[l].xyz.dataSync(), a.levels[l].xyz.dataSync(), `level ${l + 1} centres`);
    tf.dispose([xyz, xyzP, expected]); disposeOut(a); disposeOut(b);
    enc.dispose();
  });
});

describe('point encoder training', () => {
  const loss = (o: PointEncoderOutput, r: Tensor, g: Tensor): Tensor => tf.add(tf.sum(tf.mul(o.features, r)), tf.sum(tf.mul(o.global, g)));
  it('the gradient reaches every trainable variable (non-zero)', () => {
    const enc = createPointEncoder(tiny, 1);
    const xyz = points(8, 2, 256), r = tf.randomNormal([2, 256, 8], 0, 1, 'float32', 9), g = tf.ones([2, 32]);
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => loss(enc.apply(xyz), r, g)) as ReturnType<typeof tf.scalar>, enc.trainableVariables);
    assert.equal(Object.keys(grads).length, enc.trainableVariables.length);
    for (const v of enc.trainableVariables) {
      const gv = grads[v.name];
      assert.ok(gv.dataSync().every(Number.isFinite), `${v.name} finite`);
      assert.ok(tf.max(tf.abs(gv)).dataSync()[0] > 0, `${v.name} has a non-zero gradient`);
    }
    tf.dispose([value, xyz, r, g, ...Object.values(grads)]);
    enc.dispose();
  });
  it('leaks no tensors over apply and over an Adam step; variables dispose', () => {
    const start = tf.memory().numTensors;
    const enc = createPointEncoder(tiny, 2);
    const xyz = points(10, 1, 256), r = tf.ones([1, 256, 8]), g = tf.ones([1, 32]);
    const base = tf.memory().numTensors;
    disposeOut(enc.apply(xyz));
    assert.equal(tf.memory().numTensors, base, 'apply');
    const opt = tf.train.adam(1e-3);
    const step = (): void => { opt.minimize(() => loss(enc.apply(xyz), r, g) as ReturnType<typeof tf.scalar>, false, enc.trainableVariables)?.dispose(); };
    step(); // creates Adam's moment slots
    const afterFirst = tf.memory().numTensors;
    step();
    assert.equal(tf.memory().numTensors, afterFirst, 'Adam step');
    opt.dispose();
    tf.dispose([xyz, r, g]);
    enc.dispose();
    assert.equal(tf.memory().numTensors, start, 'encoder variables disposed');
  });
  it('is deterministic for a seed and differs across seeds', () => {
    const xyz = points(11, 1, 256);
    const run = (seed: number): Float32Array => {
      const enc = createPointEncoder(tiny, seed);
      const o = enc.apply(xyz);
      const v = o.features.dataSync() as Float32Array;
      disposeOut(o); enc.dispose();
      return v;
    };
    const a = run(5);
    assert.deepEqual(run(5), a);
    assert.notDeepEqual(run(6), a);
    xyz.dispose();
  });
});

describe('point encoder config', () => {
  it('throws ConfigError naming the field', () => {
    const bad: [Partial<PointEncoderConfig>, RegExp][] = [
      [{ ...tiny, k: [8] }, /pointEncoder\.k'/],
      [{ ...tiny, npoints: [64, 64] }, /pointEncoder\.npoints\[1\]/],
      [{ ...tiny, k: [8, 65] }, /pointEncoder\.k\[1\]/],
      [{ ...tiny, saWidths: [[8, 0], [16]] }, /pointEncoder\.saWidths\[0\]\[1\]/],
      [{ ...tiny, groupScaleM: [0.5, -1] }, /pointEncoder\.groupScaleM\[1\]/],
      [{ ...tiny, outChannels: 1.5 }, /pointEncoder\.outChannels/],
      [{ ...tiny, radius: 1 } as Partial<PointEncoderConfig>, /pointEncoder\.radius'.*unknown field/],
    ];
    for (const [cfg, re] of bad) assert.throws(() => validatePointEncoderConfig(cfg), (e: unknown) => e instanceof ConfigError && re.test(e.message));
  });
});
