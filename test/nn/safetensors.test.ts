import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  encodeSafetensors, floatToBfloat16, floatToHalf, halfToFloat, parseSafetensors, readSafetensors, writeSafetensors,
} from '../../src/nn/safetensors.js';
import { InputError } from '../../src/core/errors.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'safetensors-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

/** Values exact in half and bfloat16 (few mantissa bits), and some that need rounding. */
const exact = [0, 1, -2, 0.5, 1.5, -0.375, 3, 96, 2 ** -10];

describe('safetensors half / bfloat16 conversion', () => {
  it('decodes half bit patterns by the IEEE formula', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x7bff), 65504); // largest half: (2 - 2^-10) * 2^15
    assert.equal(halfToFloat(0x0001), 2 ** -24); // smallest subnormal
    assert.equal(halfToFloat(0x7c00), Infinity);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  });
  it('encodes with round-to-nearest-even', () => {
    assert.equal(floatToHalf(1), 0x3c00);
    assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00); // halfway between 1 and 1 + 2^-10: even (1)
    assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02); // halfway between odd 0x3c01 and 0x3c02: even
    assert.equal(floatToHalf(2 ** -24), 0x0001);
    assert.equal(floatToHalf(1e6), 0x7c00);
    assert.equal(floatToBfloat16(1), 0x3f80);
    assert.equal(floatToBfloat16(1 + 2 ** -8), 0x3f80); // halfway: even
    assert.equal(floatToBfloat16(1 + 3 * 2 ** -8), 0x3f82);
  });
});

describe('safetensors writer -> reader round trip', () => {
  it('F32, F16, BF16, I64 and metadata through a file', () => {
    const file = path.join(tmp, 'round-trip.safetensors');
    const f32 = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 10);
    writeSafetensors(file, {
      a: { dtype: 'F32', shape: [2, 3, 4], data: f32 },
      h: { dtype: 'F16', shape: [exact.length], data: exact },
      b: { dtype: 'BF16', shape: [3, 3], data: exact },
      n: { dtype: 'I64', shape: [], data: new BigInt64Array([123n]) },
      r: { dtype: 'F16', shape: [2], data: [Math.PI, -1 / 3] },
    }, { format: 'pt' });
    const { tensors, metadata } = readSafetensors(file);
    assert.deepEqual(metadata, { format: 'pt' });
    assert.deepEqual([...tensors.keys()], ['a', 'h', 'b', 'n', 'r']);
    assert.deepEqual(tensors.get('a')?.shape, [2, 3, 4]);
    assert.deepEqual(tensors.get('a')?.data, f32);
    assert.deepEqual([...(tensors.get('h')?.data as Float32Array)], exact);
    assert.deepEqual([...(tensors.get('b')?.data as Float32Array)], exact);
    assert.deepEqual(tensors.get('n')?.data, new BigInt64Array([123n]));
    const r = tensors.get('r')?.data as Float32Array;
    assert.ok(Math.abs(r[0] - Math.PI) <= 2 ** -9, `pi as half: ${r[0]}`); // half step at 2-4 is 2^-9
    assert.ok(Math.abs(r[1] + 1 / 3) <= 2 ** -12, `-1/3 as half: ${r[1]}`);
  });
  it('pads the header to 8 bytes and starts data there', () => {
    const bytes = encodeSafetensors({ x: { dtype: 'F32', shape: [1], data: [1] } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal((8 + n) % 8, 0);
    assert.equal(bytes.byteLength, 8 + n + 4);
  });
});

describe('safetensors errors name the file and the tensor', () => {
  const good = encodeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: [1, 2, 3, 4] } });
  it('truncated data: offsets out of range', () => {
    assert.throws(() => parseSafetensors(good.subarray(0, good.byteLength - 4), 'm.safetensors'),
      (e: unknown) => e instanceof InputError && /m\.safetensors: tensor 'w'.*out of range/.test(e.message));
  });
  it('truncated before the header ends, and before the length', () => {
    assert.throws(() => parseSafetensors(good.subarray(0, 12), 'm.safetensors'), /m\.safetensors: truncated/);
    assert.throws(() => parseSafetensors(good.subarray(0, 5), 'm.safetensors'), /m\.safetensors: truncated/);
  });
  it('bad header JSON', () => {
    const bad = new Uint8Array(good);
    bad[8] = 0x5b; // '{' -> '['
    assert.throws(() => parseSafetensors(bad, 'm.safetensors'), /m\.safetensors: bad header/);
  });
  it('offsets that disagree with the shape, and an unsupported dtype', () => {
    const make = (entry: object): Uint8Array => {
      const head = new TextEncoder().encode(JSON.stringify({ w: entry }));
      const out = new Uint8Array(8 + head.byteLength + 16);
      new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
      out.set(head, 8);
      return out;
    };
    assert.throws(() => parseSafetensors(make({ dtype: 'F32', shape: [3], data_offsets: [0, 16] }), 'f'),
      /f: tensor 'w'.*needs 12/);
    assert.throws(() => parseSafetensors(make({ dtype: 'U8', shape: [3], data_offsets: [0, 3] }), 'f'),
      /f: tensor 'w'.*unsupported dtype "U8"/);
    assert.throws(() => parseSafetensors(make({ dtype: 'F32', shape: [2], data_offsets: [8, 4] }), 'f'),
      /f: tensor 'w'.*data_offsets/);
  });
  it('the writer rejects data that does not fill the shape', () => {
    assert.throws(() => encodeSafetensors({ w: { dtype: 'F32', shape: [2, 3], data: [1] } }), /tensor 'w'.*needs 6/);
  });
});
