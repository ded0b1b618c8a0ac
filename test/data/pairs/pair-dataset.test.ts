// The pair dataset over a KITTI-layout root: split selection, deterministic enumeration, and
// test pairs that do not depend on the order in which they are built.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { InputError } from '../../../src/core/errors.js';
import { PAIR_PRESETS, isSyntheticRoot, PairDataset, selectSequences, sourceImageScale, validatePairConfig } from '../../../src/data/pairs/index.js';
import { generateSynthetic } from '../../../src/data/synthetic/generate.js';
import { loadPreset } from '../../../src/data/synthetic/presets.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const ROOT = tempDir('i2p-pair-dataset-');
const KITTI = sharedData('kitti-odometry-sample');
const config = validatePairConfig({ numPoints: 1024 }, PAIR_PRESETS.laptop);

before(async () => {
  const tiny = loadPreset('tiny');
  await generateSynthetic({ ...tiny, drives: { ...tiny.drives, frames: [2, 2] } }, ROOT, { workers: 0 });
});

test('selectSequences: explicit ids report the missing ones; relative selectors use those present', () => {
  assert.deepEqual(selectSequences(['03', '00', '01'], 'last'), { chosen: ['03'], missing: [] });
  assert.deepEqual(selectSequences(['03', '00', '01'], 'all-but-last'), { chosen: ['00', '01'], missing: [] });
  assert.deepEqual(selectSequences(['00', '09'], [10, 9]), { chosen: ['09'], missing: ['10'] });
});

test('synthetic root: all but the last sequence train, the last one tests; both cameras, fixed order', () => {
  assert.equal(sourceImageScale(ROOT), 0.25);
  assert.ok(isSyntheticRoot(ROOT));
  const train = new PairDataset(ROOT, config, 'train'), testSet = new PairDataset(ROOT, config, 'test');
  assert.deepEqual([train.sequences, testSet.sequences], [['00'], ['01']]);
  assert.deepEqual(testSet.pairs, [
    { seq: '01', frame: 0, camera: 2 }, { seq: '01', frame: 0, camera: 3 },
    { seq: '01', frame: 1, camera: 2 }, { seq: '01', frame: 1, camera: 3 },
  ]);
  assert.equal(train.length, 4);
  const p = testSet.get(3);
  assert.deepEqual([p.meta.seq, p.meta.frame, p.meta.camera, p.width, p.height], ['01', 1, 3, 256, 80]);
  assert.throws(() => testSet.get(4), RangeError);
});

test('test pairs are identical across runs and independent of enumeration order', () => {
  const a = new PairDataset(ROOT, config, 'test'), b = new PairDataset(ROOT, config, 'test', { seed: 12345 });
  const forward = a.pairs.map((_, i) => a.get(i));
  const backward = b.pairs.map((_, i) => b.length - 1 - i).map((i) => b.get(i)).reverse();
  for (let i = 0; i < forward.length; i++) {
    assert.deepEqual(backward[i].points, forward[i].points);
    assert.deepEqual(backward[i].camFromPoints, forward[i].camFromPoints);
    assert.deepEqual(backward[i].image, forward[i].image);
  }
  assert.notDeepEqual(forward[0].camFromPoints, forward[2].camFromPoints);
  // Training pairs follow the running generator: a second draw of the same pair differs.
  const train = new PairDataset(ROOT, config, 'train');
  assert.notDeepEqual(train.get(0).camFromPoints, train.get(0).camFromPoints);
});

test('a split without pairs names the root and the sequences', () => {
  assert.throws(() => new PairDataset(ROOT, config, 'test', { sequences: [7] }), (e: unknown) => e instanceof InputError && /missing: 07/.test(e.message));
  const noImages = tempDir('i2p-pairs-empty-');
  fs.mkdirSync(path.join(noImages, 'sequences', '00', 'velodyne'), { recursive: true });
  assert.throws(() => new PairDataset(noImages, config, 'train', { sequences: [0] }), InputError);
});

test('real KITTI sample: paper split finds sequence 00 with camera 3 only', { skip: skipUnless(KITTI, 'kitti-odometry-sample') }, () => {
  const ds = new PairDataset(KITTI!, PAIR_PRESETS.paper, 'train');
  assert.deepEqual([ds.sourceScale, ds.synthetic], [1, false]);
  assert.deepEqual(ds.sequences, ['00']);
  assert.deepEqual(ds.missingSequences, ['01', '02', '03', '04', '05', '06', '07', '08']);
  assert.ok(ds.length >= 1 && ds.pairs.every((p) => p.camera === 3));
});
