import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pcaProject } from '../../src/modalink/descriptor-pca.js';

test('pcaProject: finds the axes of an anisotropic cloud, variance and coordinates by hand', () => {
  // points along (1, 1, 0)/sqrt2 with spread 3 and along (1, -1, 0)/sqrt2 with spread 1, mean (5, 5, 5)
  const pts: number[] = [];
  for (const a of [-3, 3]) for (const b of [-1, 1]) pts.push(5 + (a + b) / Math.SQRT2, 5 + (a - b) / Math.SQRT2, 5);
  const p = pcaProject(pts, 4, 3, 2, 200);
  const u = Array.from(p.components.subarray(0, 3)).map(Math.abs);
  assert.ok(Math.abs(u[0] - Math.SQRT1_2) < 1e-9 && Math.abs(u[1] - Math.SQRT1_2) < 1e-9 && u[2] < 1e-9, `first axis ${u}`);
  assert.ok(Math.abs(p.variance[0] - (4 * 9) / 3) < 1e-9); // sum of squares 4 x 9 over N - 1
  assert.ok(Math.abs(p.variance[1] - 4 / 3) < 1e-9);
  assert.ok(Math.abs(p.totalVariance - 40 / 3) < 1e-9);
  assert.deepEqual(Array.from(p.coords.filter((_, i) => i % 2 === 0), (v) => Math.round(Math.abs(v))), [3, 3, 3, 3]);
  assert.throws(() => pcaProject([1, 2, 3], 2, 2), /expected N x D/);
  assert.throws(() => pcaProject(pts, 4, 3, 4), /pcaProject: k/);
});
