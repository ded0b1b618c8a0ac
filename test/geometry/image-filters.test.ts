import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { close, dilate, dilateAt, erode, medianFilter, weightedBlur, type KernelShape } from '../../src/geometry/image-filters.js';
import { assertClose } from '../helpers/geometry.js';

/** A w x h image, zero except the given (x, y, value) pixels. */
function img(w: number, h: number, px: Array<[number, number, number]> = []): Float32Array {
  const a = new Float32Array(w * h);
  for (const [x, y, v] of px) a[y * w + x] = v;
  return a;
}
const count = (a: Float32Array): number => a.filter((v) => v > 0).length;

describe('morphology', () => {
  it('dilates one pixel into the kernel shape: full 3 = 9, cross 5 = 9, diamond 5 = 13 pixels', () => {
    const one = img(9, 9, [[4, 4, 2]]);
    assert.equal(count(dilate(one, 9, 9, { shape: 'full', size: 3 })), 3 * 3);
    assert.equal(count(dilate(one, 9, 9, { shape: 'cross', size: 5 })), 5 + 5 - 1);
    assert.equal(count(dilate(one, 9, 9, { shape: 'diamond', size: 5 })), 1 + 3 + 5 + 3 + 1);
    const c = dilate(one, 9, 9, { shape: 'cross', size: 3 });
    assertClose([c[4 * 9 + 3], c[3 * 9 + 4], c[3 * 9 + 3]], [2, 2, 0], 0); // left and up yes, diagonal no
    assert.deepEqual(dilate(one, 9, 9, { shape: 'full', size: 1 }), one);
  });
  it('takes the max under the kernel and ignores the border', () => {
    const a = img(3, 1, [[0, 0, 1], [2, 0, 5]]);
    assertClose(dilate(a, 3, 1, { shape: 'full', size: 3 }), [1, 5, 5], 0);
    assertClose(erode(img(3, 1, [[0, 0, 1], [1, 0, 2], [2, 0, 5]]), 3, 1, { shape: 'full', size: 3 }), [1, 1, 2], 0);
  });
  it('dilateAt equals the whole-image dilation at the listed pixels, for every shape', () => {
    const rng = createRng(3);
    const w = 23, h = 17;
    const a = Float32Array.from({ length: w * h }, () => (rng.next() < 0.3 ? rng.uniform(1, 9) : 0));
    const idx = Int32Array.from({ length: w * h }, (_, i) => i);
    for (const shape of ['full', 'cross', 'diamond'] as KernelShape[]) {
      for (const size of [1, 3, 5, 9]) assert.deepEqual(dilateAt(a, w, h, { shape, size }, idx), dilate(a, w, h, { shape, size }), `${shape} ${size}`);
    }
  });
  it('closing fills a one-pixel hole and keeps the valid pixels', () => {
    const a = new Float32Array(25).fill(3);
    a[12] = 0;
    assertClose(close(a, 5, 5, { shape: 'full', size: 3 }), new Float32Array(25).fill(3), 0);
  });
});

describe('median and weighted blurs over non-empty taps', () => {
  it('median ignores empty taps and takes the lower median', () => {
    // 3x1 window at the centre pixel sees 1, 0 (empty), 7 -> valid {1, 7}, lower median 1
    const a = img(3, 1, [[0, 0, 1], [2, 0, 7]]);
    a[1] = 4;
    assertClose(medianFilter(a, 3, 1, 3, new Uint8Array([0, 1, 0])), [1, 4, 7], 0); // {1, 4, 7} -> 4
    const b = img(3, 1, [[0, 0, 1], [1, 0, 9], [2, 0, 7]]);
    assertClose(medianFilter(b, 3, 1, 3, new Uint8Array([1, 1, 1])), [1, 7, 7], 0); // {1, 9} -> 1; {1, 9, 7} -> 7; {9, 7} -> 7
  });
  it('gaussian keeps a constant image and ignores holes', () => {
    const a = new Float32Array(36).fill(2);
    a[14] = 0;
    const mask = new Uint8Array(36).fill(1);
    mask[14] = 0;
    const out = weightedBlur(a, 6, 6, 5, 1.1, mask);
    assertClose(out, a, 1e-6);
  });
  it('bilateral keeps a depth edge that gaussian smears', () => {
    const a = new Float32Array(20);
    for (let i = 0; i < 20; i++) a[i] = i % 10 < 5 ? 10 : 40;
    const mask = new Uint8Array(20).fill(1);
    const bil = weightedBlur(a, 10, 2, 5, 2, mask, 0.5);
    assertClose(bil, a, 1e-5);
    const gau = weightedBlur(a, 10, 2, 5, 2, mask);
    assert.ok(gau[4] > 15, `gaussian mixes across the edge: ${gau[4]}`);
  });
  it('checks the image size', () => {
    assert.throws(() => dilate(new Float32Array(5), 2, 2, { shape: 'full', size: 3 }), /expected an image of 2 x 2 = 4 values, got length 5/);
  });
});
