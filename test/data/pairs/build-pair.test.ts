// The pair builder on the tiny synthetic dataset and on the real KITTI sample: ground truth
// re-projects, the frustum mask matches, intrinsics follow the resize and crop, N is exact.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createRng } from '../../../src/core/rng.js';
import { KittiOdometry } from '../../../src/data/kitti/odometry.js';
import type { KittiSequence } from '../../../src/data/kitti/odometry-sequence.js';
import { buildPair, loadPairSource, pairFromSource, PAIR_PRESETS, validatePairConfig, type ImagePointPair } from '../../../src/data/pairs/index.js';
import { generateSynthetic } from '../../../src/data/synthetic/generate.js';
import { loadPreset } from '../../../src/data/synthetic/presets.js';
import { cameraFromProjection, decomposeProjection, resizeCamera } from '../../../src/geometry/camera.js';
import { frustumMask } from '../../../src/geometry/frustum.js';
import { voxelDownsample } from '../../../src/geometry/point-cloud.js';
import { projectPoints } from '../../../src/geometry/projection.js';
import { compose, identity4, mat4From3x4, transformPoints, transformPointsKeepChannels } from '../../../src/geometry/se3.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const ROOT = tempDir('i2p-pairs-');
const KITTI = sharedData('kitti-odometry-sample');
let seq: KittiSequence;
const laptop = validatePairConfig({ numPoints: 2048 }, PAIR_PRESETS.laptop);

before(async () => {
  await generateSynthetic(loadPreset('tiny'), ROOT, { workers: 0 });
  seq = new KittiOdometry(ROOT).sequence(0);
});

const count = (m: Uint8Array): number => m.reduce((a, b) => a + b, 0);
const build = (split: 'train' | 'test', seed = 1, config = laptop, camera: 2 | 3 = 2): ImagePointPair =>
  buildPair(seq, 1, camera, config, createRng(seed), { split, sourceScale: 0.25, keepCameraPoints: true });

test('ground truth: camFromPoints brings the perturbed points back onto the unperturbed pixels', () => {
  for (const split of ['train', 'test'] as const) {
    const p = build(split);
    const pointsCam = p.pointsCam!;
    const a = projectPoints(pointsCam, 3, identity4(), p.camera);
    const b = projectPoints(p.points, 3, p.camFromPoints, p.camera);
    let worst = 0, differ = 0; // relative to |u|: u is float32, and near-plane points project far outside
    for (let i = 0; i < a.u.length; i++) {
      if (a.z[i] > 0.1) worst = Math.max(worst, Math.abs(a.u[i] - b.u[i]) / Math.max(1, Math.abs(a.u[i])), Math.abs(a.v[i] - b.v[i]) / Math.max(1, Math.abs(a.v[i])));
      differ += a.inImage[i] === p.inFrustum[i] ? 0 : 1;
    }
    assert.ok(worst < 1e-5, `worst relative pixel difference ${worst}`);
    assert.ok(differ <= 2, `${differ} points change side of the image border`);
    assert.deepEqual(b.inImage, p.inFrustum);
    assert.deepEqual(frustumMask(p.points, 3, p.camFromPoints, p.camera), p.inFrustum);
    assert.ok(count(p.inFrustum) > 0);
    // The perturbation moved the cloud: rotation about y keeps heights (camera y) exactly.
    for (let i = 0; i < 50; i++) assert.ok(Math.abs(p.points[3 * i + 1] - pointsCam[3 * i + 1]) < 1e-5);
  }
});

test('points: the whole scan voxel-downsampled and moved into the camera frame; exactly N, seeded', () => {
  const p = build('train');
  const P = seq.calib.P2;
  const camFromLidar = compose(decomposeProjection(P).camFromRect, mat4From3x4(seq.calib.Tr));
  const cloud = transformPointsKeepChannels(camFromLidar, voxelDownsample(seq.scan(1).points, 4, laptop.voxelM), 4);
  const keys = new Set<string>();
  for (let i = 0; i < cloud.length; i += 4) keys.add(`${cloud[i]},${cloud[i + 1]},${cloud[i + 2]}`);
  const pc = p.pointsCam!;
  assert.equal(p.points.length, 3 * laptop.numPoints);
  assert.equal(p.reflectance.length, laptop.numPoints);
  for (let i = 0; i < pc.length; i += 3) assert.ok(keys.has(`${pc[i]},${pc[i + 1]},${pc[i + 2]}`), `point ${i / 3} is not a voxel centroid`);
  assert.equal(p.meta.voxelPoints, cloud.length / 4);
  assert.deepEqual(build('train').points, p.points); // same seed, same pair
  assert.notDeepEqual(build('train', 2).points, p.points);
  // More points than voxels: CorrI2P padding by whole copies, still exactly N.
  const big = build('test', 1, validatePairConfig({ numPoints: cloud.length / 4 + 7 }, laptop));
  assert.equal(big.points.length / 3, cloud.length / 4 + 7);
});

test('intrinsics: a point at (u, v) in the full image lands at the resized, cropped (u, v)', () => {
  for (const config of [laptop, validatePairConfig({ numPoints: 2048 }, PAIR_PRESETS.paper)]) {
    for (const camera of [2, 3] as const) {
      const p = build('train', 5, config, camera);
      const raw = seq.image(1, camera);
      const full = cameraFromProjection(camera === 2 ? seq.calib.P2 : seq.calib.P3, raw.width, raw.height);
      const a = projectPoints(p.pointsCam!, 3, identity4(), full);
      const b = projectPoints(p.pointsCam!, 3, identity4(), p.camera);
      const { scaleX, scaleY, left, top, resizedWidth, resizedHeight } = p.meta.crop;
      assert.deepEqual([resizedWidth, resizedHeight, p.width, p.height], [Math.round(raw.width * config.imageScale / 0.25), Math.round(raw.height * config.imageScale / 0.25), config.cropWidth, config.cropHeight]);
      assert.deepEqual(resizeCamera(full, resizedWidth, resizedHeight).fx, full.fx * scaleX);
      for (let i = 0; i < a.u.length; i += 7) {
        if (!(a.z[i] > 1)) continue;
        assert.ok(Math.abs(scaleX * (a.u[i] + 0.5) - 0.5 - left - b.u[i]) < 1e-3);
        assert.ok(Math.abs(scaleY * (a.v[i] + 0.5) - 0.5 - top - b.v[i]) < 1e-3);
      }
      assert.equal(p.image.length, p.width * p.height * 3);
      assert.ok(p.image.every((x) => x >= 0 && x <= 1));
    }
  }
});

test('test pairs are centre-cropped and fixed per pair; train crops come from the running generator', () => {
  const a = build('test', 1), b = build('test', 99);
  assert.deepEqual(a.points, b.points);
  assert.deepEqual(a.camFromPoints, b.camFromPoints);
  assert.deepEqual([a.meta.crop.left, a.meta.crop.top], [Math.floor((a.meta.crop.resizedWidth - a.width) / 2), Math.floor((a.meta.crop.resizedHeight - a.height) / 2)]);
  const cached = loadPairSource(seq, 1, 2, laptop, 0.25); // the deterministic half, reusable across epochs
  assert.deepEqual(pairFromSource(cached, laptop, undefined, { split: 'test' }).points, a.points);
  const crops = new Set(Array.from({ length: 6 }, (_, s) => { const c = build('train', s).meta.crop; return `${c.left},${c.top}`; }));
  assert.ok(crops.size > 1);
});

test('real KITTI sample (camera 3, frame 1, paper preset): 40960 points, 160 x 512, plausible overlap', { skip: skipUnless(KITTI, 'kitti-odometry-sample') }, () => {
  const kseq = new KittiOdometry(KITTI!).sequence(0);
  const p = buildPair(kseq, 1, 3, PAIR_PRESETS.paper, undefined, { split: 'test' });
  assert.equal(p.points.length, 3 * 40960);
  assert.deepEqual([p.width, p.height, p.image.length], [512, 160, 512 * 160 * 3]);
  const share = count(p.inFrustum) / 40960;
  console.log(`KITTI 00/000001 camera 3: scan ${p.meta.scanPoints} -> ${p.meta.voxelPoints} voxels -> 40960; in-frustum share ${(100 * share).toFixed(1)} %`);
  assert.ok(share > 0.05 && share < 0.4, `in-frustum share ${share}`);
  assert.deepEqual(frustumMask(transformPoints(p.camFromPoints, p.points), 3, identity4(), p.camera), p.inFrustum);
});
