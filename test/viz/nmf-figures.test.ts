import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingAxisTitles } from '../../src/viz/figure.js';
import {
  CATEGORY_COLORS, categoricalColorscale, clusterScatterFigure, heatmapGridFigure, lossCurvesFigure,
} from '../../src/viz/nmf-figures.js';

test('categoricalColorscale: one flat step per label, covering [0, 1]', () => {
  const s = categoricalColorscale(4);
  assert.equal(s.length, 8);
  assert.deepEqual(s[0], [0, CATEGORY_COLORS[0]]);
  assert.deepEqual(s[1], [1 / 4, CATEGORY_COLORS[0]]);
  assert.deepEqual(s[2], [1 / 4, CATEGORY_COLORS[1]]);
  assert.deepEqual(s[7], [1, CATEGORY_COLORS[3]]);
  assert.throws(() => categoricalColorscale(0), /k must be an integer in \[1, 20\]/);
  assert.throws(() => categoricalColorscale(21), /k must be an integer/);
});

test('heatmapGridFigure: panels in a row-major grid, shared colour axis, titled bottom-left axes', () => {
  const w = 3, h = 2;
  const panels = Array.from({ length: 5 }, (_, i) => ({ title: `p${i}`, values: Float32Array.from({ length: w * h }, (_, j) => i + j) }));
  const fig = heatmapGridFigure(panels, w, h, { columns: 2, colorbarTitle: 'loading' });
  assert.equal(fig.data.length, 5);
  assert.deepEqual(missingAxisTitles(fig), []);
  // 3 rows x 2 columns: the bottom-left panel (index 4) uses xaxis/yaxis, the others x2..x5
  assert.deepEqual(fig.data.map((t) => t.xaxis), ['x2', 'x3', 'x4', 'x5', 'x']);
  assert.deepEqual(fig.data[0].z, [[0, 1, 2], [3, 4, 5]]);
  const ca = fig.layout.coloraxis as { cmin: number; cmax: number };
  assert.deepEqual([ca.cmin, ca.cmax], [0, 4 + 5]);
  // square pixels: a panel's height in px over its width in px is h / w
  const plotW = (fig.layout.width as number) - 70 - 110, plotH = (fig.layout.height as number) - 60 - 55;
  const xd = (fig.layout.xaxis2 as { domain: number[] }).domain, yd = (fig.layout.yaxis2 as { domain: number[] }).domain;
  assert.ok(Math.abs(((yd[1] - yd[0]) * plotH) / ((xd[1] - xd[0]) * plotW) - h / w) < 0.02);
  assert.deepEqual(heatmapGridFigure(panels, w, h, { columns: 2, colorbarTitle: 'loading' }), fig);
  assert.throws(() => heatmapGridFigure([], w, h, { colorbarTitle: 'x' }), /no panels/);
  assert.throws(() => heatmapGridFigure([{ title: 'bad', values: [1, 2] }], w, h, { colorbarTitle: 'x' }), /panel 0 \('bad'\): expected 2 x 3 = 6 values, got 2/);
});

test('lossCurvesFigure: one line per series, log y by default, marks', () => {
  const fig = lossCurvesFigure([{ name: 'a', values: [4, 2, 1] }], { y: ['loss', undefined], marks: [{ x: 1, label: 'here' }] });
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.deepEqual(fig.data[0].x, [0, 1, 2]);
  assert.deepEqual(fig.data[0].y, [4, 2, 1]);
  assert.equal((fig.layout.yaxis as { type?: string }).type, 'log');
  assert.equal((fig.layout.shapes as unknown[]).length, 1);
  assert.equal((lossCurvesFigure([{ name: 'a', values: [1] }], { y: ['l', undefined], logY: false }).layout.yaxis as { type?: string }).type, undefined);
  assert.throws(() => lossCurvesFigure([], { y: ['l', undefined] }), /no series/);
});

test('clusterScatterFigure: colours by label, circles disagreements with the first panel', () => {
  const x = [0, 1, 2, 3], y = [0, 0, 1, 1];
  const fig = clusterScatterFigure(x, y, [{ title: 'A', labels: [0, 0, 1, 1] }, { title: 'B', labels: [0, 1, 1, 1] }], { x: ['x', 'm'], y: ['y', 'm'] });
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.equal(fig.data.length, 3);
  assert.deepEqual((fig.data[0].marker as { color: string[] }).color, [CATEGORY_COLORS[0], CATEGORY_COLORS[0], CATEGORY_COLORS[1], CATEGORY_COLORS[1]]);
  assert.deepEqual(fig.data[2].x, [1]);
  assert.match(fig.data[2].name as string, /differs from 'A' \(1\)/);
  assert.throws(() => clusterScatterFigure(x, y, [{ title: 'A', labels: [0, 0, 1] }], { x: ['x', 'm'], y: ['y', 'm'] }), /expected 4 labels, got 3/);
  assert.throws(() => clusterScatterFigure(x, y, [{ title: 'A', labels: [0, 0, 1, 1.5] }], { x: ['x', 'm'], y: ['y', 'm'] }), /label 1.5 at 3/);
});
