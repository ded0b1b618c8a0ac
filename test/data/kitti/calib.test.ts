import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  mat4FromKitti12, mat4FromR0, parseObjectCalib, readObjectCalib, readOdometryCalib, writeOdometryCalib,
} from '../../../src/data/kitti/calib.js';
import type { OdometryCalib } from '../../../src/data/kitti/calib.js';
import { InputError } from '../../../src/core/errors.js';
import { sharedData, skipUnless, tempDir } from '../shared-data.js';

const tmp = tempDir();
const ODO = sharedData('kitti-odometry-sample');
const OBJ = sharedData('kitti-object-sample');
const seq = (k: number): Float64Array => Float64Array.from({ length: 12 }, (_, i) => (i - 5.5) * 10 ** (k - 2) + k / 3);
const line = (key: string, n: number): string => `${key}: ${Array.from({ length: n }, (_, i) => (i + 1).toFixed(1)).join(' ')}`;

function writeText(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

/** R R^T = I for the 3x3 rotation held in the first 3 columns of a row-major 3x4 (or 3x3). */
function assertOrthonormal(m: Float64Array, stride: number, tol = 1e-4): void {
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let dot = 0;
      for (let c = 0; c < 3; c++) dot += m[a * stride + c] * m[b * stride + c];
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < tol, `row ${a} . row ${b} = ${dot}`);
    }
  }
}

test('writeOdometryCalib -> readOdometryCalib round trip', () => {
  const calib: OdometryCalib = { P0: seq(0), P1: seq(1), P2: seq(2), P3: seq(3), Tr: seq(4) };
  const file = path.join(tmp, 'rt', 'calib.txt');
  writeOdometryCalib(file, calib);
  assert.match(fs.readFileSync(file, 'utf8'), /^P0: -5\.500000000000e-02 /);
  const back = readOdometryCalib(file);
  for (const k of ['P0', 'P1', 'P2', 'P3', 'Tr'] as const) {
    back[k].forEach((x, i) => assert.ok(Math.abs(x - calib[k][i]) <= 1e-12 * Math.abs(calib[k][i]), `${k}[${i}]`));
  }
});

test('a missing key names the file and the key', () => {
  const file = writeText('no-tr.txt', ['P0', 'P1', 'P2', 'P3'].map((k) => line(k, 12)).join('\n') + '\n');
  assert.throws(() => readOdometryCalib(file), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.where, file);
    assert.match(e.message, /missing key 'Tr' \(expected a line 'Tr: <12 numbers>'; keys present: P0, P1, P2, P3\)/);
    return true;
  });
});

test('a wrong count names the file, key, expected and got counts', () => {
  const file = writeText('short-p2.txt', [line('P0', 12), line('P1', 12), line('P2', 11), line('P3', 12), line('Tr', 12)].join('\n'));
  assert.throws(() => readOdometryCalib(file), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.message, `${file}: key 'P2' (line 3): expected 12 numbers, got 11`);
    return true;
  });
});

test('a non-numeric token is named; so are repeated keys and missing files', () => {
  const bad = writeText('nan.txt', [line('P0', 12), line('P1', 12), line('P2', 12), line('P3', 12), line('Tr', 11) + ' abc'].join('\n'));
  assert.throws(() => readOdometryCalib(bad), /nan.txt: key 'Tr' \(line 5\), number 12: 'abc' is not a number/);
  const twice = writeText('twice.txt', [line('P0', 12), line('P0', 12)].join('\n'));
  assert.throws(() => readOdometryCalib(twice), /twice.txt: key 'P0' appears twice \(lines 1 and 2\)/);
  assert.throws(() => readOdometryCalib(path.join(tmp, 'absent.txt')), /absent.txt: file not found \(expected a KITTI odometry calib.txt\)/);
});

test('object calib: blank lines, tracking spellings, and a missing R0_rect', () => {
  const keys = [line('P0', 12), line('P1', 12), line('P2', 12), line('P3', 12)];
  const ok = parseObjectCalib([...keys, '', line('R0_rect', 9), line('Tr_velo_to_cam', 12), '', line('Tr_imu_to_velo', 12), '', ''].join('\n'), 'obj.txt');
  assert.equal(ok.R0_rect.length, 9);
  assert.equal(ok.Tr_imu_to_velo[11], 12);
  const tracking = parseObjectCalib([...keys, 'R_rect 1 0 0 0 1 0 0 0 1', line('Tr_velo_cam', 12).replace(':', ''), line('Tr_imu_velo', 12).replace(':', '')].join('\r\n'), 'trk.txt');
  assert.deepEqual(Array.from(tracking.R0_rect), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.throws(() => parseObjectCalib([...keys, line('Tr_velo_to_cam', 12), line('Tr_imu_to_velo', 12)].join('\n'), 'obj.txt'),
    /obj.txt: missing key 'R0_rect' \(expected a line 'R0_rect: <9 numbers>'/);
});

test('mat4FromKitti12 appends 0 0 0 1; mat4FromR0 embeds a rotation', () => {
  const m = mat4FromKitti12([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(Array.from(m), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 1]);
  const r = mat4FromR0([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(r), [1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 1]);
  assert.throws(() => mat4FromKitti12([1, 2]), /expected 12 numbers, got 2/);
});

test('real odometry calib: P3 focal length, stereo baselines, Tr a rigid transform', { skip: skipUnless(ODO, 'kitti-odometry-sample') }, () => {
  const c = readOdometryCalib(path.join(ODO!, 'sequences', '00', 'calib.txt'));
  assert.equal(c.P3[0], 718.856);
  assert.equal(c.P3[5], 718.856);
  assert.equal(c.P3[2], 607.1928);
  // t_x / f_x: camera 1 (gray right) sits 0.537 m right of camera 0; camera 3 (colour right) 0.469 m.
  assert.ok(Math.abs(c.P1[3] / c.P1[0] - -386.1448 / 718.856) < 1e-12);
  assert.ok(Math.abs(c.P3[3] / c.P3[0] - -337.2877 / 718.856) < 1e-12);
  assert.ok(Math.abs(c.P3[3] / c.P3[0] + 0.4692) < 1e-3);
  assertOrthonormal(c.Tr, 4);
  const t = Math.hypot(c.Tr[3], c.Tr[7], c.Tr[11]);
  assert.ok(t > 0.1 && t < 0.5, `|t| of Tr = ${t} m`);
});

test('real object calibs hold R0_rect and Tr_velo_to_cam', { skip: skipUnless(OBJ, 'kitti-object-sample') }, () => {
  for (const id of ['000000', '000001', '000002']) {
    const c = readObjectCalib(path.join(OBJ!, 'training', 'calib', `${id}.txt`));
    assert.equal(c.R0_rect.length, 9);
    assertOrthonormal(c.R0_rect, 3);
    assertOrthonormal(c.Tr_velo_to_cam, 4);
    assert.ok(c.P2[0] > 700 && c.P2[0] < 730, `P2 fx = ${c.P2[0]}`);
  }
});
