import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keypointPairsFigure, queryImageHeatmapsFigure, queryPointHeatmapsFigure } from '../../src/viz/attention-figures.js';
import { missingAxisTitles } from '../../src/viz/figure.js';

const image = { data: new Uint8Array(8 * 4 * 3), width: 8, height: 4 };   // W 8, H 4; feature grid 4 x 2 (stride 2)

test('image heatmaps: per panel an image, a heatmap at the cell centres s (j + 0.5) - 0.5, a keypoint; titled axes', () => {
  const w = Float32Array.from({ length: 8 }, (_, i) => (i === 5 ? 1 : 0));
  const fig = queryImageHeatmapsFigure(image, [{ title: 'q0', weights: w, keypoint: [4.5, 2.5] }, { title: 'q1', weights: w }], 4, 2);
  assert.equal(fig.data.length, 5);                                     // image + heatmap + keypoint, image + heatmap
  const heat = fig.data[1] as { x: number[]; y: number[]; z: number[][] };
  assert.deepEqual(heat.x, [0.5, 2.5, 4.5, 6.5]);
  assert.deepEqual(heat.y, [0.5, 2.5]);
  assert.equal(heat.z[1][1], 1);                                         // index 5 = row 1, column 1
  assert.equal(fig.data[3].xaxis, 'x2');                                 // one row: panel 0 is bottom-left (x), panel 1 is x2
  assert.deepEqual(missingAxisTitles(fig), []);
});

test('image heatmaps: wrong weight count names the panel', () => {
  assert.throws(() => queryImageHeatmapsFigure(image, [{ title: 'bad', weights: [1, 2] }], 4, 2), /panel 0 \('bad'\): expected 2 x 4 = 8 weights, got 2/);
  assert.throws(() => queryImageHeatmapsFigure(image, [], 4, 2), /no panels/);
});

test('point heatmaps: top view x against z, heaviest point drawn last', () => {
  const pts = [0, 0, 1, 2, 0, 3, 4, 0, 5];
  const fig = queryPointHeatmapsFigure(pts, [{ title: 'q', weights: [0.7, 0.1, 0.2], keypoint: [1, 0, 2] }]);
  const s = fig.data[0] as { x: number[]; y: number[] };
  assert.deepEqual(s.x, [2, 4, 0]);
  assert.deepEqual(s.y, [3, 5, 1]);
  assert.deepEqual((fig.data[1] as { y: number[] }).y, [2]);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => queryPointHeatmapsFigure(pts, [{ title: 'q', weights: [1] }]), /expected 3 weights \(one per point\), got 1/);
});

test('keypoint pairs: segments skip NaN projections; shape errors are readable', () => {
  const fig = keypointPairsFigure(image, [1, 1, 2, 2], [0, 0, 1, 0, 0, 2], [1.5, 1, Number.NaN, Number.NaN], [0, 0, 1, 1, 1, 1]);
  assert.deepEqual((fig.data[1] as { x: unknown[] }).x, [1, 1.5, null]);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => keypointPairsFigure(image, [1, 1], [0, 0], [1, 1], []), /expected kp2d \[Q \* 2\], kp3d \[Q \* 3\]/);
});
