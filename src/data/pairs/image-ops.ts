/**
 * Small image operations for the pair builder: uint8 -> float, separable resize (bilinear
 * or area) and crop, on flat HWC arrays.
 *
 * Convention (pixel centres, as src/geometry/camera.ts): the centre of pixel c is the
 * continuous coordinate c, so pixel c spans [c - 0.5, c + 0.5). A resize from n to m
 * pixels maps edges onto edges with s = m / n: u' + 0.5 = s (u + 0.5), exactly what
 * `resizeCamera` does to the intrinsics; a crop at (left, top) subtracts the offset, as
 * `cropCamera` does.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { InputError } from '../../core/errors.js';
import { assertInt } from '../../core/shapes.js';

/** Resize filters. */
export type ResizeFilter = 'bilinear' | 'area';

/**
 * 8-bit image values scaled to [0, 1].
 * @param data [H * W * C] uint8
 * @returns [H * W * C] float32 in [0, 1]
 */
export function toUnitFloat(data: Uint8Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] / 255;
  return out;
}

/** Taps of a 1-D resample: for output o, weights w[k] on inputs idx[k], k in [start[o], start[o + 1]). */
interface Taps { start: Int32Array; idx: Int32Array; w: Float64Array }

// #region taps
/**
 * 1-D resampling taps from n to m samples, edges onto edges (s = m / n).
 * bilinear: input coordinate x = (o + 0.5) / s - 0.5, clamped to [0, n - 1], two taps
 * (cv2 INTER_LINEAR). area: output o covers input edges [o / s, (o + 1) / s); each input
 * pixel weighs by its overlap, normalised (cv2 INTER_AREA when shrinking).
 */
function resampleTaps(n: number, m: number, filter: ResizeFilter): Taps {
  const s = m / n;
  const start = new Int32Array(m + 1);
  const idx: number[] = [], w: number[] = [];
  for (let o = 0; o < m; o++) {
    start[o] = idx.length;
    if (filter === 'bilinear') {
      const x = Math.min(Math.max((o + 0.5) / s - 0.5, 0), n - 1);
      const i0 = Math.floor(x), f = x - i0;
      idx.push(i0); w.push(1 - f);
      if (f > 0) { idx.push(i0 + 1); w.push(f); }
    } else {
      const a = o / s, b = Math.min((o + 1) / s, n);
      let total = 0;
      for (let i = Math.floor(a); i < b; i++) {
        const ov = Math.min(b, i + 1) - Math.max(a, i);
        if (ov > 0) { idx.push(i); w.push(ov); total += ov; }
      }
      for (let k = start[o]; k < idx.length; k++) w[k] /= total;
    }
  }
  start[m] = idx.length;
  return { start, idx: Int32Array.from(idx), w: Float64Array.from(w) };
}
// #endregion taps

// #region resizeImage
/**
 * Resizes an HWC image to newWidth x newHeight (separable: rows, then columns).
 * @param data [H * W * C] any numeric type
 * @param width W, pixels
 * @param height H, pixels
 * @param channels C (>= 1)
 * @param newWidth W', pixels; the horizontal scale is W' / W
 * @param newHeight H', pixels; the vertical scale is H' / H
 * @param filter 'bilinear' or 'area'
 * @returns [H' * W' * C] float32
 */
export function resizeImage(
  data: ArrayLike<number>, width: number, height: number, channels: number,
  newWidth: number, newHeight: number, filter: ResizeFilter,
): Float32Array {
  for (const [name, v] of [['width', width], ['height', height], ['channels', channels], ['newWidth', newWidth], ['newHeight', newHeight]] as const) {
    assertInt(`resizeImage: ${name}`, v, 1);
  }
  if (data.length !== width * height * channels) throw new InputError('resizeImage: data', `expected ${height} x ${width} x ${channels} = ${width * height * channels} values, got ${data.length}`);
  if (filter !== 'bilinear' && filter !== 'area') throw new InputError('resizeImage: filter', `expected 'bilinear' or 'area', got '${String(filter)}'`);
  const C = channels, tx = resampleTaps(width, newWidth, filter), ty = resampleTaps(height, newHeight, filter);
  const rows = new Float64Array(height * newWidth * C); // [H, W', C]
  for (let r = 0; r < height; r++) {
    for (let o = 0; o < newWidth; o++) {
      const dst = (r * newWidth + o) * C;
      for (let k = tx.start[o]; k < tx.start[o + 1]; k++) {
        const src = (r * width + tx.idx[k]) * C, wk = tx.w[k];
        for (let c = 0; c < C; c++) rows[dst + c] += wk * data[src + c];
      }
    }
  }
  const out = new Float32Array(newHeight * newWidth * C); // [H', W', C]
  const acc = new Float64Array(newWidth * C);
  for (let o = 0; o < newHeight; o++) {
    acc.fill(0);
    for (let k = ty.start[o]; k < ty.start[o + 1]; k++) {
      const src = ty.idx[k] * newWidth * C, wk = ty.w[k];
      for (let j = 0; j < newWidth * C; j++) acc[j] += wk * rows[src + j];
    }
    out.set(acc, o * newWidth * C);
  }
  return out;
}
// #endregion resizeImage

/**
 * Copies the window [left, left + cropWidth) x [top, top + cropHeight) of an HWC image.
 * @param data [H * W * C] float32
 * @returns [cropHeight * cropWidth * C] float32
 * @throws RangeError when the window leaves the image
 */
export function cropImage(
  data: Float32Array, width: number, height: number, channels: number,
  left: number, top: number, cropWidth: number, cropHeight: number,
): Float32Array {
  assertInt('cropImage: left', left, 0, width - 1);
  assertInt('cropImage: top', top, 0, height - 1);
  assertInt('cropImage: cropWidth', cropWidth, 1, width - left);
  assertInt('cropImage: cropHeight', cropHeight, 1, height - top);
  if (data.length !== width * height * channels) throw new InputError('cropImage: data', `expected ${width * height * channels} values, got ${data.length}`);
  const out = new Float32Array(cropHeight * cropWidth * channels);
  const rowLen = cropWidth * channels;
  for (let r = 0; r < cropHeight; r++) {
    const src = ((top + r) * width + left) * channels;
    out.set(data.subarray(src, src + rowLen), r * rowLen);
  }
  return out;
}
