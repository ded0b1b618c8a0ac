import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabels } from '../../../src/data/kitti/labels.js';

test('parseLabels reads the 15 ground-truth fields and an optional score', () => {
  const text = 'Car 0.00 0 1.85 387.63 181.54 423.81 203.12 1.67 1.87 3.69 -16.53 2.39 58.49 1.57\n'
    + 'Pedestrian 0.5 2 -0.2 1 2 3 4 1.8 0.5 1.2 1.84 1.47 8.41 0.01 0.93\n';
  const [car, ped] = parseLabels(text, 'l.txt');
  assert.deepEqual(car, {
    type: 'Car', truncated: 0, occluded: 0, alpha: 1.85, bbox: [387.63, 181.54, 423.81, 203.12],
    dimensions: [1.67, 1.87, 3.69], location: [-16.53, 2.39, 58.49], rotationY: 1.57,
  });
  assert.equal(ped.score, 0.93);
  assert.equal(ped.occluded, 2);
  assert.deepEqual(parseLabels('\n', 'empty.txt'), []);
});

test('label errors name the file, line and field count or token', () => {
  assert.throws(() => parseLabels('Car 0 0 1\n', 'l.txt'), /l.txt: line 1: expected 15 fields \(type and 14 numbers\) or 16 \(with score\), got 4/);
  assert.throws(() => parseLabels('Car 0 0 1 2 3 4 5 6 7 8 9 10 11 zz\n', 'l.txt'), /l.txt: line 1 \(Car\), number 14: 'zz' is not a number/);
});
