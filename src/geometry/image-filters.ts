/**
 * Morphology and smoothing filters on single-channel float32 images (row-major H x W),
 * the building blocks of depth completion (depth-completion.ts).
 *
 * Convention: taps outside the image are ignored (OpenCV's default for dilate/erode;
 * for median/gaussian/bilateral OpenCV reflects the border instead). The smoothing
 * filters also ignore EMPTY taps (value <= 0) and only write the pixels a mask selects,
 * so holes never leak zeros into valid depths (IP-Basic's OpenCV calls do mix them in).
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';

/** Structuring-element shapes: full square, cross (centre row + column), diamond (|dx| + |dy| <= r). */
export type KernelShape = 'full' | 'cross' | 'diamond';

/** A structuring element: shape and odd side length in pixels (1 = identity). */
export interface KernelSpec {
  shape: KernelShape;
  size: number;
}

function checkImage(where: string, img: ArrayLike<number>, w: number, h: number): void {
  if (!(Number.isInteger(w) && w > 0 && Number.isInteger(h) && h > 0) || img.length !== w * h) {
    throw new InputError(where, `expected an image of ${h} x ${w} = ${w * h} values, got length ${img.length}`);
  }
}

/** Max over a horizontal (2r+1) window; out-of-image taps ignored. */
function rowMax(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const base = y * w;
    for (let x = 0; x < w; x++) {
      const a = base + (x - r < 0 ? 0 : x - r), b = base + (x + r >= w ? w - 1 : x + r);
      let m = src[a];
      for (let k = a + 1; k <= b; k++) if (src[k] > m) m = src[k];
      out[base + x] = m;
    }
  }
  return out;
}

/** Max over a vertical (2r+1) window, row by row (cache friendly); out-of-image taps ignored. */
function colMax(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const a = y - r < 0 ? 0 : y - r, b = y + r >= h ? h - 1 : y + r, o = y * w;
    out.set(src.subarray(a * w, a * w + w), o);
    for (let yy = a + 1; yy <= b; yy++) {
      const s = yy * w;
      for (let x = 0; x < w; x++) if (src[s + x] > out[o + x]) out[o + x] = src[s + x];
    }
  }
  return out;
}

// #region dilate
/** Grey dilation (max); erosion is computed as -dilate(-src). */
function dilateMax(src: Float32Array, w: number, h: number, k: KernelSpec): Float32Array {
  const r = (k.size - 1) >> 1;
  if (r === 0) return Float32Array.from(src);
  if (k.shape === 'full') return colMax(rowMax(src, w, h, r), w, h, r); // separable
  if (k.shape === 'cross') {
    const a = rowMax(src, w, h, r), b = colMax(src, w, h, r);
    for (let i = 0; i < a.length; i++) if (b[i] > a[i]) a[i] = b[i];
    return a;
  }
  const out = new Float32Array(w * h); // diamond |dx| + |dy| <= r: explicit taps
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = src[y * w + x];
      for (let dy = -r; dy <= r; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        const rx = r - Math.abs(dy);
        for (let i = yy * w + Math.max(0, x - rx), e = yy * w + Math.min(w - 1, x + rx); i <= e; i++) if (src[i] > m) m = src[i];
      }
      out[y * w + x] = m;
    }
  }
  return out;
}
// #endregion dilate

function morph(src: Float32Array, w: number, h: number, k: KernelSpec, useMax: boolean): Float32Array {
  checkImage('image-filters: src', src, w, h);
  if (useMax) return dilateMax(src, w, h, k);
  const out = dilateMax(src.map((v) => -v), w, h, k);
  for (let i = 0; i < out.length; i++) out[i] = -out[i];
  return out;
}

/** Grey dilation (max over the kernel). @returns [h * w] new image */
export function dilate(src: Float32Array, w: number, h: number, kernel: KernelSpec): Float32Array {
  return morph(src, w, h, kernel, true);
}

/** Grey erosion (min over the kernel). @returns [h * w] new image */
export function erode(src: Float32Array, w: number, h: number, kernel: KernelSpec): Float32Array {
  return morph(src, w, h, kernel, false);
}

/**
 * Dilation evaluated only at the listed pixels (equal to `dilate(...)[i]` there); much
 * cheaper than a whole-image dilation when few pixels need it (hole filling).
 * @param indices [M] flat pixel indices y * w + x
 * @returns [M] the max of `src` under the kernel centred at each listed pixel
 */
export function dilateAt(src: Float32Array, w: number, h: number, kernel: KernelSpec, indices: Int32Array): Float32Array {
  checkImage('dilateAt: src', src, w, h);
  const r = (kernel.size - 1) >> 1;
  const out = new Float32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k], y = (i / w) | 0, x = i - y * w;
    let m = src[i];
    for (let yy = Math.max(0, y - r), ye = Math.min(h - 1, y + r); yy <= ye; yy++) {
      const dy = yy - y < 0 ? y - yy : yy - y;
      // half-width of the kernel row at this dy: full r, cross r (dy = 0) or 0, diamond r - |dy|
      const rx = kernel.shape === 'full' ? r : kernel.shape === 'cross' ? (dy === 0 ? r : 0) : r - dy;
      for (let j = yy * w + Math.max(0, x - rx), e = yy * w + Math.min(w - 1, x + rx); j <= e; j++) if (src[j] > m) m = src[j];
    }
    out[k] = m;
  }
  return out;
}

/** Morphological closing: dilate, then erode with the same kernel (fills holes smaller than it). */
export function close(src: Float32Array, w: number, h: number, kernel: KernelSpec): Float32Array {
  return erode(dilate(src, w, h, kernel), w, h, kernel);
}

// #region medianFilter
/**
 * Median of the non-empty taps of a size x size window, written where `mask` is 1
 * (the lower median when the count is even, so the value is always one of the inputs).
 * @param src [h * w]; values <= 0 are empty
 * @param mask [h * w] 1 = filter this pixel
 * @returns [h * w] new image (unmasked pixels copied)
 */
export function medianFilter(src: Float32Array, w: number, h: number, size: number, mask: Uint8Array): Float32Array {
  checkImage('medianFilter: src', src, w, h);
  const out = Float32Array.from(src);
  const r = (size - 1) >> 1;
  if (r === 0) return out;
  const win = new Float32Array(size * size);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      let m = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
        for (let j = yy * w + Math.max(0, x - r), e = yy * w + Math.min(w - 1, x + r); j <= e; j++) {
          if (src[j] > 0) win[m++] = src[j];
        }
      }
      if (m > 0) out[y * w + x] = select(win, m, (m - 1) >> 1);
    }
  }
  return out;
}

/** The k-th smallest of a[0..n) (Hoare's quickselect; reorders a). */
function select(a: Float32Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
// #endregion medianFilter

const EXP_T_MAX = 18;
/** exp(-t) at 4096 steps over [0, EXP_T_MAX], for the bilateral value weights. */
const EXP_TABLE = Float64Array.from({ length: 4097 }, (_, i) => Math.exp(-(i * EXP_T_MAX) / 4096));

/**
 * Normalised weighted average of the non-empty taps in a (2r+1)^2 window, written where
 * `mask` is 1. Gaussian: w = exp(-(dx^2 + dy^2) / 2 sigmaSpace^2). Bilateral (when
 * sigmaValue is given): times exp(-(v - v0)^2 / 2 sigmaValue^2) (tabulated, |error| < 3e-6,
 * 0 beyond 6 sigmaValue), over the disc dx^2 + dy^2 <= r^2 as OpenCV's bilateralFilter does.
 * @param src [h * w]; values <= 0 are empty
 * @param size odd window side, pixels
 * @param sigmaSpacePx spatial sigma, pixels
 * @param mask [h * w] 1 = filter this pixel
 * @param sigmaValue value sigma (same unit as src) for the bilateral filter; omit for gaussian
 * @returns [h * w] new image (unmasked pixels copied)
 */
export function weightedBlur(src: Float32Array, w: number, h: number, size: number, sigmaSpacePx: number, mask: Uint8Array, sigmaValue?: number): Float32Array {
  checkImage('weightedBlur: src', src, w, h);
  const out = Float32Array.from(src);
  const r = (size - 1) >> 1;
  if (r === 0) return out;
  const spatial = new Float64Array(size * size);
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const d2 = dx * dx + dy * dy;
      spatial[(dy + r) * size + dx + r] = sigmaValue !== undefined && d2 > r * r ? 0 : Math.exp(-d2 / (2 * sigmaSpacePx * sigmaSpacePx));
    }
  }
  // value weights exp(-t), t = (v - v0)^2 / 2 sigma^2, from a linearly interpolated table
  // over t in [0, 18] (|v - v0| < 6 sigma; |error| < 3e-6), 0 beyond
  const bins = EXP_TABLE.length - 1;
  const tScale = sigmaValue !== undefined ? bins / (EXP_T_MAX * 2 * sigmaValue * sigmaValue) : 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      const v0 = src[i];
      let sw = 0, sv = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
        const srow = (yy - y + r) * size - x + r;
        for (let xx = Math.max(0, x - r), xe = Math.min(w - 1, x + r); xx <= xe; xx++) {
          const v = src[yy * w + xx];
          if (!(v > 0)) continue;
          let wt = spatial[srow + xx];
          if (tScale > 0) {
            const f = (v - v0) * (v - v0) * tScale;
            if (f >= bins) continue;
            const b = f | 0;
            wt *= EXP_TABLE[b] + (f - b) * (EXP_TABLE[b + 1] - EXP_TABLE[b]);
          }
          sw += wt; sv += wt * v;
        }
      }
      if (sw > 0) out[i] = sv / sw;
    }
  }
  return out;
}
