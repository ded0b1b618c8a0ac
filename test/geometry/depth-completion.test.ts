import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { completeDepth } from '../../src/geometry/depth-completion.js';
import { DEFAULT_DEPTH_COMPLETION_CONFIG, validateDepthCompletionConfig } from '../../src/geometry/depth-completion-config.js';
import { ConfigError } from '../../src/core/errors.js';

const W = 160, H = 48;
const planeDepth = (row: number): number => 8 + 0.25 * row; // a plane tilted away from the camera, metres

/** Sparse samples of the plane: every 3rd row (like scan rings), 60 % of the columns. */
function sparsePlane(seed: number): Float32Array {
  const rng = createRng(seed);
  const d = new Float32Array(W * H);
  for (let y = 2; y < H; y += 3) for (let x = 0; x < W; x++) if (rng.next() < 0.6) d[y * W + x] = planeDepth(y);
  return d;
}

describe('completeDepth (IP-Basic style)', () => {
  it('leaves no hole in a sparse plane (extendTop) and stays close to the true depth', () => {
    const { depth } = completeDepth(sparsePlane(1), W, H, { extendTop: true });
    let maxErr = 0, sumErr = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const v = depth[y * W + x];
        assert.ok(v > 0, `hole at (row ${y}, col ${x})`);
        const e = Math.abs(v - planeDepth(Math.max(y, 2)));
        maxErr = Math.max(maxErr, e); sumErr += e;
      }
    }
    // nearest-wins dilation biases towards nearer rows: at most a few rows x 0.25 m
    assert.ok(maxErr < 1.0, `max error ${maxErr} m`);
    assert.ok(sumErr / (W * H) < 0.4, `mean error ${sumErr / (W * H)} m`);
  });
  it('without extendTop fills everything below each column top and nothing above it', () => {
    const d = sparsePlane(2);
    d.fill(0, 0, 11 * W); // first samples on row 11; band dilation (cross 7) reaches row 8
    const { depth } = completeDepth(d, W, H);
    for (let x = 0; x < W; x++) {
      for (let y = 0; y < 8; y++) assert.equal(depth[y * W + x], 0, `(row ${y}, col ${x}) is above the column top`);
      for (let y = 11; y < H; y++) assert.ok(depth[y * W + x] > 0, `hole at (row ${y}, col ${x})`);
    }
  });
  it('keeps a near object in front of a far background (nearest wins)', () => {
    const d = new Float32Array(W * H);
    for (let y = 1; y < H; y += 2) for (let x = 0; x < W; x += 2) d[y * W + x] = 60;
    for (let y = 15; y < 35; y += 2) for (let x = 60; x < 100; x += 2) d[y * W + x] = 5;
    const { depth } = completeDepth(d, W, H);
    assert.ok(Math.abs(depth[25 * W + 80] - 5) < 1e-3, `object centre ${depth[25 * W + 80]}`);
    assert.ok(Math.abs(depth[5 * W + 20] - 60) < 1e-3, `background ${depth[5 * W + 20]}`);
  });
  it('enabled: false returns the input unchanged (a copy)', () => {
    const d = sparsePlane(3);
    const r = completeDepth(d, W, H, { enabled: false }, { trace: true });
    assert.deepEqual(r.depth, d);
    assert.notEqual(r.depth, d);
    assert.deepEqual(r.trace?.map((s) => s.step), ['disabled']);
    d[5] = 500; // beyond maxDepthM: only checked when enabled
    assert.deepEqual(completeDepth(d, W, H, { enabled: false }).depth, d);
  });
  it('traces filled pixels per step (and images on request)', () => {
    const d = sparsePlane(4);
    const { depth, trace } = completeDepth(d, W, H, {}, { keepImages: true });
    assert.ok(trace);
    assert.deepEqual(trace.map((s) => s.step), ['input', 'bandDilation', 'closeSmallHoles', 'fillEmpty', 'topMask', 'largeHoleFill', 'median', 'blur', 'output']);
    assert.equal(trace[0].filledPixels, d.filter((v) => v > 0).length);
    assert.ok(trace[1].filledPixels > trace[0].filledPixels);
    for (let i = 2; i < trace.length; i++) assert.ok(trace[i].filledPixels >= trace[i - 1].filledPixels - 0, `step ${trace[i].step}`);
    assert.equal(trace[trace.length - 1].filledPixels, depth.filter((v) => v > 0).length);
    assert.deepEqual(trace[0].depth?.map((v) => Math.round(v * 1e4)), d.map((v) => Math.round(v * 1e4)));
  });
  it('rejects bad input naming the pixel', () => {
    const d = new Float32Array(W * H);
    d[3 * W + 7] = 150;
    assert.throws(() => completeDepth(d, W, H), /pixel \(row 3, col 7\) is 150.*below maxDepthM = 100/);
    d[3 * W + 7] = NaN;
    assert.throws(() => completeDepth(d, W, H), /is NaN/);
    assert.throws(() => completeDepth(new Float32Array(10), 3, 3), /expected 3 x 3 = 9 values, got length 10/);
  });
});

describe('validateDepthCompletionConfig', () => {
  it('returns the documented defaults and merges partial kernels', () => {
    assert.deepEqual(validateDepthCompletionConfig(), DEFAULT_DEPTH_COMPLETION_CONFIG);
    const c = validateDepthCompletionConfig({ nearKernel: { size: 9 }, blur: 'gaussian' });
    assert.deepEqual(c.nearKernel, { shape: 'cross', size: 9 });
    assert.equal(c.blur, 'gaussian');
    assert.ok(Object.isFrozen(c));
  });
  it('throws ConfigError naming the field', () => {
    const bad: Array<[object, RegExp]> = [
      [{ nearKernel: { size: 4 } }, /depthCompletion.nearKernel.size': expected an odd integer in \[1, 63\], got 4/],
      [{ farKernel: { shape: 'star' } }, /farKernel.shape': expected one of full, cross, diamond/],
      [{ closeKernel: { shape: 'full', size: 3, pad: 1 } }, /closeKernel.pad': unknown field/],
      [{ maxDepht: 80 }, /depthCompletion.maxDepht': unknown field/],
      [{ nearMaxM: 40 }, /mediumMaxM': expected a finite number >= 40/],
      [{ blur: 'box' }, /blur': expected 'bilateral', 'gaussian' or 'none'/],
      [{ largeFillIterations: -1 }, /largeFillIterations/],
      [{ enabled: 'yes' }, /enabled': expected true or false/],
      [{ bilateralSigmaDepthM: 0 }, /bilateralSigmaDepthM': expected a finite number > 0/],
    ];
    for (const [cfg, re] of bad) {
      assert.throws(() => validateDepthCompletionConfig(cfg as never), (e: unknown) => e instanceof ConfigError && re.test(e.message), JSON.stringify(cfg));
    }
  });
});
