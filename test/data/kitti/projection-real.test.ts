// The real samples through the whole chain: reader -> calib -> camera -> projection.
// The oracle is the plain 3x4 product P * [Tr; 0 0 0 1] * X written out in the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KittiOdometry, KittiObject, readPng } from '../../../src/index.js';
import { compose, mat4From3x4, decomposeProjection, cameraFromProjection, projectPoints, mat4FromR0 } from '../../../src/index.js';
import { sharedData, skipUnless } from '../shared-data.js';

const odo = sharedData('kitti-odometry-sample');
const obj = sharedData('kitti-object-sample');

/** Share of points with z > 0 whose pixel (u, v) = (p0 / p2, p1 / p2) lies in [-0.5, W - 0.5) x [-0.5, H - 0.5). */
function shareByHand(points: Float32Array, M: Float64Array /* 3x4 row-major P * T */, W: number, H: number) {
  let inside = 0;
  const n = points.length / 4;
  for (let i = 0; i < n; i++) {
    const x = points[4 * i], y = points[4 * i + 1], z = points[4 * i + 2];
    const p0 = M[0] * x + M[1] * y + M[2] * z + M[3];
    const p1 = M[4] * x + M[5] * y + M[6] * z + M[7];
    const p2 = M[8] * x + M[9] * y + M[10] * z + M[11];
    if (!(p2 > 0)) continue;
    const u = p0 / p2, v = p1 / p2;
    if (u >= -0.5 && u < W - 0.5 && v >= -0.5 && v < H - 0.5) inside++;
  }
  return { inside, n };
}

/** 3x4 times 4x4, both row-major. */
function mul34x44(P: ArrayLike<number>, T: ArrayLike<number>): Float64Array {
  const out = new Float64Array(12);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += P[r * 4 + k] * T[k * 4 + c];
    out[r * 4 + c] = s;
  }
  return out;
}

test('odometry frames 1-10 projected with P3 * Tr keep 15-17 % of the points in the 1241 x 376 image', { skip: skipUnless(odo, 'kitti-odometry-sample') }, () => {
  const seq = new KittiOdometry(odo!).sequence('00');
  const { P3, Tr } = seq.calib;
  const M = mul34x44(P3, mat4From3x4(Tr));
  const cam = cameraFromProjection(P3, 1241, 376);
  const camFromLidar = compose(decomposeProjection(P3).camFromRect, mat4From3x4(Tr));
  for (const frame of seq.frameIds('velodyne')) {
    const { points } = seq.scan(frame);
    const hand = shareByHand(points, M, 1241, 376);
    const share = hand.inside / hand.n;
    assert.ok(share >= 0.15 && share <= 0.17, `frame ${frame}: ${(100 * share).toFixed(2)} % in image`);
    const lib = projectPoints(points, 4, camFromLidar, cam);
    let libInside = 0;
    for (let i = 0; i < lib.inImage.length; i++) libInside += lib.inImage[i];
    // K [I | t] Tr is the same product as P3 Tr up to rounding: allow points exactly on the border to differ
    assert.ok(Math.abs(libInside - hand.inside) <= 2, `frame ${frame}: library ${libInside} vs hand ${hand.inside}`);
  }
});

test('object frames projected with P2 * R0_rect * Tr_velo_to_cam land inside their own image sizes', { skip: skipUnless(obj, 'kitti-object-sample') }, () => {
  const ds = new KittiObject(obj!);
  const ids = ds.frameIds();
  assert.equal(ids.length, 3);
  for (const id of ids) {
    const calib = ds.calib(id);
    const img = ds.image(id);
    const { points } = ds.scan(id);
    const T = compose(mat4FromR0(calib.R0_rect), mat4From3x4(calib.Tr_velo_to_cam));
    const M = mul34x44(calib.P2, T);
    const hand = shareByHand(points, M, img.width, img.height);
    const share = hand.inside / hand.n;
    // a forward camera with a ~90 degree horizontal field of view sees a sixth to a fifth of a 360 degree scan
    assert.ok(share > 0.1 && share < 0.25, `frame ${id}: ${(100 * share).toFixed(2)} % in ${img.width} x ${img.height}`);
    // the image is exactly the size the reader reports, decoded independently
    const again = readPng(`${obj}/training/image_2/${String(id).padStart(6, '0')}.png`);
    assert.deepEqual([again.width, again.height], [img.width, img.height]);
    const lib = projectPoints(points, 4, compose(decomposeProjection(calib.P2).camFromRect, T), cameraFromProjection(calib.P2, img.width, img.height));
    let libInside = 0;
    for (let i = 0; i < lib.inImage.length; i++) libInside += lib.inImage[i];
    assert.ok(Math.abs(libInside - hand.inside) <= 2, `frame ${id}: library ${libInside} vs hand ${hand.inside}`);
  }
});
