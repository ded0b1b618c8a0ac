import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, permutation } from '../../src/core/rng.js';

test('same seed gives the same stream, different seeds differ', () => {
  const a = createRng(42), b = createRng(42), c = createRng(43);
  const sa = Array.from({ length: 8 }, () => a.next());
  const sb = Array.from({ length: 8 }, () => b.next());
  const sc = Array.from({ length: 8 }, () => c.next());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('uniform floats lie in [0, 1) with mean near 1/2 and variance near 1/12', () => {
  const r = createRng(1);
  const n = 200_000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
    s += x; s2 += x * x;
  }
  const mean = s / n, variance = s2 / n - mean * mean;
  // standard error of the mean is sqrt(1/12 / n) = 6.5e-4: allow 5 of them
  assert.ok(Math.abs(mean - 1 / 2) < 5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 2e-3, `variance ${variance}`);
});

test('normal samples have mean 0 and variance 1', () => {
  const r = createRng(7);
  const n = 100_000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { const x = r.normal(); s += x; s2 += x * x; }
  assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n));
  assert.ok(Math.abs(s2 / n - 1) < 0.02);
});

test('int(n) covers 0..n-1 evenly and rejects bad n', () => {
  const r = createRng(3);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 50_000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `counts ${counts}`);
  assert.throws(() => r.int(0), /positive integer/);
  assert.throws(() => r.int(2.5), /positive integer/);
  assert.throws(() => createRng(Number.NaN), /finite/);
});

test('permutation is a seeded permutation; a k-sample has distinct indices', () => {
  const p = permutation(createRng(5), 100);
  assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual(p, permutation(createRng(5), 100));
  const k = permutation(createRng(5), 1000, 10);
  assert.equal(k.length, 10);
  assert.equal(new Set(k).size, 10);
  assert.throws(() => permutation(createRng(5), 3, 4), /k must be an integer in \[0, 3\]/);
});

test('fork gives an independent but reproducible stream', () => {
  const a = createRng(9).fork(), b = createRng(9).fork();
  assert.equal(a.next(), b.next());
});
