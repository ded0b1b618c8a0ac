import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { expectImageSize, readCameraImage } from '../../../src/data/kitti/images.js';
import { writePng } from '../../../src/data/formats/png.js';
import { InputError } from '../../../src/core/errors.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const ODO = sharedData('kitti-odometry-sample');

test('expectImageSize names the file, the expected and the actual size', () => {
  expectImageSize({ width: 4, height: 3 }, 4, 3, 'a.png');
  assert.throws(() => expectImageSize({ width: 4, height: 3 }, 1241, 376, 'a.png'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.message, 'a.png: image is 4x3 (WxH), expected 1241x376');
    return true;
  });
});

test('readCameraImage checks the size when asked', () => {
  const file = path.join(tempDir(), '000000.png');
  writePng(file, new Uint8Array(4 * 3 * 3), 4, 3);
  assert.equal(readCameraImage(file, { width: 4, height: 3 }).width, 4);
  assert.throws(() => readCameraImage(file, { width: 3, height: 4 }), /000000.png: image is 4x3 \(WxH\), expected 3x4/);
});

test('real image_3 frame passes the 1241x376 check', { skip: skipUnless(ODO, 'kitti-odometry-sample') }, () => {
  const img = readCameraImage(path.join(ODO!, 'sequences', '00', 'image_3', '000010.png'), { width: 1241, height: 376 });
  assert.equal(img.data.length, 1241 * 376 * 3);
});
