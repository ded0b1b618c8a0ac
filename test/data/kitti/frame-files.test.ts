import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { formatIdRanges, listFrameIds, padId, requireFrameFile } from '../../../src/data/kitti/frame-files.js';
import { tempDir } from '../shared-data.js';

test('padId pads frames to 6 and sequences to 2 digits', () => {
  assert.equal(padId(42), '000042');
  assert.equal(padId(3, 2), '03');
  assert.equal(padId(123, 2), '123');
  assert.throws(() => padId(-1), /non-negative integer, got -1/);
  assert.throws(() => padId(1.5), /got 1.5/);
});

test('formatIdRanges summarises runs', () => {
  assert.equal(formatIdRanges([]), 'none');
  assert.equal(formatIdRanges([4]), '4');
  assert.equal(formatIdRanges([1, 2, 3, 5, 7, 8]), '1..3, 5, 7..8');
});

test('listFrameIds sorts numerically and ignores other files; requireFrameFile explains misses', () => {
  const dir = path.join(tempDir(), 'velodyne');
  fs.mkdirSync(dir);
  for (const name of ['000010.bin', '000002.bin', '000003.bin', 'notes.txt', '000004.png']) fs.writeFileSync(path.join(dir, name), '');
  assert.deepEqual(listFrameIds(dir, '.bin'), [2, 3, 10]);
  assert.deepEqual(listFrameIds(path.join(dir, 'absent'), '.bin'), []);
  assert.equal(requireFrameFile(dir, 10, '.bin', 'velodyne scan'), path.join(dir, '000010.bin'));
  assert.throws(() => requireFrameFile(dir, 0, '.bin', 'velodyne scan'),
    { message: `${path.join(dir, '000000.bin')}: no velodyne scan 000000.bin in ${dir} (frames present: 2..3, 10)` });
  assert.throws(() => requireFrameFile(path.join(dir, 'x'), 0, '.bin', 'velodyne scan'), /folder .*x does not exist/);
});
