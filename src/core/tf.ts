/**
 * The one place the library gets tfjs from: importing this module loads the backend
 * (see {@link initBackend}) before any tensor is made.
 */
import * as tfjs from '@tensorflow/tfjs';
import { initBackend } from './backend.js';

initBackend();

/** tfjs, with the chosen backend active. */
export const tf = tfjs;

/**
 * A variable made from an initial value, disposing that value: `tf.variable(tf.zeros(...))`
 * alone leaks the zeros tensor (the variable holds its own reference to the data).
 */
export function variableFrom(init: tfjs.Tensor, trainable = true, name?: string): tfjs.Variable {
  const v = tfjs.variable(init, trainable, name);
  init.dispose();
  return v;
}
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Rank, Variable } from '@tensorflow/tfjs';
