/**
 * Depth completion by morphology, after IP-Basic (Ku et al., "In Defense of Classical
 * Image Processing: Fast Depth Completion on the CPU", CRV 2018): turns a sparse FoV depth
 * image into a dense one with no learned weights.
 *
 * Steps (each a config field in depth-completion-config.ts):
 * 1. invert: valid pixels hold maxDepthM - d, so a max-dilation keeps the NEAREST depth;
 * 2. band dilation: near / medium / far points dilated with their own kernels, then
 *    merged far first, so nearer bands win;
 * 3. close small holes; 4. fill empty pixels with a larger dilation (below each column's
 * top valid pixel); 5. extend the top value of each column upward (optional) or mask the
 * region above it; 6. repeated large-hole fill; 7. median; 8. bilateral or gaussian blur
 * (7 and 8 over non-empty taps only, see image-filters.ts); 9. invert back.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { validateDepthCompletionConfig, type DepthCompletionConfigInput } from './depth-completion-config.js';
import { close, dilate, dilateAt, medianFilter, weightedBlur, type KernelSpec } from './image-filters.js';

/** One step of the trace: how many pixels are filled after it. */
export interface DepthCompletionStep {
  /** Step name: input, bandDilation, closeSmallHoles, fillEmpty, extendTop | topMask, largeHoleFill, median, blur, output. */
  step: string;
  /** Non-empty pixels after the step. */
  filledPixels: number;
  /** Wall time of the step, ms. */
  ms: number;
  /** [H * W] float32 depth in metres after the step (only with `keepImages`). */
  depth?: Float32Array;
}

/** Options of {@link completeDepth} that do not change the result. */
export interface CompleteDepthOptions {
  /** Record per-step filled-pixel counts and times. */
  trace?: boolean;
  /** Also keep a copy of the image (metres) after each step; implies trace. */
  keepImages?: boolean;
}

/** Result of {@link completeDepth}. */
export interface DepthCompletionResult {
  /** [H * W] float32 row-major depth, metres, 0 = empty (a new array). */
  depth: Float32Array;
  /** Per-step record, when asked for. */
  trace?: DepthCompletionStep[];
}

function countFilled(img: Float32Array): number {
  let n = 0;
  for (let i = 0; i < img.length; i++) if (img[i] > 0) n++;
  return n;
}

/** 1 at and below the first non-empty pixel of each column, 0 above it (and in empty columns). */
function topMask(inv: Float32Array, w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let y = 0;
    while (y < h && !(inv[y * w + x] > 0)) y++;
    for (; y < h; y++) m[y * w + x] = 1;
  }
  return m;
}

/**
 * Empty pixels inside `top` take the max (nearest inverted depth) under the kernel, all
 * read from the image BEFORE this call (same as a full dilation, computed at holes only).
 * @returns the number of holes visited
 */
function fillHoles(inv: Float32Array, w: number, h: number, top: Uint8Array, kernel: KernelSpec): number {
  let m = 0;
  for (let i = 0; i < inv.length; i++) if (!(inv[i] > 0) && top[i]) m++;
  const holes = new Int32Array(m);
  for (let i = 0, k = 0; i < inv.length; i++) if (!(inv[i] > 0) && top[i]) holes[k++] = i;
  const values = dilateAt(inv, w, h, kernel, holes);
  for (let k = 0; k < m; k++) inv[holes[k]] = values[k];
  return m;
}

// #region completeDepth
/**
 * Completes a sparse depth image.
 * @param depth [height * width] float32 row-major, metres, 0 = empty (e.g. fovDepthImage(...).depth, NOT normalised)
 * @param width W, pixels
 * @param height H, pixels
 * @param config any subset of {@link DepthCompletionConfig} fields; `enabled: false` returns a copy of the input
 * @param options trace per step
 * @returns dense depth [H * W] float32, metres, and the trace
 * @throws InputError for a size mismatch, or (when enabled) negative / non-finite values or depths >= maxDepthM
 */
export function completeDepth(depth: Float32Array, width: number, height: number, config: DepthCompletionConfigInput = {}, options: CompleteDepthOptions = {}): DepthCompletionResult {
  const cfg = validateDepthCompletionConfig(config);
  const w = width, h = height, n = w * h;
  if (!(Number.isInteger(w) && w > 0 && Number.isInteger(h) && h > 0) || depth.length !== n) {
    throw new InputError('completeDepth: depth', `expected ${height} x ${width} = ${n} values, got length ${depth.length}`);
  }
  const trace: DepthCompletionStep[] | undefined = options.trace || options.keepImages ? [] : undefined;
  let t0 = performance.now();
  const maxD = cfg.maxDepthM;
  const record = (step: string, inv: Float32Array): void => {
    if (!trace) return;
    const t = performance.now();
    const s: DepthCompletionStep = { step, filledPixels: countFilled(inv), ms: t - t0 };
    if (options.keepImages) s.depth = inv.map((v) => (v > 0 ? maxD - v : 0));
    trace.push(s);
    t0 = performance.now();
  };
  if (!cfg.enabled) {
    const out = Float32Array.from(depth);
    if (trace) trace.push({ step: 'disabled', filledPixels: countFilled(out), ms: 0, ...(options.keepImages ? { depth: Float32Array.from(out) } : {}) });
    return { depth: out, trace };
  }
  for (let i = 0; i < n; i++) {
    const d = depth[i];
    if (!(Number.isFinite(d) && d >= 0 && d < cfg.maxDepthM)) {
      throw new InputError('completeDepth: depth', `pixel (row ${Math.floor(i / w)}, col ${i % w}) is ${d}; expected 0 (empty) or a depth in metres below maxDepthM = ${cfg.maxDepthM}`);
    }
  }
  // 1. invert, split into depth bands
  const inv = new Float32Array(n), near = new Float32Array(n), med = new Float32Array(n), far = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = depth[i];
    if (!(d > cfg.validMinM)) continue;
    const v = maxD - d;
    inv[i] = v;
    if (d <= cfg.nearMaxM) near[i] = v;
    else if (d <= cfg.mediumMaxM) med[i] = v;
    else far[i] = v;
  }
  record('input', inv);
  // 2. band dilation, merged far -> medium -> near
  const dn = dilate(near, w, h, cfg.nearKernel), dm = dilate(med, w, h, cfg.mediumKernel), df = dilate(far, w, h, cfg.farKernel);
  let cur: Float32Array = inv;
  for (let i = 0; i < n; i++) {
    if (df[i] > 0) cur[i] = df[i];
    if (dm[i] > 0) cur[i] = dm[i];
    if (dn[i] > 0) cur[i] = dn[i];
  }
  record('bandDilation', cur);
  // 3. small holes
  cur = close(cur, w, h, cfg.closeKernel);
  record('closeSmallHoles', cur);
  // 4. fill empty pixels below each column's top
  let top = topMask(cur, w, h);
  fillHoles(cur, w, h, top, cfg.fillKernel);
  record('fillEmpty', cur);
  // 5. extend each column's top value upward, or mask the region above it
  if (cfg.extendTop) {
    for (let x = 0; x < w; x++) {
      let y = 0;
      while (y < h && !(cur[y * w + x] > 0)) y++;
      if (y < h) for (let yy = 0; yy < y; yy++) cur[yy * w + x] = cur[y * w + x];
    }
  }
  top = topMask(cur, w, h);
  record(cfg.extendTop ? 'extendTop' : 'topMask', cur);
  // 6. large holes
  for (let it = 0; it < cfg.largeFillIterations; it++) {
    if (fillHoles(cur, w, h, top, cfg.largeFillKernel) === 0) break; // no holes left: later rounds change nothing
  }
  record('largeHoleFill', cur);
  // 7. median, 8. blur: non-empty pixels below the top
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = cur[i] > 0 && top[i] ? 1 : 0;
  cur = medianFilter(cur, w, h, cfg.medianSize, mask);
  record('median', cur);
  if (cfg.blur === 'gaussian') {
    const sigma = cfg.gaussianSigmaPx > 0 ? cfg.gaussianSigmaPx : 0.3 * ((cfg.gaussianSize - 1) / 2 - 1) + 0.8;
    cur = weightedBlur(cur, w, h, cfg.gaussianSize, sigma, mask);
  } else if (cfg.blur === 'bilateral') {
    cur = weightedBlur(cur, w, h, cfg.bilateralSize, cfg.bilateralSigmaSpacePx, mask, cfg.bilateralSigmaDepthM);
  }
  record('blur', cur);
  // 9. invert back
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = cur[i] > 0 ? maxD - cur[i] : 0;
  record('output', cur);
  return { depth: out, trace };
}
// #endregion completeDepth
