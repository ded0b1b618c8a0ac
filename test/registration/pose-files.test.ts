import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPoseLines, readPoseLines } from '../../src/registration/pose-files.js';

describe('pose files (KITTI layout)', () => {
  it('round trip: float32 poses read back exactly (Math.fround), 12 numbers a line', () => {
    const T = Float32Array.from([0.1, -0.9949874, 0, 3.25, 0, 1, 0, 0, 0.9949874, 0.1, 0, -7.125, 0, 0, 0, 1]);
    const U = Float32Array.from({ length: 16 }, (_, i) => (i >= 12 ? [0, 0, 0, 1][i - 12] : Math.fround(1 / (i + 3))));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i2p-poses-')), file = path.join(dir, 'poses.txt');
    const text = formatPoseLines([T, U]);
    assert.equal(text.split('\n').length, 3);
    assert.equal(text.split('\n')[0].split(' ').length, 12);
    fs.writeFileSync(file, text);
    const back = readPoseLines(file);
    for (const [k, P] of [T, U].entries()) assert.deepEqual(Array.from(back[k], (x) => Math.fround(x)), Array.from(P));
    fs.writeFileSync(file, `${text}1 2 3\n`);
    assert.throws(() => readPoseLines(file), (e: Error) => e.message.includes(`${file}: line 3: expected 12 finite numbers`));
    assert.throws(() => formatPoseLines([new Float32Array(12)]), /pose 0 has 12 numbers, expected 16/);
    fs.rmSync(dir, { recursive: true });
  });
});
