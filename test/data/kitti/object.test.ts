import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { KittiObject } from '../../../src/data/kitti/object.js';
import { writeVelodyneBin } from '../../../src/data/kitti/velodyne.js';
import { writePng } from '../../../src/data/formats/png.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const OBJ = sharedData('kitti-object-sample');
const row = (n: number): string => Array.from({ length: n }, (_, i) => String(i % 4 === 0 ? 1 : 0)).join(' ');
const CALIB = `P0: ${row(12)}\nP1: ${row(12)}\nP2: ${row(12)}\nP3: ${row(12)}\n\nR0_rect: 1 0 0 0 1 0 0 0 1\nTr_velo_to_cam: ${row(12)}\nTr_imu_to_velo: ${row(12)}\n\n`;

test('KittiObject reads a synthetic split; frameIds needs image, scan and calib', () => {
  const root = tempDir('i2p-obj-');
  const dir = path.join(root, 'training');
  for (const i of [0, 1, 2]) {
    writePng(path.join(dir, 'image_2', `00000${i}.png`), new Uint8Array(2 * 2 * 3), 2, 2);
    if (i !== 2) writeVelodyneBin(path.join(dir, 'velodyne', `00000${i}.bin`), Float32Array.from([1, 2, 3, 0.5]));
    fs.mkdirSync(path.join(dir, 'calib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'calib', `00000${i}.txt`), CALIB);
  }
  fs.mkdirSync(path.join(dir, 'label_2'));
  fs.writeFileSync(path.join(dir, 'label_2', '000000.txt'), 'Van 0 1 0.5 1 2 3 4 2 1.8 4.5 1 1.6 20 0.1\n');
  const obj = new KittiObject(root);
  assert.deepEqual(obj.frameIds(), [0, 1]);
  assert.deepEqual(Array.from(obj.calib(1).R0_rect), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.equal(obj.scan(0).count, 1);
  assert.equal(obj.image(2).width, 2);
  assert.equal(obj.labels(0)[0].type, 'Van');
  assert.throws(() => obj.labels(1), /no label file 000001.txt in .*label_2 \(frames present: 0\)/);
  assert.throws(() => obj.scan(2), /no velodyne scan 000002.bin in .*velodyne \(frames present: 0..1\)/);
  assert.throws(() => new KittiObject(root, 'testing'), /testing: not a KITTI object split: folder absent/);
});

test('real object sample: calibs, images of varying size, scans and labels', { skip: skipUnless(OBJ, 'kitti-object-sample') }, () => {
  const obj = new KittiObject(OBJ!);
  assert.deepEqual(obj.frameIds(), [0, 1, 2]);
  const sizes = obj.frameIds().map((i) => {
    const c = obj.calib(i);
    assert.equal(c.R0_rect.length, 9);
    assert.equal(c.Tr_velo_to_cam.length, 12);
    const scan = obj.scan(i);
    assert.ok(scan.count > 100_000 && scan.count < 130_000, `frame ${i}: ${scan.count} points`);
    const img = obj.image(i);
    assert.equal(img.data.length, img.width * img.height * 3);
    return `${img.width}x${img.height}`;
  });
  assert.deepEqual(sizes, ['1224x370', '1242x375', '1242x375']);
  const [ped] = obj.labels(0);
  assert.deepEqual(ped, {
    type: 'Pedestrian', truncated: 0, occluded: 0, alpha: -0.2, bbox: [712.4, 143, 810.73, 307.92],
    dimensions: [1.89, 0.48, 1.2], location: [1.84, 1.47, 8.41], rotationY: 0.01,
  });
  const types = obj.labels(1).map((l) => l.type);
  assert.ok(types.includes('DontCare'));
});
