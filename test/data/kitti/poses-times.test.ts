import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePoses, readPoses, writePoses } from '../../../src/data/kitti/poses.js';
import { parseTimes, readTimes, writeTimes } from '../../../src/data/kitti/times.js';
import { createRng } from '../../../src/core/rng.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const tmp = tempDir();
const ODO = sharedData('kitti-odometry-sample');
const ROW = '1 0 0 0 0 1 0 0 0 0 1 0';

test('writePoses -> readPoses round trip (12-number and 4x4 input)', () => {
  const rng = createRng(7);
  const poses = Array.from({ length: 5 }, () => Float64Array.from({ length: 12 }, () => rng.uniform(-100, 100)));
  const m4 = new Float64Array(16);
  m4.set(poses[0]);
  m4[15] = 1;
  const file = path.join(tmp, 'poses', '07.txt');
  writePoses(file, [...poses, m4]);
  const back = readPoses(file);
  assert.equal(back.length, 6);
  [...poses, poses[0]].forEach((p, f) => p.forEach((x, i) => assert.ok(Math.abs(back[f][i] - x) <= 1e-12 * Math.abs(x), `pose ${f}[${i}]`)));
});

test('pose errors name the file and line', () => {
  assert.throws(() => parsePoses(`${ROW}\n1 0 0 0 0 1 0 0 0 0 1\n`, 'p.txt'), /p.txt: line 2: expected 12 numbers, got 11/);
  assert.throws(() => parsePoses(`${ROW}\n\n${ROW}\n`, 'p.txt'), /p.txt: line 2 is blank/);
  assert.throws(() => parsePoses(`${ROW}\n${ROW.replace('0 0 1', '0 x 1')}`, 'p.txt'), /p.txt: line 2, number 5: 'x' is not a number/);
  assert.throws(() => parsePoses('', 'p.txt'), /p.txt: no poses/);
  assert.throws(() => readPoses(path.join(tmp, 'none.txt')), /none.txt: file not found/);
  assert.equal(parsePoses(`${ROW}\r\n${ROW}\r\n\r\n`, 'p.txt').length, 2);
});

test('writeTimes -> readTimes round trip in KITTI format', () => {
  const times = Float64Array.from([0, 0.1037359, 0.2073381, 1234.5]);
  const file = path.join(tmp, 'times.txt');
  writeTimes(file, times);
  assert.equal(fs.readFileSync(file, 'utf8').split('\n')[1], '1.037359e-01');
  assert.deepEqual(readTimes(file), times);
});

test('time errors name the file and line', () => {
  assert.throws(() => parseTimes('0\n0.1 0.2\n', 't.txt'), /t.txt: line 2: expected 1 numbers, got 2/);
  assert.throws(() => parseTimes('0\nnan\n', 't.txt'), /t.txt: line 2, number 1: 'nan' is not a number/);
  assert.throws(() => parseTimes('0\n\n0.2\n', 't.txt'), /t.txt: line 2 is blank/);
});

test('real poses: 4541 frames, identity first, frames 1..10 about 0.86 m apart', { skip: skipUnless(ODO, 'kitti-odometry-sample') }, () => {
  const poses = readPoses(path.join(ODO!, 'poses', '00.txt'));
  assert.equal(poses.length, 4541);
  [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0].forEach((x, i) => assert.ok(Math.abs(poses[0][i] - x) < 1e-6));
  for (let f = 1; f < 10; f++) {
    const d = Math.hypot(poses[f + 1][3] - poses[f][3], poses[f + 1][7] - poses[f][7], poses[f + 1][11] - poses[f][11]);
    assert.ok(d > 0.8 && d < 0.92, `frame ${f} -> ${f + 1}: ${d} m`);
  }
});

test('real times: 4541 increasing timestamps at about 10 Hz', { skip: skipUnless(ODO, 'kitti-odometry-sample') }, () => {
  const times = readTimes(path.join(ODO!, 'sequences', '00', 'times.txt'));
  assert.equal(times.length, 4541);
  assert.equal(times[1], 0.1037359);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1], `times[${i}]`);
  const meanDt = (times[times.length - 1] - times[0]) / (times.length - 1);
  assert.ok(Math.abs(meanDt - 0.1036) < 0.002, `mean dt ${meanDt}`);
});
