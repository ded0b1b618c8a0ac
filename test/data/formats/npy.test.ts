import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../../../src/data/formats/npy.js';
import type { NpyData } from '../../../src/data/formats/npy.js';
import { tempDir } from '../shared-data.js';

const tmp = tempDir();
const headerOf = (bytes: Uint8Array): string => Buffer.from(bytes.subarray(10, 10 + (bytes[8] | (bytes[9] << 8)))).toString('latin1');

const numpy = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
const NUMPY_SKIP = numpy.status === 0 ? false : 'python3 with numpy absent: cannot cross-check .npy files against numpy.load';

test('encodeNpy writes a v1.0 header padded to 64 bytes, ending in a newline', () => {
  for (const shape of [[2, 3], [5], [], [1, 1, 1, 1]]) {
    const size = shape.reduce((a, d) => a * d, 1);
    const bytes = encodeNpy(new Float32Array(size), shape);
    assert.deepEqual(Array.from(bytes.subarray(0, 8)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const header = headerOf(bytes);
    assert.equal((10 + header.length) % 64, 0, `shape [${shape}]`);
    assert.ok(header.endsWith('\n'));
    assert.equal(bytes.length, 10 + header.length + size * 4);
  }
  assert.match(headerOf(encodeNpy(new Float32Array(6), [2, 3])), /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
  assert.match(headerOf(encodeNpy(new Uint8Array(5), [5])), /'descr': '\|u1'.*'shape': \(5,\)/);
  assert.match(headerOf(encodeNpy(new Float64Array(1), [])), /'descr': '<f8'.*'shape': \(\)/);
});

test('writeNpy -> readNpy round trips each dtype and shape', () => {
  const cases: Array<[NpyData, number[], string]> = [
    [Float32Array.from([1.5, -2, 3e-8, 4, 5, 6]), [2, 3], '<f4'],
    [Float64Array.from([Math.PI, -1e300, 0, 7]), [4], '<f8'],
    [Uint8Array.from([0, 1, 255, 128, 7, 9, 3, 2]), [2, 2, 2], '|u1'],
    [Int32Array.from([-2147483648, 2147483647, 0]), [3, 1], '<i4'],
  ];
  for (const [data, shape, dtype] of cases) {
    const file = path.join(tmp, 'rt', `${dtype.slice(1)}.npy`);
    writeNpy(file, data, shape);
    const back = readNpy(file);
    assert.equal(back.dtype, dtype);
    assert.deepEqual(back.shape, shape);
    assert.deepEqual(back.data, data);
  }
});

test('shape/size mismatches and bad files give clear errors', () => {
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 3]), /encodeNpy: shape \[2, 3\] holds 6 values, but data has 5/);
  assert.throws(() => encodeNpy(new Float32Array(2), [-1, -2]), /non-negative integers/);
  const bytes = encodeNpy(new Float32Array(6), [2, 3]);
  assert.throws(() => decodeNpy(bytes.subarray(0, bytes.length - 4), 'cut.npy'), /cut.npy: shape \[2, 3\] of '<f4' needs 24 data bytes, the file holds 20/);
  const i8 = Buffer.from(bytes);
  i8.write("'<i8'", 10 + "{'descr': ".length, 'latin1');
  assert.throws(() => decodeNpy(i8, 'i8.npy'), /i8.npy: unsupported dtype '<i8' \(expected one of <f4, <f8, \|u1, <i4\)/);
  const bad = path.join(tmp, 'bad.npy');
  fs.writeFileSync(bad, 'PK\x03\x04 a zip');
  assert.throws(() => readNpy(bad), /bad.npy: not a .npy file/);
});

test('numpy.load reads our files; we read numpy.save files', { skip: NUMPY_SKIP }, () => {
  const f4 = path.join(tmp, 'f4.npy');
  const data = Float32Array.from({ length: 24 }, (_, i) => i * 0.5); // sum = 0.5 * (0 + ... + 23) = 138
  writeNpy(f4, data, [2, 3, 4]);
  const u1 = path.join(tmp, 'u1.npy');
  writeNpy(u1, Uint8Array.from([1, 2, 3, 250]), [4]);
  const script = 'import sys, numpy\n'
    + 'for f in sys.argv[1:3]:\n  a = numpy.load(f); print(a.shape, a.dtype, float(a.sum()), a.flags["C_CONTIGUOUS"])\n'
    + 'numpy.save(sys.argv[3], numpy.arange(6, dtype="<f8").reshape(3, 2) * 1.5)\n';
  const out = path.join(tmp, 'from-numpy.npy');
  const r = spawnSync('python3', ['-c', script, f4, u1, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['(2, 3, 4) float32 138.0 True', '(4,) uint8 256.0 True']);
  const back = readNpy(out);
  assert.deepEqual(back.shape, [3, 2]);
  assert.equal(back.dtype, '<f8');
  assert.deepEqual(Array.from(back.data), [0, 1.5, 3, 4.5, 6, 7.5]);
});
