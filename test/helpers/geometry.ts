/**
 * Shared test helpers: closeness asserts (used across test/) and seeded random geometry.
 */
import assert from 'node:assert/strict';
import type { Rng } from '../../src/core/rng.js';
import { rotationFromAxisAngle } from '../../src/geometry/so3.js';
import { fromRt } from '../../src/geometry/se3.js';

/** Asserts |a_i - b_i| <= tol for every i (and equal lengths). */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'value'): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= tol)) assert.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (|diff| ${d} > ${tol})`);
  }
}

/** Asserts |a - b| <= tol for two numbers. */
export function assertNear(actual: number, expected: number, tol: number, what = 'value'): void {
  if (!(Math.abs(actual - expected) <= tol)) assert.fail(`${what}: ${actual} vs ${expected} (tol ${tol})`);
}

/** A uniformly random rotation (axis uniform on the sphere, angle uniform in [0, maxAngle)). */
export function randomRotation(rng: Rng, maxAngle = Math.PI): Float64Array {
  const v = [rng.normal(), rng.normal(), rng.normal()];
  const n = Math.hypot(v[0], v[1], v[2]);
  const a = rng.uniform(0, maxAngle);
  return rotationFromAxisAngle(v.map((x) => (x / n) * a));
}

/** A random rigid transform with translation uniform in [-tMax, tMax)^3 metres. */
export function randomRigid(rng: Rng, tMax = 10): Float64Array {
  return fromRt(randomRotation(rng), [rng.uniform(-tMax, tMax), rng.uniform(-tMax, tMax), rng.uniform(-tMax, tMax)]);
}

/** N random points, stride channels, xyz uniform in the box [lo, hi)^3, extra channels in [0, 1). */
export function randomCloud(rng: Rng, n: number, stride = 3, lo = -20, hi = 20): Float32Array {
  const p = new Float32Array(n * stride);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < stride; c++) p[i * stride + c] = c < 3 ? rng.uniform(lo, hi) : rng.next();
  }
  return p;
}
