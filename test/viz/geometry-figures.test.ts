import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingAxisTitles } from '../../src/viz/figure.js';
import { evenSubsample, plotlyColorscale, frustumCorners, frustumTrace, pointCloudTrace, trajectoryTrace } from '../../src/viz/geometry-figures.js';
import {
  depthHeatmapData, depthImageFigure, depthImageGrid, histogramFigure, imageLayout, imageTrace, imageWithPointsFigure,
} from '../../src/viz/image-figures.js';

const I = Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
// camera 2 m above the world origin looking along world x: x_cam = -y_w, y_cam = -z_w, z_cam = x_w
const worldFromCam = Float64Array.of(0, 0, 1, 0, -1, 0, 0, 0, 0, -1, 0, 2, 0, 0, 0, 1);
const cam = { fx: 100, fy: 100, cx: 49.5, cy: 19.5, width: 100, height: 40 };

test('evenSubsample: evenly spaced, deterministic, all when n <= maxPoints', () => {
  assert.deepEqual(Array.from(evenSubsample(10, 5)), [0, 2, 4, 6, 8]);
  assert.deepEqual(Array.from(evenSubsample(3, 5)), [0, 1, 2]);
  assert.deepEqual(Array.from(evenSubsample(0, 5)), []);
  assert.deepEqual(evenSubsample(123457, 1000), evenSubsample(123457, 1000));
  const big = evenSubsample(123457, 1000);
  assert.equal(big.length, 1000);
  for (let k = 1; k < big.length; k++) assert.ok(big[k] > big[k - 1]);
  assert.throws(() => evenSubsample(10, 0), /maxPoints must be an integer >= 1/);
  assert.throws(() => evenSubsample(-1, 3), /n must be an integer >= 0/);
});

test('pointCloudTrace: subsampled, masked, coloured, transformed', () => {
  const n = 50, stride = 4;
  const pts = Float32Array.from({ length: n * stride }, (_, i) => (i % stride === 3 ? 0.5 : Math.floor(i / stride)));
  const values = Float32Array.from({ length: n }, (_, i) => 10 * i);
  const tr = pointCloudTrace(pts, stride, { values, maxPoints: 10, colorbarTitle: 'depth (m)' });
  assert.equal(tr.type, 'scatter3d');
  assert.equal((tr.x as Float32Array).length, 10);
  assert.deepEqual(Array.from(tr.customdata as Int32Array), [0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
  const marker = tr.marker as Record<string, unknown>;
  assert.deepEqual(Array.from(marker.color as Float32Array), [0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);
  assert.deepEqual(marker.colorbar, { title: { text: 'depth (m)' }, thickness: 14 });
  assert.deepEqual(pointCloudTrace(pts, stride, { values, maxPoints: 10 }), pointCloudTrace(pts, stride, { values, maxPoints: 10 }));
  const mask = Uint8Array.from({ length: n }, (_, i) => (i % 2));
  assert.deepEqual(Array.from(pointCloudTrace(pts, stride, { mask, maxPoints: 3 }).customdata as Int32Array), [1, 17, 33]);
  // moved by worldFromCam: camera point (1, 2, 3) -> world (3, -1, 2 - 2) = (3, -1, 0)
  const one = pointCloudTrace(Float32Array.of(1, 2, 3), 3, { worldFromPoints: worldFromCam });
  assert.deepEqual([(one.x as Float32Array)[0], (one.y as Float32Array)[0], (one.z as Float32Array)[0]], [3, -1, 0]);
  assert.throws(() => pointCloudTrace(pts, stride, { values: new Float32Array(3) }), /values has 3 entries, expected one per point \(50\)/);
  assert.throws(() => pointCloudTrace(new Float32Array(7), 4), /not a multiple of stride 4/);
});

test('frustumCorners: rays through the outer pixel edges at the given depth', () => {
  const c = frustumCorners(cam, 2);
  // u = -0.5: x = (-0.5 - 49.5) * 2 / 100 = -1; u = 99.5: x = 1; v = -0.5: y = -0.4; v = 39.5: y = 0.4
  assert.deepEqual(c, [[-1, -0.4, 2], [1, -0.4, 2], [1, 0.4, 2], [-1, 0.4, 2]]);
  assert.throws(() => frustumCorners(cam, 0), /depthM must be > 0/);
});

test('frustumTrace: 4 edges from the centre and the far rectangle, in world coordinates', () => {
  const tr = frustumTrace(cam, worldFromCam, { depthM: 2 });
  const x = tr.x as (number | null)[], y = tr.y as (number | null)[], z = tr.z as (number | null)[];
  assert.equal(x.length, 4 * 3 + 5);
  assert.deepEqual([x[0], y[0], z[0]], [0, 0, 2]);               // optical centre
  assert.deepEqual([x[2], y[2], z[2]], [null, null, null]);      // break between edges
  // top-left corner in camera (-1, -0.4, 2) -> world (2, 1, 2.4)
  assert.deepEqual([x[1], y[1], z[1]], [2, 1, 2 + 0.4]);
  assert.deepEqual([x[12], y[12], z[12]], [x[16], y[16], z[16]]); // rectangle closes
  assert.throws(() => frustumTrace(cam, new Float64Array(12)), /worldFromCam: expected a 4x4/);
});

test('trajectoryTrace: one vertex per pose, from the translation column', () => {
  const tr = trajectoryTrace([I, Float64Array.of(1, 0, 0, 5, 0, 1, 0, 6, 0, 0, 1, 7)]);
  assert.deepEqual([tr.x, tr.y, tr.z], [[0, 5], [0, 6], [0, 7]]);
  assert.throws(() => trajectoryTrace([new Float64Array(9)]), /pose 0 has 9 numbers/);
});

test('imageTrace: HWC pixels as rows of [r, g, b]; or a PNG data URI', () => {
  const rgb = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18); // H = 2, W = 3
  const tr = imageTrace({ data: rgb, width: 3, height: 2 });
  assert.equal(tr.type, 'image');
  assert.deepEqual(tr.z, [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[10, 11, 12], [13, 14, 15], [16, 17, 18]]]);
  assert.equal(imageTrace({ source: 'data:image/png;base64,AAAA', width: 3, height: 2 }).source, 'data:image/png;base64,AAAA');
  assert.throws(() => imageTrace({ data: rgb, width: 4, height: 2 }), /expected 2 x 4 x 3 = 24 values, got 18/);
  assert.throws(() => imageTrace({ source: 'x.png', width: 1, height: 1 }), /data:image/);
});

test('imageLayout: titled axes in px, v reversed, square pixels, height from the aspect ratio', () => {
  const l = imageLayout(800, 128, 't', { widthPx: 950, marginPx: 100 });
  assert.deepEqual((l.xaxis as { title: unknown }).title, { text: 'u (column) (px)' });
  assert.deepEqual((l.yaxis as { range: number[] }).range, [127.5, -0.5]);
  assert.equal((l.yaxis as { scaleanchor: string }).scaleanchor, 'x');
  assert.equal(l.height, Math.round((800 * 128) / 800 + 100));
});

test('imageWithPointsFigure: image + one subsampled point trace, every axis titled', () => {
  const n = 100;
  const u = Float32Array.from({ length: n }, (_, i) => i % 3), v = new Float32Array(n), d = Float32Array.from({ length: n }, (_, i) => i);
  const fig = imageWithPointsFigure({ data: new Uint8Array(18), width: 3, height: 2 }, u, v, d, { maxPoints: 25 });
  assert.deepEqual(fig.data.map((t) => t.type), ['image', 'scattergl']);
  assert.equal((fig.data[1].x as Float32Array).length, 25);
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => imageWithPointsFigure({ data: new Uint8Array(18), width: 3, height: 2 }, u, v.subarray(1), d), /one entry per point/);
});

test('depth heatmaps: empty pixels are gaps, pixelStep thins rows and columns, axes titled', () => {
  const depth = Float32Array.of(0, 1.5, 2, 0, 3, 0); // H = 2, W = 3
  assert.deepEqual(depthHeatmapData(depth, 3, 2), { z: [[null, 1.5, 2], [null, 3, null]], x: [0, 1, 2], y: [0, 1] });
  assert.deepEqual(depthHeatmapData(depth, 3, 2, 2), { z: [[null, 2]], x: [0, 2], y: [0] });
  const fig = depthImageFigure(depth, 3, 2, { colorbarTitle: 'range (m)' });
  assert.equal(fig.data.length, 1);
  assert.equal(fig.data[0].zmax, 3);
  assert.deepEqual(fig.data[0].colorbar, { title: { text: 'range (m)' }, thickness: 14 });
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => depthImageFigure(depth, 4, 2), /expected 2 x 4 = 8 values, got 6/);
});

test('depthImageGrid: one heatmap per panel on its own axes, one shared colour axis', () => {
  const a = Float32Array.of(1, 0, 0, 4), b = Float32Array.of(1, 2, 3, 4);
  const fig = depthImageGrid([{ title: 'before', depth: a }, { title: 'after', depth: b }], 2, 2);
  assert.deepEqual(fig.data.map((t) => [t.xaxis, t.yaxis, t.coloraxis]), [['x2', 'y2', 'coloraxis'], ['x', 'y', 'coloraxis']]); // bottom panel on x/y
  assert.equal((fig.layout.coloraxis as { cmax: number }).cmax, 4);
  assert.equal((fig.layout.annotations as unknown[]).length, 2);
  assert.ok(fig.layout.yaxis2 && fig.layout.xaxis2);
  assert.deepEqual(missingAxisTitles(fig), []);
});

test('histogramFigure: one overlaid trace per series, titled axes', () => {
  const fig = histogramFigure([{ name: 'all', values: [1, 2, 3] }, { name: 'in image', values: [2] }], { x: ['azimuth', 'deg'], binSize: 5, normalize: 'percent' });
  assert.deepEqual(fig.data.map((t) => [t.type, t.name, t.histnorm]), [['histogram', 'all', 'percent'], ['histogram', 'in image', 'percent']]);
  assert.deepEqual(fig.data[0].xbins, { size: 5 });
  assert.deepEqual((fig.layout.xaxis as { title: unknown }).title, { text: 'azimuth (deg)' });
  assert.deepEqual((fig.layout.yaxis as { title: unknown }).title, { text: 'share of points (%)' });
  assert.deepEqual(missingAxisTitles(fig), []);
  assert.throws(() => histogramFigure([], { x: ['a', undefined] }), /no series/);
});

test('plotlyColorscale: stops from 0 to 1 sampled from our colour maps', () => {
  const cs = plotlyColorscale('gray', 3);
  assert.deepEqual(cs, [[0, 'rgb(0,0,0)'], [0.5, 'rgb(128,128,128)'], [1, 'rgb(255,255,255)']]);
  assert.equal(plotlyColorscale().length, 11);
  assert.throws(() => plotlyColorscale('turbo', 1), /stops must be an integer >= 2/);
});
