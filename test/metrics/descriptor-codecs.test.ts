import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HALF_MAX, HALF_TABLE, decodeHalf, encodeHalf, quantizeRowsInt8, toHalfBits } from '../../src/metrics/descriptor-codecs.js';
import { assertClose } from '../helpers/geometry.js';

describe('half precision', () => {
  it('encodes values written out by hand', () => {
    // bits = sign << 15 | (exponent + 15) << 10 | mantissa
    assert.equal(toHalfBits(1), 15 << 10); // 0x3c00
    assert.equal(toHalfBits(0.5), 14 << 10); // 0x3800
    assert.equal(toHalfBits(-2), 0x8000 | (16 << 10)); // 0xc000
    assert.equal(toHalfBits(1.5), (15 << 10) | 512); // 1 + 512/1024
    assert.equal(toHalfBits(HALF_MAX), (30 << 10) | 1023); // (2 - 2^-10) 2^15 = 65504, 0x7bff
    assert.equal(toHalfBits(2 ** -14), 1 << 10); // smallest normal
    assert.equal(toHalfBits(2 ** -24), 1); // smallest subnormal: 1 x 2^-24
    assert.equal(toHalfBits(3 * 2 ** -24), 3);
    assert.equal(toHalfBits(0), 0);
    assert.equal(toHalfBits(-0), 0x8000);
  });
  it('rounds to nearest, ties to even', () => {
    const ulp = 2 ** -10; // spacing of halves in [1, 2)
    assert.equal(toHalfBits(1 + ulp / 2), 0x3c00); // tie between mantissa 0 and 1 -> 0 (even)
    assert.equal(toHalfBits(1 + 1.5 * ulp), 0x3c02); // tie between 1 and 2 -> 2 (even)
    assert.equal(toHalfBits(1 + 0.75 * ulp), 0x3c01); // above the tie -> up
    assert.equal(toHalfBits(2 - ulp / 4), 0x4000); // rounds up across the exponent: 2.0
    assert.equal(toHalfBits(2 ** -25), 0); // half of the smallest subnormal: tie -> 0 (even)
    assert.equal(toHalfBits(1.5 * 2 ** -25), 1); // above the tie -> 2^-24
    assert.equal(toHalfBits(2 ** -26), 0); // below: flushes to zero
  });
  it('round-trips every finite half bit pattern through the table', () => {
    for (let h = 0; h < 65536; h++) {
      if (((h >>> 10) & 0x1f) === 0x1f) continue; // Infinity and NaN are not encodable
      assert.equal(toHalfBits(HALF_TABLE[h]), h, `bits ${h.toString(16)}`);
    }
    assert.equal(HALF_TABLE[0x7c00], Infinity);
    assert.ok(Number.isNaN(HALF_TABLE[0x7e00]));
  });
  it('keeps relative error under 2^-11 for normal values, and encodes / decodes arrays', () => {
    const x = Float32Array.from([0.1, -0.3, 1e-3, 123.456, -7e-5, 3e-6]);
    const back = decodeHalf(encodeHalf(x));
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(back[i] - x[i]) <= Math.abs(x[i]) * 2 ** -11, `value ${x[i]} -> ${back[i]}`);
    for (let i = 4; i < 6; i++) assert.ok(Math.abs(back[i] - x[i]) <= 2 ** -25, `subnormal ${x[i]} -> ${back[i]}`); // absolute: half a subnormal step
    const out = new Float32Array(8).fill(9);
    decodeHalf(encodeHalf([1, 2]), out);
    assert.deepEqual(Array.from(out.subarray(0, 3)), [1, 2, 9]);
  });
  it('rejects values it cannot hold, naming the entry', () => {
    assert.throws(() => encodeHalf([1, 70000]), /encodeHalf: x\[1\]: expected a finite value with \|x\| <= 65504/);
    assert.throws(() => encodeHalf([NaN]), /encodeHalf: x\[0\]/);
    assert.throws(() => toHalfBits(65520), /65504/); // rounds up to 2^16: overflow
  });
});

describe('quantizeRowsInt8', () => {
  it('quantises each row by its own scale, as written out by hand', () => {
    // row 0: max |x| = 2.54 -> scale 0.02; codes round(x / 0.02); row 1: all zero -> scale 0
    const q = quantizeRowsInt8([2.54, -1, 0.011, 0, 0, 0], 2, 3);
    assertClose(q.scales, [2.54 / 127, 0], 1e-9, 'scales');
    assert.deepEqual(Array.from(q.codes), [127, -50, 1, 0, 0, 0]); // 0.011 / 0.02 = 0.55 -> 1
    // dequantised error at most half a step per value
    const back = [0, 1, 2].map((j) => q.codes[j] * q.scales[0]);
    assertClose(back, [2.54, -1, 0.011], 0.01 + 1e-7, 'dequantised');
  });
  it('rejects bad input, naming the row', () => {
    assert.throws(() => quantizeRowsInt8([1, 2, 3], 2, 2), /quantizeRowsInt8: x: expected 2 x 2 = 4 values, got 3/);
    assert.throws(() => quantizeRowsInt8([1, 2, Infinity, 0], 2, 2), /finite values, got Infinity at row 1, column 0/);
  });
});
