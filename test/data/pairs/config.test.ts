// Pair config: presets validate, partial configs merge, bad fields are named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/core/errors.js';
import { DEFAULT_PAIR_CONFIG, PAIR_PRESETS, validatePairConfig } from '../../../src/data/pairs/index.js';

const fieldIs = (field: string) => (e: unknown): boolean => e instanceof ConfigError && e.field === field;

test('presets are valid and follow the protocol', () => {
  for (const preset of Object.values(PAIR_PRESETS)) assert.deepEqual(validatePairConfig({}, preset), preset);
  const p = PAIR_PRESETS.paper;
  assert.equal(DEFAULT_PAIR_CONFIG, p);
  assert.deepEqual([p.voxelM, p.numPoints, p.imageScale, p.cropHeight, p.cropWidth, p.maxTranslationM, p.maxRotationRad], [0.1, 40960, 0.5, 160, 512, 10, Math.PI]);
  assert.deepEqual([...p.cameras], [2, 3]);
  assert.deepEqual([...(p.trainSequences as number[])], [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([...(p.testSequences as number[])], [9, 10]);
  assert.deepEqual([p.syntheticTrainSequences, p.syntheticTestSequences], ['all-but-last', 'last']);
  const l = PAIR_PRESETS.laptop;
  // Same field of view: the crop keeps the paper's share of the resized width and height.
  assert.equal(l.cropWidth / l.imageScale, p.cropWidth / p.imageScale);
  assert.equal(l.cropHeight / l.imageScale, p.cropHeight / p.imageScale);
  assert.ok(l.numPoints < p.numPoints);
});

test('validatePairConfig merges over a base and names bad fields', () => {
  const c = validatePairConfig({ numPoints: 1024 }, PAIR_PRESETS.laptop);
  assert.equal(c.numPoints, 1024);
  assert.equal(c.cropWidth, PAIR_PRESETS.laptop.cropWidth);
  assert.throws(() => validatePairConfig({ voxelM: 0 }), fieldIs('pairs.voxelM'));
  assert.throws(() => validatePairConfig({ numPoints: 1.5 }), fieldIs('pairs.numPoints'));
  assert.throws(() => validatePairConfig({ maxRotationRad: 4 }), fieldIs('pairs.maxRotationRad'));
  assert.throws(() => validatePairConfig({ cameras: [1] as never }), fieldIs('pairs.cameras'));
  assert.throws(() => validatePairConfig({ cameras: [2, 2] }), fieldIs('pairs.cameras'));
  assert.throws(() => validatePairConfig({ resizeFilter: 'cubic' as never }), fieldIs('pairs.resizeFilter'));
  assert.throws(() => validatePairConfig({ testSequences: 'first' as never }), fieldIs('pairs.testSequences'));
  assert.throws(() => validatePairConfig({ trainSequences: [0, -1] }), fieldIs('pairs.trainSequences[1]'));
  assert.throws(() => validatePairConfig({ crop: 3 } as never), fieldIs('pairs.crop'));
});
