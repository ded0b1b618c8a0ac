import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertShape, assertFlat, assertInt, assertRange, firstNonFinite } from '../../src/core/shapes.js';
import { InputError, ConfigError } from '../../src/core/errors.js';

test('assertShape accepts wildcards and names the argument on mismatch', () => {
  assertShape('points', [10, 3], [null, 3]);
  assert.throws(() => assertShape('points', [10, 4], [null, 3]), /points: expected shape \[\*, 3\], got \[10, 4\]/);
  assert.throws(() => assertShape('image', [1, 2], [1, 2, 3]), /image: expected shape \[1, 2, 3\]/);
});

test('assertFlat returns N for N x stride arrays', () => {
  assert.equal(assertFlat('scan', new Float32Array(12), 4), 3);
  assert.throws(() => assertFlat('scan', new Float32Array(13), 4), /scan: expected a flat array of N x 4 values, got length 13/);
});

test('range checks name the field', () => {
  assertInt('k', 3, 1, 5);
  assert.throws(() => assertInt('k', 6, 1, 5), /k: expected an integer in \[1, 5\], got 6/);
  assert.throws(() => assertRange('maxRangeM', Number.NaN, 0), /maxRangeM: expected a finite number/);
});

test('firstNonFinite finds NaN and Inf', () => {
  assert.equal(firstNonFinite([1, 2, 3]), -1);
  assert.equal(firstNonFinite([1, Number.NaN, 3]), 1);
  assert.equal(firstNonFinite(new Float32Array([0, 0, Infinity])), 2);
});

test('errors carry where/field', () => {
  const e = new InputError('a.bin', 'truncated');
  assert.equal(e.message, 'a.bin: truncated');
  assert.equal(e.where, 'a.bin');
  const c = new ConfigError('depth.maxRangeM', 'must be > 0');
  assert.equal(c.field, 'depth.maxRangeM');
  assert.match(c.message, /config field 'depth.maxRangeM': must be > 0/);
});
