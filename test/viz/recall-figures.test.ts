import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingAxisTitles } from '../../src/viz/figure.js';
import { calibrationCurveFigure, descriptorScatterFigure, recallCurveFigure, retrievalFigure } from '../../src/viz/recall-figures.js';

const rgb = (w: number, h: number, v: number) => ({ data: new Uint8Array(w * h * 3).fill(v), width: w, height: h });

test('recallCurveFigure: N from 1, recall in percent, titled axes', () => {
  const fig = recallCurveFigure([{ name: 'a', recall: [0.5, 0.75, 1] }, { name: 'b', recall: [0.25], dash: 'dot' }]);
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[0].x, [1, 2, 3]);
  assert.deepEqual(fig.data[0].y, [50, 75, 100]);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => recallCurveFigure([]), /no series/);
  assert.throws(() => recallCurveFigure([{ name: 'x', recall: [1.5] }]), /recall\[0\] = 1.5/);
});

test('retrievalFigure: one panel per image, candidates framed green or red', () => {
  const rows = [0, 1].map((r) => ({
    title: `q${r}`, query: rgb(4, 2, 10),
    candidates: [{ image: rgb(4, 2, 20), correct: true, distanceM: 3 }, { image: rgb(4, 2, 30), correct: false, distanceM: 120 }],
  }));
  const fig = retrievalFigure(rows, { title: 't' });
  assert.equal(fig.data.length, 6);
  assert.deepEqual(fig.data.map((t) => t.xaxis), ['x', 'x2', 'x3', 'x4', 'x5', 'x6']);
  const shapes = fig.layout.shapes as { line: { color: string } }[];
  assert.equal(shapes.length, 4);
  assert.deepEqual(shapes.map((s) => s.line.color), ['#1a9850', '#d73027', '#1a9850', '#d73027']);
  const texts = (fig.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(texts.slice(0, 3), ['q0', '#1 ✓ 3.0 m', '#2 ✗ 120 m']);
  assert.throws(() => retrievalFigure([]), /no rows/);
  assert.throws(() => retrievalFigure([rows[0], { ...rows[1], candidates: [] }]), /same number of candidates/);
});

test('descriptorScatterFigure: one colour range over all groups, checked lengths', () => {
  const fig = descriptorScatterFigure([
    { name: 'db', x: [0, 1], y: [0, 1], color: [0, 10] },
    { name: 'q', x: [2], y: [2], color: [20], symbol: 'x' },
  ], { x: ['PC 1', undefined], y: ['PC 2', undefined], colorbarTitle: 'position (m)' });
  const m = fig.data.map((t) => t.marker as { cmin: number; cmax: number; showscale: boolean });
  assert.deepEqual(m.map((x) => [x.cmin, x.cmax, x.showscale]), [[0, 20, true], [0, 20, false]]);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => descriptorScatterFigure([{ name: 'a', x: [0], y: [0, 1], color: [0] }], { x: ['a', undefined], y: ['b', undefined], colorbarTitle: 'c' }), /group 0/);
});

test('calibrationCurveFigure: the true calibration at 0, means and stds in percent, the 5-point line', () => {
  const fig = calibrationCurveFigure([{ name: 'laptop', points: [{ magnitude: 10, recallMean: 0.5, recallStd: 0.1 }, { magnitude: 2, recallMean: 0.8, recallStd: 0.02 }] }], 0.9, 'cm');
  assert.deepEqual(fig.data[0].x, [0, 2, 10]);
  assert.deepEqual(fig.data[0].y, [90, 80, 50]);
  assert.deepEqual((fig.data[0].error_y as { array: number[] }).array, [0, 2, 10]);
  assert.deepEqual(fig.data[1].y, [85, 85]);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => calibrationCurveFigure([], 0.9, 'deg'), /no series/);
  assert.throws(() => calibrationCurveFigure([{ name: 'x', points: [] }], 90, 'deg'), /baseline 90/);
});

test('calibrationCurveFigure: several models, each from its own true calibration; the 5-point line is the first one\'s', () => {
  const pts = (m: number) => [{ magnitude: 1, recallMean: m, recallStd: 0 }];
  const fig = calibrationCurveFigure([{ name: 'a', points: pts(0.7), baseline: 0.8 }, { name: 'b', points: pts(0.6) }, { name: 'c', points: pts(0.25), baseline: 0.75 }], 0.9, 'deg');
  assert.deepEqual(fig.data.slice(0, 3).map((t) => t.y), [[80, 70], [90, 60], [75, 25]]);
  assert.deepEqual(fig.data[3].y, [75, 75]);
  assert.equal(fig.data[3].name, 'a: true calibration - 5 points');
  assert.throws(() => calibrationCurveFigure([{ name: 'a', points: [] }, { name: 'b', points: [], baseline: 1.5 }], 0.9, 'deg'), /baseline 1.5/);
});
