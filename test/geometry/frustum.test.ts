import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import type { PinholeCamera } from '../../src/geometry/camera.js';
import { frustumIndices, frustumMask } from '../../src/geometry/frustum.js';
import { projectPoints } from '../../src/geometry/projection.js';
import { fromRt, identity4 } from '../../src/geometry/se3.js';
import { assertClose, randomCloud, randomRigid } from '../helpers/geometry.js';

const cam: PinholeCamera = { fx: 100, fy: 100, cx: 63.5, cy: 31.5, width: 128, height: 64 };

describe('frustumMask', () => {
  it('keeps points in front and inside the image, by hand', () => {
    // (0, 0, 5): centre; (0, 0, -5): behind; (10, 0, 5): u = 100 * 10 / 5 + 63.5 = 263.5 > 127.5; (0, 1, 5): v = 20 + 31.5
    const pts = [0, 0, 5, 0, 0, -5, 10, 0, 5, 0, 1, 5];
    assertClose(frustumMask(pts, 3, identity4(), cam), [1, 0, 0, 1], 0);
    assertClose(frustumIndices(pts, 3, identity4(), cam), [0, 3], 0);
  });
  it('equals projectPoints(...).inImage for random clouds and poses, any stride', () => {
    const rng = createRng(101);
    for (let k = 0; k < 5; k++) {
      const T = randomRigid(rng, 2);
      const pts = randomCloud(rng, 2000, 4, -20, 20);
      assert.deepEqual(frustumMask(pts, 4, T, cam), projectPoints(pts, 4, T, cam).inImage);
      assert.deepEqual(frustumMask(pts, 4, T, cam, 3), projectPoints(pts, 4, T, cam, 3).inImage);
    }
  });
  it('is empty for a camera looking away', () => {
    const back = fromRt([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, -100]); // everything moved 100 m behind
    const pts = randomCloud(createRng(102), 100, 3, -20, 20);
    assert.equal(frustumIndices(pts, 3, back, cam).length, 0);
  });
  it('checks its inputs', () => {
    assert.throws(() => frustumMask(new Float32Array(4), 3, identity4(), cam), /frustumMask: points: expected a flat array of N x 3 values/);
    assert.throws(() => frustumMask([0, 0, 1], 3, identity4(), { ...cam, height: 0 }), /camera.height/);
  });
});
