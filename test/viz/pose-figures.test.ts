import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cameraPosesTopViewFigure, cameraTopView, frustumClassificationFigure, frustumConfusion, pairedErrorsFigure, poseErrorHistogramsFigure,
} from '../../src/viz/pose-figures.js';
import { missingAxisTitles } from '../../src/viz/figure.js';

// a camera at (x, y, z) = (2, 0, 3) of the cloud frame looking along cloud +x: R's third row
// (the camera z axis in cloud coordinates) is (1, 0, 0); camFromPoints = [R | -R c]
const R = [[0, 0, -1], [0, 1, 0], [1, 0, 0]], c = [2, 0, 3];
const t = R.map((row) => -(row[0] * c[0] + row[1] * c[1] + row[2] * c[2]));
const T = [...R[0], t[0], ...R[1], t[1], ...R[2], t[2], 0, 0, 0, 1];

test('confusion: hits, misses, false alarms, true negatives and the rates as arithmetic', () => {
  const r = frustumConfusion([1, 1, 0, 0, 1, 0.2], [1, 0, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(r.classes), [1, 3, 2, 0, 1, 0]);
  assert.deepEqual([r.tp, r.fp, r.fn, r.tn], [2, 1, 1, 2]);
  assert.equal(r.precision, 2 / (2 + 1));
  assert.equal(r.recall, 2 / (2 + 1));
  assert.equal(r.iou, 2 / (2 + 1 + 1));
  assert.ok(Number.isNaN(frustumConfusion([0, 0], [0, 0]).precision));   // nothing predicted: 0 / 0
  assert.throws(() => frustumConfusion([1], [1, 0]), /predicted has 1 points, truth 2/);
});

test('camera top view: centre -R^T t, viewing direction R^T (0, 0, 1), field-of-view edges symmetric', () => {
  const v = cameraTopView(T, [100, 0, 49.5, 0, 100, 20, 0, 0, 1], 100);
  assert.deepEqual(v.centre.map((x) => +x.toFixed(12)), [2, 3]);
  assert.deepEqual(v.rays[0].map((x) => +x.toFixed(12)), [1, 0]);       // camera z = cloud x (third row of R)
  assert.equal(v.rays.length, 3);
  // edges at u = -0.5 and 99.5: camera directions (-+0.5, 0, 1) -> cloud (x, z) = (1, +-0.5) / |(1, 0.5)|
  const n = Math.hypot(1, 0.5);
  assert.ok(Math.abs(v.rays[1][0] - 1 / n) < 1e-12 && Math.abs(Math.abs(v.rays[1][1]) - 0.5 / n) < 1e-12);
  assert.ok(Math.abs(v.rays[1][1] + v.rays[2][1]) < 1e-12);
  assert.equal(cameraTopView(T).rays.length, 1);
  assert.throws(() => cameraTopView([1, 2, 3]), /expected camFromPoints \[16\], got 3 values/);
});

test('classification figure: one trace per outcome with counts in the names, x against z, cameras added', () => {
  const pts = [0, 0, 1, 1, 0, 2, 2, 0, 3, 3, 0, 4];
  const fig = frustumClassificationFigure(pts, [1, 1, 0, 0], [1, 0, 1, 0], [{ name: 'truth', camFromPoints: T }]);
  assert.deepEqual(fig.data.slice(0, 4).map((d) => d.name), ['true negative (1)', 'hit (1)', 'miss (1)', 'false alarm (1)']);
  assert.deepEqual((fig.data[3] as { x: number[]; y: number[] }).x, [1]);
  assert.deepEqual((fig.data[3] as { x: number[]; y: number[] }).y, [2]);
  assert.equal(fig.data.length, 6);                                    // 4 outcomes + view lines + centre
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => frustumClassificationFigure(pts, [1], [1, 0, 1, 0]), /expected predicted and truth \[4\]/);
  assert.throws(() => frustumClassificationFigure([1, 2], [], []), /not a multiple of 3/);
});

test('camera poses figure: cloud plus two traces per camera; keeps float coordinates', () => {
  const fig = cameraPosesTopViewFigure([0.5, 0, 1.25], [{ name: 'a', camFromPoints: T }, { name: 'b', camFromPoints: T, dash: 'dash' }]);
  assert.equal(fig.data.length, 5);
  assert.deepEqual((fig.data[0] as { x: number[] }).x, [0.5]);
  assert.deepEqual((fig.data[0] as { y: number[] }).y, [1.25]);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => cameraPosesTopViewFigure([0, 0, 0], []), /no cameras/);
  const zoom = cameraPosesTopViewFigure([0, 0, 0], [{ name: 'a', camFromPoints: T }], { halfWidthM: 10 });
  assert.deepEqual((zoom.layout.xaxis as { range: number[] }).range.map((v) => +v.toFixed(12)), [-8, 12]);   // centre x = 2
  assert.deepEqual((zoom.layout.yaxis as { range: number[] }).range.map((v) => +v.toFixed(12)), [-7, 13]);   // centre z = 3
  assert.throws(() => cameraPosesTopViewFigure([0, 0, 0], [{ name: 'a', camFromPoints: T }], { halfWidthM: 0 }), /halfWidthM must be a finite number > 0/);
});

test('paired errors: diagonal, dots, threshold lines; bad input named', () => {
  const fig = pairedErrorsFigure([1, 4], [0.5, 5], { x: ['RTE before', 'm'], y: ['RTE after', 'm'], threshold: 2 });
  assert.equal(fig.data.length, 3);
  assert.deepEqual((fig.data[0] as { x: number[] }).x, [0, 1.05 * 5]);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => pairedErrorsFigure([1], [1, 2], { x: ['a', undefined], y: ['b', undefined] }), /one length, got 1 and 2/);
  assert.throws(() => pairedErrorsFigure([1, 2], [1, Number.NaN], { x: ['a', undefined], y: ['b', undefined] }), /value 1 of after is not finite/);
});

test('error histograms: two panels per series, one bin width per panel, thresholds drawn', () => {
  const fig = poseErrorHistogramsFigure([{ name: 'a', rteM: [1, 3], rreDeg: [2, 10] }, { name: 'b', rteM: [0.5, 1], rreDeg: [1, 1] }], { bins: 10 });
  assert.equal(fig.data.length, 4);
  assert.deepEqual((fig.data[0] as { xbins: { size: number } }).xbins.size, 0.3);
  assert.deepEqual((fig.data[3] as { xbins: { size: number } }).xbins.size, 1);
  assert.equal(fig.data[3].xaxis, 'x2');
  assert.deepEqual((fig.layout.shapes as { x0: number }[]).map((s) => s.x0), [2, 5]);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => poseErrorHistogramsFigure([]), /no series/);
  assert.throws(() => poseErrorHistogramsFigure([{ name: 'x', rteM: [1], rreDeg: [] }]), /series 'x': expected rteM and rreDeg of one non-zero length/);
  assert.throws(() => poseErrorHistogramsFigure([{ name: 'x', rteM: [Infinity], rreDeg: [1] }]), /rteM has a non-finite value/);
});
