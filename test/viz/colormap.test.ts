import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colormap, depthToRgb, drawPoints } from '../../src/viz/colormap.js';
import type { Rgb } from '../../src/viz/colormap.js';

const near = (got: Rgb, want: ArrayLike<number>, tol: number, what: string): void => {
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(got[k] - want[k]) <= tol, `${what}: got [${got}], want [${Array.from(want)}] +- ${tol}`);
};
const scale = (c: number[]): number[] => c.map((x) => 255 * x);

test('gray is t * 255, rounded; t outside [0, 1] takes the end colour; NaN throws', () => {
  assert.deepEqual(colormap('gray', 0), [0, 0, 0]);
  assert.deepEqual(colormap('gray', 0.5), [128, 128, 128]); // round(127.5)
  assert.deepEqual(colormap('gray', 2), [255, 255, 255]);
  assert.deepEqual(colormap('turbo', -1), colormap('turbo', 0));
  assert.throws(() => colormap('gray', Number.NaN), /t is NaN/);
  assert.throws(() => colormap('jet' as 'gray', 0.5), /unknown name 'jet'/);
});

test('turbo follows Google\'s polynomial: its constant terms at 0, the coefficient sums at 1', () => {
  const c = (x: number): number => Math.round(255 * Math.min(1, Math.max(0, x)));
  assert.deepEqual(colormap('turbo', 0), [c(0.13572138), c(0.09140261), c(0.1066733)]);
  assert.deepEqual(colormap('turbo', 1), [
    c(0.13572138 + 4.6153926 - 42.66032258 + 132.13108234 - 152.94239396 + 59.28637943),
    c(0.09140261 + 2.19418839 + 4.84296658 - 14.18503333 + 4.27729857 + 2.82956604),
    c(0.1066733 + 12.64194608 - 60.58204836 + 110.36276771 - 89.90310912 + 27.34824973),
  ]);
  // Within 0.08 (21/255) of the 256-entry Turbo table inside the range.
  near(colormap('turbo', 64 / 255), scale([0.15844, 0.73551, 0.92305]), 21, 'turbo[64]');
  near(colormap('turbo', 128 / 255), scale([0.64362, 0.98999, 0.23356]), 21, 'turbo[128]');
  near(colormap('turbo', 192 / 255), scale([0.9836, 0.49291, 0.12849]), 21, 'turbo[192]');
});

test('viridis is within 4/255 of matplotlib\'s table', () => {
  near(colormap('viridis', 0), scale([0.267004, 0.004874, 0.329415]), 4, 'viridis[0]');
  near(colormap('viridis', 128 / 255), scale([0.127568, 0.566949, 0.550556]), 4, 'viridis[128]');
  near(colormap('viridis', 1), scale([0.993248, 0.906157, 0.143936]), 4, 'viridis[255]');
});

test('depthToRgb: empty pixels take emptyRgb, maxM defaults to the deepest pixel', () => {
  const depth = Float32Array.from([0, 5, 10, 20]); // 2 x 2
  const rgb = depthToRgb(depth, 2, 2, { colormap: 'gray' });
  assert.deepEqual(Array.from(rgb), [0, 0, 0, 64, 64, 64, 128, 128, 128, 255, 255, 255]);
  const capped = depthToRgb(depth, 2, 2, { colormap: 'viridis', maxM: 10, emptyRgb: [255, 0, 255] });
  assert.deepEqual(Array.from(capped.subarray(0, 3)), [255, 0, 255]);
  assert.deepEqual(Array.from(capped.subarray(9, 12)), colormap('viridis', 1)); // 20 m > maxM: end colour
  assert.deepEqual(Array.from(depthToRgb(new Float32Array(4), 2, 2).subarray(0, 3)), [0, 0, 0]);
  assert.throws(() => depthToRgb(depth, 3, 2), /depth has 4 values, expected 3x2 = 6/);
  assert.throws(() => depthToRgb(Float32Array.from([1, -1]), 2, 1), /depth\[1\] \(row 0, column 1\) is -1/);
  assert.throws(() => depthToRgb(depth, 2, 2, { maxM: 0 }), /maxM must be a finite number > 0/);
});

test('drawPoints paints discs in place, skipping points off the image or non-finite', () => {
  const w = 5;
  const h = 4;
  const rgb = new Uint8Array(w * h * 3);
  const painted = (): string[] => {
    const out: string[] = [];
    for (let i = 0; i < w * h; i++) if (rgb[i * 3] || rgb[i * 3 + 1] || rgb[i * 3 + 2]) out.push(`${i % w},${Math.floor(i / w)}`);
    return out;
  };
  drawPoints(rgb, w, h, [1.4], [0.6], [9, 8, 7], 0); // nearest pixel centre: (1, 1)
  assert.deepEqual(painted(), ['1,1']);
  assert.deepEqual(Array.from(rgb.subarray((1 * w + 1) * 3, (1 * w + 1) * 3 + 3)), [9, 8, 7]);
  rgb.fill(0);
  drawPoints(rgb, w, h, [3, 100, Number.NaN], [2, 1, 1], [200, 0, 0], 1); // one colour for all
  assert.deepEqual(painted().sort(), ['2,2', '3,1', '3,2', '3,3', '4,2']);
  rgb.fill(0);
  drawPoints(rgb, w, h, [0, 4], [0, 3], [1, 2, 3, 4, 5, 6], 0); // per-point colours
  assert.deepEqual(Array.from(rgb.subarray(0, 3)), [1, 2, 3]);
  assert.deepEqual(Array.from(rgb.subarray((3 * w + 4) * 3)), [4, 5, 6]);
  assert.throws(() => drawPoints(rgb, w, h, [0, 1], [0], [1, 2, 3], 1), /u has 2 values but v has 1/);
  assert.throws(() => drawPoints(rgb, w, h, [0, 1], [0, 1], [1, 2, 3, 4], 1), /colors must hold 3 or N \* 3 = 6 values, got 4/);
});
