import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseVelodyne, readVelodyneBin, writeVelodyneBin } from '../../../src/data/kitti/velodyne.js';
import { InputError } from '../../../src/core/errors.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const tmp = tempDir();
const ODO = sharedData('kitti-odometry-sample');
const BAD = sharedData('bad-inputs');

test('writeVelodyneBin -> readVelodyneBin round trip', () => {
  const points = new Float32Array([1.5, -2, 0.25, 0.1, 10, 20, -1.75, 0.9, -3, 0.5, 2, 0]);
  const file = path.join(tmp, 'rt', '000000.bin');
  writeVelodyneBin(file, points);
  assert.equal(fs.statSync(file).size, 3 * 16);
  const scan = readVelodyneBin(file);
  assert.equal(scan.count, 3);
  assert.equal(scan.file, file);
  assert.deepEqual(scan.points, points);
  assert.equal(scan.nonFinite, undefined);
});

test('parseVelodyne copes with an unaligned buffer view', () => {
  const points = new Float32Array([1, 2, 3, 0.5]);
  const big = Buffer.alloc(17);
  Buffer.from(points.buffer).copy(big, 1);
  const scan = parseVelodyne(big.subarray(1), 'mem');
  assert.deepEqual(scan.points, points);
});

test('a length that is not a multiple of 16 bytes is rejected, naming the file and length', () => {
  const file = path.join(tmp, 'trunc.bin');
  fs.writeFileSync(file, Buffer.alloc(33));
  assert.throws(() => readVelodyneBin(file), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.where, file);
    assert.match(e.message, /byte length 33 is not a multiple of 16/);
    assert.match(e.message, /16 bytes per point/);
    assert.match(e.message, /2 whole points and 1 stray bytes/);
    return true;
  });
});

test('empty and missing files are rejected', () => {
  const empty = path.join(tmp, 'empty.bin');
  fs.writeFileSync(empty, Buffer.alloc(0));
  assert.throws(() => readVelodyneBin(empty), /empty.bin: empty velodyne scan \(0 bytes/);
  assert.throws(() => readVelodyneBin(path.join(tmp, 'nope.bin')), /nope.bin: file not found \(expected a KITTI velodyne scan/);
});

test('NaN/Inf points throw with count and first index, or are reported on request', () => {
  const pts = new Float32Array(8 * 4).fill(1);
  pts[2 * 4 + 1] = Number.NaN;
  pts[5 * 4 + 3] = Number.POSITIVE_INFINITY;
  const file = path.join(tmp, 'nan.bin');
  fs.writeFileSync(file, new Uint8Array(pts.buffer));
  assert.throws(() => readVelodyneBin(file), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.ok(e.message.startsWith(`${file}: `));
    assert.match(e.message, /2 of 8 points hold NaN or Inf values \(first bad point index 2: \[1, NaN, 1, 1\]\)/);
    return true;
  });
  const scan = readVelodyneBin(file, { nonFinite: 'report' });
  assert.equal(scan.count, 8);
  assert.equal(scan.points.length, 32);
  assert.deepEqual(scan.nonFinite, { count: 2, indices: Int32Array.from([2, 5]) });
});

test('writeVelodyneBin refuses non-finite values and ragged arrays', () => {
  assert.throws(() => writeVelodyneBin(path.join(tmp, 'x.bin'), new Float32Array([1, 2, 3])), /N x 4 values, got length 3/);
  assert.throws(() => writeVelodyneBin(path.join(tmp, 'x.bin'), new Float32Array([0, 0, 0, 0, 1, Number.NaN, 0, 0])), /point 1 holds NaN/);
});

test('real odometry scans: 10 frames of 121k-125k finite points', { skip: skipUnless(ODO, 'kitti-odometry-sample') }, () => {
  for (let i = 1; i <= 10; i++) {
    const scan = readVelodyneBin(path.join(ODO!, 'sequences', '00', 'velodyne', `${String(i).padStart(6, '0')}.bin`));
    assert.ok(scan.count >= 121_000 && scan.count <= 125_000, `frame ${i}: ${scan.count} points`);
    let maxAbs = 0;
    for (let k = 0; k < scan.points.length; k++) maxAbs = Math.max(maxAbs, Math.abs(scan.points[k]));
    assert.ok(maxAbs < 200, `frame ${i}: coordinates within 200 m (got ${maxAbs})`);
  }
});

test('the real truncated scan is rejected with its name and byte length', { skip: skipUnless(BAD, 'bad-inputs') }, () => {
  const file = path.join(BAD!, 'kitti-00-000000-truncated.bin');
  assert.throws(() => readVelodyneBin(file), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.ok(e.message.includes('kitti-00-000000-truncated.bin'));
    assert.match(e.message, /byte length 1319228 is not a multiple of 16/);
    assert.match(e.message, /16 bytes per point/);
    return true;
  });
});
