// Resize and crop: the pixel mapping agrees with resizeCamera / cropCamera (pixel centres at integers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cropCamera, makeCamera, resizeCamera } from '../../../src/geometry/camera.js';
import { cropImage, resizeImage, toUnitFloat } from '../../../src/data/pairs/index.js';

/** A 2-channel image whose values are the column and row coordinates of each pixel centre. */
function coordinateImage(W: number, H: number): Float32Array {
  const img = new Float32Array(W * H * 2);
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) { img[(r * W + c) * 2] = c; img[(r * W + c) * 2 + 1] = r; }
  return img;
}

for (const filter of ['bilinear', 'area'] as const) {
  test(`${filter} resize + crop: each pixel holds the source coordinate the intrinsics predict`, () => {
    for (const [W, H, w, h] of [[1241, 376, 621, 188], [1241, 376, 310, 94], [310, 94, 620, 188]]) {
      const img = resizeImage(coordinateImage(W, H), W, H, 2, w, h, filter);
      const [left, top, cw, ch] = [Math.floor((w - 256) / 2), 3, 256, 80];
      const crop = cropImage(img, w, h, 2, left, top, cw, ch);
      // A camera with f = 1, c = 0 maps x/z = u: its cropped, scaled version says where u lands.
      const full = makeCamera({ fx: 1, fy: 1, cx: 0, cy: 0, width: W, height: H });
      const cam = cropCamera(resizeCamera(full, w, h), left, top, cw, ch);
      const upscale = w > W;
      for (let r = 1; r < ch - 1; r++) {
        for (let c = 1; c < cw - 1; c++) {
          // Source column of the output pixel centre c: u = (c - cx') / fx' (inverse of u' = fx' u + cx').
          const u = (c - cam.cx) / cam.fx, v = (r - cam.cy) / cam.fy;
          const got = [crop[(r * cw + c) * 2], crop[(r * cw + c) * 2 + 1]];
          // Bilinear and area (shrinking) are exact on a linear ramp; area when enlarging is a box, exact to half an input pixel.
          const tol = filter === 'area' && upscale ? 0.5 : 1e-3;
          assert.ok(Math.abs(got[0] - u) <= tol && Math.abs(got[1] - v) <= tol, `${W}->${w} pixel (${c}, ${r}): ${got} vs ${u}, ${v}`);
        }
      }
    }
  });
}

test('resize keeps a constant image constant and averages by area', () => {
  const W = 8, H = 4;
  const flat = new Float32Array(W * H * 3).fill(0.25);
  for (const f of ['bilinear', 'area'] as const) for (const v of resizeImage(flat, W, H, 3, 3, 5, f)) assert.ok(Math.abs(v - 0.25) < 1e-6);
  const stripes = Float32Array.from({ length: W }, (_, c) => c % 2); // 1 row, 1 channel: 0 1 0 1 ...
  assert.deepEqual([...resizeImage(stripes, W, 1, 1, 2, 1, 'area')], [0.5, 0.5]);
  assert.deepEqual([...resizeImage(stripes, W, 1, 1, 4, 1, 'bilinear')], [0.5, 0.5, 0.5, 0.5]);
});

test('crop copies the window; bad windows and sizes throw', () => {
  const img = Float32Array.from({ length: 4 * 3 }, (_, i) => i); // 3 rows x 4 cols x 1
  assert.deepEqual([...cropImage(img, 4, 3, 1, 1, 1, 2, 2)], [5, 6, 9, 10]);
  assert.throws(() => cropImage(img, 4, 3, 1, 3, 0, 2, 1), /cropWidth/);
  assert.throws(() => resizeImage(img, 4, 4, 1, 2, 2, 'area'), /expected 4 x 4 x 1/);
  assert.deepEqual(toUnitFloat(Uint8Array.from([0, 255, 51])), Float32Array.from([0, 1, 51 / 255]));
});
