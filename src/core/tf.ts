/**
 * The one place the library gets tfjs from: importing this module loads the backend
 * (see {@link initBackend}) before any tensor is made.
 */
import * as tfjs from '@tensorflow/tfjs';
import { initBackend } from './backend.js';

initBackend();

/** tfjs, with the chosen backend active. */
export const tf = tfjs;
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Rank, Variable } from '@tensorflow/tfjs';
