import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { KittiOdometry } from '../../../src/data/kitti/odometry.js';
import { writeOdometryCalib } from '../../../src/data/kitti/calib.js';
import { writePoses } from '../../../src/data/kitti/poses.js';
import { writeTimes } from '../../../src/data/kitti/times.js';
import { writeVelodyneBin } from '../../../src/data/kitti/velodyne.js';
import { writePng } from '../../../src/data/formats/png.js';
import { InputError } from '../../../src/core/errors.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const ODO = sharedData('kitti-odometry-sample');
const P = Float64Array.from([500, 0, 320, 0, 0, 500, 120, 0, 0, 0, 1, 0]);
const I34 = Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);

/** A tiny odometry tree: sequence 03 (frames 0-2 and 5, image_2 0-1, poses) and 11 (no poses). */
function makeTree(): string {
  const root = tempDir('i2p-odo-');
  const s3 = path.join(root, 'sequences', '03');
  writeOdometryCalib(path.join(s3, 'calib.txt'), { P0: P, P1: P, P2: P, P3: P, Tr: I34 });
  writeTimes(path.join(s3, 'times.txt'), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  for (const i of [0, 1, 2, 5]) writeVelodyneBin(path.join(s3, 'velodyne', `00000${i}.bin`), Float32Array.from([i, 0, 0, 0.5]));
  for (const i of [0, 1]) writePng(path.join(s3, 'image_2', `00000${i}.png`), new Uint8Array(4 * 3 * 3).fill(i * 100), 4, 3);
  writePoses(path.join(root, 'poses', '03.txt'), Array.from({ length: 6 }, () => I34));
  fs.mkdirSync(path.join(root, 'sequences', '11'));
  fs.mkdirSync(path.join(root, 'sequences', 'notes'));
  return root;
}

test('KittiOdometry lists sequences and opens them by number or padded id', () => {
  const root = makeTree();
  const odo = new KittiOdometry(root);
  assert.deepEqual(odo.sequences(), ['03', '11']);
  const s = odo.sequence(3);
  assert.equal(s.id, '03');
  assert.equal(odo.sequence('03').dir, path.join(root, 'sequences', '03'));
  assert.deepEqual(Array.from(s.calib.P2), Array.from(P));
  assert.equal(s.times.length, 6);
  assert.equal(s.poses?.length, 6);
  assert.equal(odo.sequence(11).poses, undefined);
  assert.throws(() => odo.sequence(11).times, /sequences\/11\/times.txt: file not found/);
  assert.throws(() => odo.sequence(4), { message: `${path.join(root, 'sequences', '04')}: no sequence folder 04 in ${path.join(root, 'sequences')} (sequences present: 03, 11)` });
  assert.throws(() => odo.sequence('x3'), /sequence id: expected a non-negative integer or digits/);
  assert.throws(() => new KittiOdometry(path.join(root, 'sequences')), InputError);
});

test('KittiSequence frame ids, paths, scans and images; misses list the frames present', () => {
  const s = new KittiOdometry(makeTree()).sequence(3);
  assert.deepEqual(s.frameIds('velodyne'), [0, 1, 2, 5]);
  assert.deepEqual(s.frameIds('image_2'), [0, 1]);
  assert.deepEqual(s.frameIds('image_3'), []);
  assert.equal(path.basename(s.scanPath(5)), '000005.bin');
  assert.equal(s.imagePath(1, 2), path.join(s.dir, 'image_2', '000001.png'));
  assert.deepEqual(Array.from(s.scan(5).points), [5, 0, 0, 0.5]);
  const img = s.image(1, 2);
  assert.deepEqual([img.width, img.height, img.data[0]], [4, 3, 100]);
  const vdir = path.join(s.dir, 'velodyne');
  assert.throws(() => s.scan(3), { message: `${path.join(vdir, '000003.bin')}: no velodyne scan 000003.bin in ${vdir} (frames present: 0..2, 5)` });
  assert.throws(() => s.image(0, 3), /no image_3 image 000000.png: folder .*image_3 does not exist/);
  assert.throws(() => s.imagePath(0, 1 as 2), /camera: expected 2 \(left colour\) or 3 \(right colour\), got 1/);
});

test('real sample: sequence 00 frames, poses, times, calib and image_3', { skip: skipUnless(ODO, 'kitti-odometry-sample') }, () => {
  const odo = new KittiOdometry(ODO!);
  assert.deepEqual(odo.sequences(), ['00']);
  const s = odo.sequence(0);
  assert.deepEqual(s.frameIds('velodyne'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(s.frameIds('image_3'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(s.frameIds('image_2'), []);
  assert.equal(s.poses?.length, 4541);
  assert.equal(s.times.length, 4541);
  assert.equal(s.calib.P3[0], 718.856);
  assert.throws(() => s.scan(0), /no velodyne scan 000000.bin in .*sequences\/00\/velodyne \(frames present: 1..10\)/);
  const scan = s.scan(1);
  assert.ok(scan.count > 121_000 && scan.count < 125_000);
  for (const i of s.frameIds('image_3')) {
    const img = s.image(i, 3);
    assert.deepEqual([img.width, img.height, img.data.length], [1241, 376, 1241 * 376 * 3], `frame ${i}`);
  }
});
