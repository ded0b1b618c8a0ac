/**
 * `stopGradient(x)`: the same values as x, as a leaf of the gradient tape (TensorFlow's
 * tf.stop_gradient, PyTorch's x.detach()). tfjs has no such op.
 *
 * Before, the registration model cut the tape by reading a tensor back and uploading it again
 * (`tf.tensor(x.dataSync())`): a full round trip through JavaScript per step. Here x is cloned
 * (TensorFlow's Identity: no copy of the buffer on tfjs-node) while the tape is paused, the way
 * tfjs itself runs the inside of a `tf.customGrad` op: the clone has no tape node, so no
 * gradient reaches x through it and backpropagation does not even visit the ops behind it
 * (useful when they have no gradient, like comparisons).
 * Relies on tfjs-core 4.x's engine state (`kernelDepth`); test/core/stop-gradient.test.ts
 * checks the behaviour.
 */
import { tf, type Tensor } from './tf.js';

interface EngineState { state: { kernelDepth: number } }

// #region stopGradient
/**
 * Runs `f` with the gradient tape paused: the tensors it returns are leaves of the tape, and
 * none of its ops is recorded or keeps inputs for a backward pass (for values that must not be
 * differentiated, like 0/1 masks made by comparisons).
 * @returns what f returns (the caller disposes its tensors)
 */
export function untaped<T>(f: () => T): T {
  const engine = tf.engine() as unknown as EngineState;
  if (typeof engine.state?.kernelDepth !== 'number') throw new Error('untaped: this tfjs engine has no kernelDepth (tfjs-core 4.x expected)');
  engine.state.kernelDepth++; // what tfjs does while it runs a kernel: no tape recording
  try {
    return f();
  } finally {
    engine.state.kernelDepth--;
  }
}

/**
 * @param x any tensor
 * @returns a new tensor with x's values and no gradient path to x (the caller disposes it)
 */
export function stopGradient<T extends Tensor>(x: T): T {
  return untaped(() => tf.clone(x));
}
// #endregion stopGradient
