// pairs.neighbourFrames: a training pair's cloud from a nearby frame, moved into the image's camera
// with the poses. Checked against the geometry itself: the moved scan lies on the image frame's own
// scan (the town is static), the inverse motion does not; cameraMotion agrees with the camera-2
// poses that localization composes independently; the dataset and the trainer's cache build the
// same pair from the same generator.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ConfigError } from '../../../src/core/errors.js';
import { createRng } from '../../../src/core/rng.js';
import { KittiOdometry } from '../../../src/data/kitti/odometry.js';
import type { KittiSequence } from '../../../src/data/kitti/odometry-sequence.js';
import { cameraMotion, drawNeighbourFrame, loadPairSource, neighbourPairSource, PAIR_PRESETS, PairDataset, validatePairConfig } from '../../../src/data/pairs/index.js';
import { generateSynthetic } from '../../../src/data/synthetic/generate.js';
import { loadPreset } from '../../../src/data/synthetic/presets.js';
import { compose, identity4, invert } from '../../../src/geometry/se3.js';
import { cameraTwoPoses } from '../../../src/localization/map.js';
import { createPairSourceCache } from '../../../src/registration/pair-batches.js';
import { tempDir } from '../shared-data.js';

const ROOT = tempDir('i2p-neighbour-pairs-');
let seq: KittiSequence;
const config = validatePairConfig({ numPoints: 1024, neighbourFrames: 2 }, PAIR_PRESETS.laptop);

before(async () => {
  const tiny = loadPreset('tiny');
  await generateSynthetic({ ...tiny, drives: { ...tiny.drives, frames: [4, 2] } }, ROOT, { workers: 0 });
  seq = new KittiOdometry(ROOT).sequence(0);
});

test('config: neighbourFrames defaults to 0 (the CorrI2P protocol) and must be an integer >= 0', () => {
  assert.equal(PAIR_PRESETS.paper.neighbourFrames, 0);
  assert.equal(validatePairConfig({}, PAIR_PRESETS.laptop).neighbourFrames, 0);
  for (const bad of [-1, 1.5, '2']) assert.throws(() => validatePairConfig({ neighbourFrames: bad as number }), (e: unknown) => e instanceof ConfigError && /pairs\.neighbourFrames/.test(e.message));
});

test('drawNeighbourFrame: n = 0 draws nothing; otherwise uniform over frame - n .. frame + n, the own frame where no scan is', () => {
  const a = createRng(5), b = createRng(5);
  assert.equal(drawNeighbourFrame(a, 7, 0, new Set([7])), 7);
  assert.equal(a.next(), b.next(), 'n = 0 leaves the generator untouched');
  const counts = new Map<number, number>(), rng = createRng(9), scans = new Set([8, 9, 10, 11]); // frame 12 has no scan
  for (let i = 0; i < 5000; i++) { const g = drawNeighbourFrame(rng, 10, 2, scans); counts.set(g, (counts.get(g) ?? 0) + 1); }
  assert.deepEqual([...counts.keys()].sort((x, y) => x - y), [8, 9, 10, 11]);
  for (const g of [8, 9, 11]) assert.ok(Math.abs(counts.get(g)! / 5000 - 0.2) < 0.03, `frame ${g}: ${counts.get(g)}`);
  assert.ok(Math.abs(counts.get(10)! / 5000 - 0.4) < 0.03, 'the own frame takes the missing frame 12\'s share');
});

test('cameraMotion: identity for one frame, inverse when reversed, and the camera-2 poses\' relative motion', () => {
  const close = (x: ArrayLike<number>, y: ArrayLike<number>, tol: number, what: string) => { for (let i = 0; i < 16; i++) assert.ok(Math.abs(x[i] - y[i]) < tol, `${what}[${i}]: ${x[i]} vs ${y[i]}`); };
  close(cameraMotion(seq, 2, 1, 1), identity4(), 1e-6, 'same frame (the pose file\'s printed digits: rotations orthonormal to 1e-7)');
  close(compose(cameraMotion(seq, 2, 0, 3), cameraMotion(seq, 2, 3, 0)), identity4(), 1e-6, 'round trip');
  const [w0, w3] = cameraTwoPoses(ROOT, 0, [0, 3]); // worldFromCam2, composed by localization's own code
  close(cameraMotion(seq, 2, 0, 3), compose(invert(w3), w0), 1e-6, 'cam2(3) <- cam2(0)');
  const m = cameraMotion(seq, 2, 0, 3);
  assert.ok(Math.hypot(m[3], m[7], m[11]) > 1, 'the car moved between frames 0 and 3');
});

test('the neighbour scan, moved into the image frame\'s camera, lies on that frame\'s own scan; the inverse motion does not', () => {
  const own = loadPairSource(seq, 1, 2, config, 0.25), far = loadPairSource(seq, 3, 2, config, 0.25);
  const right = neighbourPairSource(own, far, cameraMotion(seq, 2, 3, 1)), wrong = neighbourPairSource(own, far, cameraMotion(seq, 2, 1, 3));
  assert.equal(right.cloudFrame, 3);
  assert.deepEqual(right.lidarOriginCam, own.lidarOriginCam, 'the rig\'s calibration stays');
  assert.equal(right.resized, own.resized, 'the image is the image frame\'s');
  // median distance from moved points (within 15 m, above the ground) to the image frame's own voxel cloud
  const grid = new Map<string, number[]>(), cell = 1, key = (x: number, y: number, z: number) => `${Math.floor(x / cell)},${Math.floor(y / cell)},${Math.floor(z / cell)}`;
  for (let i = 0; i < own.cloudCam.length; i += 4) { const k = key(own.cloudCam[i], own.cloudCam[i + 1], own.cloudCam[i + 2]); (grid.get(k) ?? grid.set(k, []).get(k)!).push(i); }
  const medianDistance = (cloud: Float32Array): number => {
    const d: number[] = [];
    for (let i = 0; i < cloud.length; i += 4) {
      const x = cloud[i], y = cloud[i + 1], z = cloud[i + 2];
      if (Math.hypot(x, z) > 15 || y > 1) continue; // camera y points down: the ground is at about +1.7 m
      let best = Infinity;
      for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let c = -1; c <= 1; c++) {
        for (const j of grid.get(key(x + a * cell, y + b * cell, z + c * cell)) ?? []) best = Math.min(best, Math.hypot(own.cloudCam[j] - x, own.cloudCam[j + 1] - y, own.cloudCam[j + 2] - z));
      }
      d.push(Math.min(best, cell));
    }
    d.sort((p, q) => p - q);
    return d[d.length >> 1];
  };
  const good = medianDistance(right.cloudCam), bad = medianDistance(wrong.cloudCam);
  assert.ok(good < 0.15, `moved scan ${good.toFixed(3)} m from the own scan`);
  assert.ok(bad > 3 * good, `inverse motion ${bad.toFixed(3)} m vs ${good.toFixed(3)} m`);
});

test('training pairs: the dataset and the trainer\'s cache build the same neighbour pairs; test pairs never change', () => {
  const ds = new PairDataset(ROOT, config, 'train'), cache = createPairSourceCache(ROOT, config, 'train');
  const r1 = createRng(3), r2 = createRng(3);
  const frames = new Set<string>();
  for (let k = 0; k < 12; k++) {
    const i = k % ds.length, a = ds.get(i, r1), b = cache.pair(i, r2);
    assert.deepEqual([a.meta.frame, a.meta.cloudFrame], [b.meta.frame, b.meta.cloudFrame]);
    assert.deepEqual(a.points, b.points);
    assert.deepEqual(a.camFromPoints, b.camFromPoints);
    frames.add(`${a.meta.frame}->${a.meta.cloudFrame ?? a.meta.frame}`);
  }
  assert.ok([...frames].some((f) => f.split('->')[0] !== f.split('->')[1]), `some pair takes another frame's scan: ${[...frames].join(' ')}`);
  const plain = new PairDataset(ROOT, { ...config, neighbourFrames: 0 }, 'test'), withN = new PairDataset(ROOT, config, 'test');
  for (let i = 0; i < plain.length; i++) assert.deepEqual(withN.get(i).points, plain.get(i).points);
});
