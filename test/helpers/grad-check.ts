/**
 * Finite-difference gradient checks for tfjs functions (test helper, reusable).
 *
 * tfjs has no float64 dtype (tfjs-node included), so both the analytic gradient (tf.grad)
 * and the function values are float32. Central differences with a step h have truncation
 * error O(h^2) and rounding error about 6e-8 |f| / h, so h near 1e-2..1e-3 and tolerances
 * of about 1e-3 absolute / 1e-2 relative are what float32 allows. The actual step is taken
 * as fround(x + h) - fround(x - h), the difference of the two float32 inputs.
 *
 * Keep inputs away from kinks (ReLU, max) where the function is not differentiable.
 */
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../src/core/tf.js';
import { createRng } from '../../src/core/rng.js';

/** Options of {@link checkGradient}. */
export interface GradCheckOptions {
  /** Finite-difference half step, in the input's unit. Default 1e-2. */
  step?: number;
  /** Absolute tolerance. Default 1e-3. */
  atol?: number;
  /** Relative tolerance (of max(|analytic|, |numeric|)). Default 1e-2. */
  rtol?: number;
  /** Check at most this many entries, drawn with `seed` (all when the input is smaller). Default 24. */
  maxEntries?: number;
  /** Seed of the entry sample. Default 0. */
  seed?: number;
}

/** What {@link checkGradient} compared. */
export interface GradCheckReport {
  /** Flat indices of the checked entries. */
  indices: number[];
  /** tf.grad at those entries. */
  analytic: number[];
  /** Central differences at those entries. */
  numeric: number[];
  /** Largest |analytic - numeric|. */
  maxAbsErr: number;
}

/** Evaluates the scalar f at x (float32) without leaking tensors. */
function value(f: (x: Tensor) => Tensor, x: Float32Array, shape: number[]): number {
  return tf.tidy(() => f(tf.tensor(x, shape)).dataSync()[0]);
}

/**
 * Compares tf.grad(f) at x with central differences on a seeded sample of entries, and
 * fails the test (assert) with the worst entry when they disagree.
 * @param f maps a tensor of `shape` to a scalar; must be deterministic
 * @param x the point, flat float32 values of `shape`
 */
export function checkGradient(f: (x: Tensor) => Tensor, x: Float32Array, shape: number[], options: GradCheckOptions = {}): GradCheckReport {
  const { step = 1e-2, atol = 1e-3, rtol = 1e-2, maxEntries = 24, seed = 0 } = options;
  const before = tf.memory().numTensors;
  const g = tf.tidy(() => tf.grad(f)(tf.tensor(x, shape)));
  const grad = g.dataSync();
  g.dispose();
  const n = x.length;
  const rng = createRng(seed);
  const indices = n <= maxEntries ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: maxEntries }, () => rng.int(n));
  const analytic: number[] = [];
  const numeric: number[] = [];
  let maxAbsErr = 0;
  for (const i of indices) {
    const xp = Float32Array.from(x);
    const xm = Float32Array.from(x);
    xp[i] = Math.fround(x[i] + step);
    xm[i] = Math.fround(x[i] - step);
    const fd = (value(f, xp, shape) - value(f, xm, shape)) / (xp[i] - xm[i]);
    const err = Math.abs(grad[i] - fd);
    analytic.push(grad[i]);
    numeric.push(fd);
    maxAbsErr = Math.max(maxAbsErr, err);
    const tol = atol + rtol * Math.max(Math.abs(grad[i]), Math.abs(fd));
    if (!(err <= tol)) assert.fail(`gradient entry ${i}: tf.grad ${grad[i]} vs finite difference ${fd} (|diff| ${err} > ${tol})`);
  }
  assert.equal(tf.memory().numTensors, before, 'checkGradient: tensors leaked by f');
  return { indices, analytic, numeric, maxAbsErr };
}

/** A seeded float32 array of normal values times `scale` (plus `offset`). */
export function randomNormal(seed: number, n: number, scale = 1, offset = 0): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => offset + scale * rng.normal());
}
