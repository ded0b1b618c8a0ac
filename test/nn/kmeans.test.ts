import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng.js';
import { ConfigError } from '../../src/core/errors.js';
import { kmeans, validateKMeansConfig } from '../../src/nn/kmeans.js';

/** n points per blob around each centre (2-D), spread sigma. */
function blobs(centres: number[][], n: number, sigma: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out: number[] = [];
  for (const c of centres) for (let i = 0; i < n; i++) out.push(c[0] + sigma * rng.normal(), c[1] + sigma * rng.normal());
  return Float32Array.from(out);
}

describe('kmeans', () => {
  const centres = [[0, 0], [10, 0], [0, 10]];
  const data = blobs(centres, 30, 0.5, 1);
  it('finds three well-separated blobs', () => {
    const r = kmeans(data, 90, 2, 3, createRng(2));
    for (const c of centres) {
      const found = [0, 1, 2].some((j) => Math.hypot(r.centroids[2 * j] - c[0], r.centroids[2 * j + 1] - c[1]) < 0.5);
      assert.ok(found, `no centroid near (${c}) in ${Array.from(r.centroids)}`);
    }
    // every blob's points share one cluster, and the clusters differ between blobs
    const labels = [0, 1, 2].map((b) => new Set(Array.from(r.assignments.subarray(30 * b, 30 * b + 30))));
    assert.ok(labels.every((s) => s.size === 1));
    assert.equal(new Set(labels.map((s) => [...s][0])).size, 3);
    assert.ok(r.inertia < 90 * 2 * 0.5 ** 2 * 1.5, `inertia ${r.inertia}`);
  });
  it('gives the same result for the same seed', () => {
    const a = kmeans(data, 90, 2, 5, createRng(3));
    const b = kmeans(data, 90, 2, 5, createRng(3));
    assert.deepEqual(a.centroids, b.centroids);
    assert.deepEqual(a.assignments, b.assignments);
  });
  it('keeps K clusters when points repeat (empty clusters re-seeded)', () => {
    const r = kmeans(Float32Array.from([0, 0, 0, 0, 0, 0, 1, 1]), 4, 2, 3, createRng(4));
    assert.equal(r.centroids.length, 6);
    assert.ok(Array.from(r.centroids).every(Number.isFinite));
  });
  it('validates its input and config', () => {
    assert.throws(() => kmeans(data, 90, 2, 100, createRng(1)), /kmeans: n: expected an integer in \[100/);
    assert.throws(() => kmeans(data, 89, 2, 3, createRng(1)), /kmeans: data: expected 89 x 2/);
    assert.throws(() => validateKMeansConfig({ iterations: -1 }), (e: unknown) => e instanceof ConfigError && e.field === 'kmeans.iterations');
  });
});
