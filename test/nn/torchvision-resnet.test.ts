import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tf } from '../../src/core/tf.js';
import type { Tensor4D } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';
import { InputError } from '../../src/core/errors.js';
import { createEncoder } from '../../src/nn/resnet.js';
import { writeSafetensors } from '../../src/nn/safetensors.js';
import type { SafetensorsInput } from '../../src/nn/safetensors.js';
import { torchvisionStateDict } from '../helpers/torchvision-state-dict.js';
import { IMAGENET_MEAN, IMAGENET_STD, loadTorchvisionResnet, normalizeImagenet } from '../../src/nn/torchvision-resnet.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'torchvision-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const cfg = { blocks: [1, 1, 1], widths: [4, 8, 8], l2Normalize: false };
const EPS = 1e-5;

const tinyStateDict = (seed: number): Record<string, SafetensorsInput> => torchvisionStateDict([4, 8, 8], seed);

// ---- an independent NCHW oracle on plain arrays: x[c][y][x] --------------------------------
type Map3 = number[][][];
const get = (sd: Record<string, SafetensorsInput>, n: string): number[] => Array.from(sd[n].data as ArrayLike<number>);
function convNchw(x: Map3, w: number[], o: number, k: number, s: number, p: number): Map3 {
  const [c, h, wd] = [x.length, x[0].length, x[0][0].length];
  const oh = Math.floor((h + 2 * p - k) / s) + 1, ow = Math.floor((wd + 2 * p - k) / s) + 1;
  return Array.from({ length: o }, (_, oc) => Array.from({ length: oh }, (_, oy) => Array.from({ length: ow }, (_, ox) => {
    let sum = 0;
    for (let ic = 0; ic < c; ic++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      const iy = oy * s - p + ky, ix = ox * s - p + kx;
      if (iy >= 0 && iy < h && ix >= 0 && ix < wd) sum += w[((oc * c + ic) * k + ky) * k + kx] * x[ic][iy][ix];
    }
    return sum;
  })));
}
function bnNchw(x: Map3, sd: Record<string, SafetensorsInput>, n: string): Map3 {
  const [g, b, m, v] = ['weight', 'bias', 'running_mean', 'running_var'].map((f) => get(sd, `${n}.${f}`));
  return x.map((ch, c) => ch.map((row) => row.map((a) => ((a - m[c]) / Math.sqrt(v[c] + EPS)) * g[c] + b[c])));
}
const relu = (x: Map3): Map3 => x.map((ch) => ch.map((row) => row.map((a) => Math.max(a, 0))));
const add = (a: Map3, b: Map3): Map3 => a.map((ch, c) => ch.map((row, y) => row.map((v, i) => v + b[c][y][i])));
function maxPoolNchw(x: Map3): Map3 { // 3x3, stride 2, padding 1 (padding never wins)
  const oh = Math.floor((x[0].length - 1) / 2) + 1, ow = Math.floor((x[0][0].length - 1) / 2) + 1;
  return x.map((ch) => Array.from({ length: oh }, (_, oy) => Array.from({ length: ow }, (_, ox) => {
    let m = -Infinity;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) m = Math.max(m, ch[2 * oy + dy]?.[2 * ox + dx] ?? -Infinity);
    return m;
  })));
}
function referenceNchw(x: Map3, sd: Record<string, SafetensorsInput>): Map3 {
  let h = maxPoolNchw(relu(bnNchw(convNchw(x, get(sd, 'conv1.weight'), 4, 7, 2, 3), sd, 'bn1')));
  [4, 8, 8].forEach((o, l) => {
    const p = `layer${l + 1}.0`, s = l === 0 ? 1 : 2;
    const y = relu(bnNchw(convNchw(h, get(sd, `${p}.conv1.weight`), o, 3, s, 1), sd, `${p}.bn1`));
    const z = bnNchw(convNchw(y, get(sd, `${p}.conv2.weight`), o, 3, 1, 1), sd, `${p}.bn2`);
    const short = l === 0 ? h : bnNchw(convNchw(h, get(sd, `${p}.downsample.0.weight`), o, 1, s, 0), sd, `${p}.downsample.1`);
    h = relu(add(z, short));
  });
  return h;
}

describe('loadTorchvisionResnet (tiny state dict written by the test)', () => {
  const sd = tinyStateDict(11);
  const file = path.join(tmp, 'tiny-resnet.safetensors');
  writeSafetensors(file, sd);
  const [H, W] = [13, 18]; // odd height: checks PyTorch's symmetric padding
  const rng = createRng(12);
  const xNchw: Map3 = Array.from({ length: 3 }, () => Array.from({ length: H }, () => Array.from({ length: W }, () => rng.normal())));
  const xNhwc = (): Tensor4D => tf.tensor4d([xNchw], [1, 3, H, W]).transpose([0, 2, 3, 1]) as Tensor4D;

  it('loads every encoder tensor and ignores num_batches_tracked, layer4 and fc', () => {
    const enc = createEncoder(cfg, 0);
    const r = loadTorchvisionResnet(enc, file);
    assert.equal(r.loaded.length, enc.variables.size);
    assert.ok(r.ignored.includes('fc.weight') && r.ignored.includes('layer4.0.conv1.weight') && r.ignored.includes('bn1.num_batches_tracked'));
    // OIHW [o, i, ky, kx] -> HWIO [ky, kx, i, o]: one element by hand
    const w = enc.variables.get('conv1.weight')!.arraySync() as number[][][][];
    assert.equal(w[5][2][1][3], Math.fround(get(sd, 'conv1.weight')[((3 * 3 + 1) * 7 + 5) * 7 + 2]));
    enc.dispose();
  });
  it('first conv + bn1 (eval: running stats) + relu at two pixels equals the NCHW hand computation', () => {
    const enc = createEncoder(cfg, 0);
    loadTorchvisionResnet(enc, file);
    const x = xNhwc();
    const st = enc.applyStages(x, false);
    const stem = st.stem.arraySync()[0];
    const w = get(sd, 'conv1.weight');
    const [g, b, m, v] = ['weight', 'bias', 'running_mean', 'running_var'].map((f) => get(sd, `bn1.${f}`));
    for (const [oy, ox] of [[0, 0], [3, 5]]) {
      for (let oc = 0; oc < 4; oc++) {
        let conv = 0; // out[oc, oy, ox] = sum_{ic, ky, kx} w[oc, ic, ky, kx] x[ic, 2 oy - 3 + ky, 2 ox - 3 + kx]
        for (let ic = 0; ic < 3; ic++) for (let ky = 0; ky < 7; ky++) for (let kx = 0; kx < 7; kx++) {
          const iy = 2 * oy - 3 + ky, ix = 2 * ox - 3 + kx;
          if (iy >= 0 && iy < H && ix >= 0 && ix < W) conv += w[((oc * 3 + ic) * 7 + ky) * 7 + kx] * xNchw[ic][iy][ix];
        }
        const want = Math.max(0, ((conv - m[oc]) / Math.sqrt(v[oc] + EPS)) * g[oc] + b[oc]);
        assert.ok(Math.abs(stem[oy][ox][oc] - want) < 1e-4, `stem (${oy}, ${ox}, ${oc}): ${stem[oy][ox][oc]} vs ${want}`);
      }
    }
    tf.dispose([x, st.stem, st.pool, ...st.layers, st.output]);
    enc.dispose();
  });
  it('the whole network (eval) equals a plain-array NCHW reference', () => {
    const enc = createEncoder(cfg, 0);
    loadTorchvisionResnet(enc, file);
    const x = xNhwc();
    const y = enc.apply(x, false);
    const ref = referenceNchw(xNchw, sd); // [8][1][2]
    assert.deepEqual(y.shape, [1, ref[0].length, ref[0][0].length, 8]);
    const got = y.arraySync()[0];
    let maxErr = 0;
    ref.forEach((ch, c) => ch.forEach((row, i) => row.forEach((a, j) => { maxErr = Math.max(maxErr, Math.abs(got[i][j][c] - a)); })));
    assert.ok(maxErr < 1e-4, `max |tfjs - reference| = ${maxErr}`);
    tf.dispose([x, y]);
    enc.dispose();
  });
  it('a mis-shaped or missing tensor is an error naming it and the expected shape; nothing is changed', () => {
    const enc = createEncoder(cfg, 0);
    const before = enc.variables.get('conv1.weight')!.dataSync().slice();
    const bad = { ...sd, 'layer2.0.conv2.weight': { dtype: 'F32' as const, shape: [8, 4, 3, 3], data: new Float32Array(288) } };
    const badFile = path.join(tmp, 'bad.safetensors');
    writeSafetensors(badFile, bad);
    assert.throws(() => loadTorchvisionResnet(enc, badFile), (e: unknown) => e instanceof InputError
      && e.message.includes("tensor 'layer2.0.conv2.weight'") && e.message.includes('expected shape [8, 8, 3, 3], got [8, 4, 3, 3]')
      && e.message.includes('bad.safetensors'));
    const missing = { ...sd };
    delete missing['layer3.0.downsample.1.running_var'];
    writeSafetensors(badFile, missing);
    assert.throws(() => loadTorchvisionResnet(enc, badFile), /tensor 'layer3\.0\.downsample\.1\.running_var'.*missing; expected shape \[8\]/);
    assert.deepEqual(enc.variables.get('conv1.weight')!.dataSync(), before);
    enc.dispose();
  });
  it('ImageNet normalisation: (x - mean) / std per channel', () => {
    const y = tf.tidy(() => normalizeImagenet(tf.tensor4d([0.485, 0.456, 0.406, 1, 1, 1], [1, 1, 2, 3])));
    const v = y.dataSync();
    [0, 0, 0].forEach((a, c) => assert.ok(Math.abs(v[c] - a) < 1e-6));
    [0, 1, 2].forEach((c) => assert.ok(Math.abs(v[3 + c] - (1 - IMAGENET_MEAN[c]) / IMAGENET_STD[c]) < 1e-5));
    y.dispose();
  });
});
