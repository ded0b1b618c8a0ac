/**
 * The small dense building blocks the attention layers need: a seeded Glorot-uniform
 * initializer, a dense (per-token linear, i.e. a 1x1 convolution) layer, layer
 * normalisation over the channel axis, and a two-layer feed-forward block.
 *
 * Every weight is a `Variable` created from a {@link createRng} stream (not tfjs's own
 * seeding), so the same seed gives the same numbers on every backend. Variables carry no
 * explicit names (tfjs makes them unique); checkpoints address them through each factory's
 * `trainableVariables`, whose order is fixed and documented.
 * @see notebooks/04-attention-queries.ipynb (issue 5)
 */
import { tf, variableFrom, type Tensor, type Tensor2D, type Variable } from '../core/tf.js';
import type { Rng } from '../core/rng.js';
import { layerNorm } from './layer-norm.js';


/** Anything that owns variables. */
export interface Disposable { dispose(): void }

// #region glorot
/**
 * Glorot (Xavier) uniform values: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)).
 * @returns [fanIn * fanOut] float32, row-major [fanIn, fanOut]
 */
export function glorotUniform(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: fanIn * fanOut }, () => rng.uniform(-limit, limit));
}
// #endregion glorot

/** A per-token linear map y = x W + b. */
export interface Dense extends Disposable {
  /** [inDim, outDim] float32. */
  readonly kernel: Variable;
  /** [outDim] float32 (zeros at init). */
  readonly bias: Variable;
  /** [..., inDim] -> [..., outDim]. */
  apply(x: Tensor): Tensor;
  /** [kernel, bias]. */
  readonly trainableVariables: Variable[];
}

// #region dense
/**
 * A dense layer applied to the last axis (a 1x1 convolution on token sequences).
 * @param inDim input channels
 * @param outDim output channels
 * @param rng source of the Glorot-uniform kernel
 */
export function createDense(inDim: number, outDim: number, rng: Rng): Dense {
  const kernel = variableFrom(tf.tensor2d(glorotUniform(rng, inDim, outDim), [inDim, outDim]));
  const bias = variableFrom(tf.zeros([outDim]));
  return {
    kernel, bias, trainableVariables: [kernel, bias],
    apply: (x) => tf.tidy(() => {
      const shape = x.shape;
      if (shape[shape.length - 1] !== inDim) throw new RangeError(`dense: expected last axis ${inDim}, got shape [${shape.join(', ')}]`);
      const flat = tf.reshape(x, [-1, inDim]); // [M, inDim]
      const y = tf.add(tf.matMul(flat as Tensor2D, kernel as Tensor2D), bias); // [M, outDim]
      return tf.reshape(y, [...shape.slice(0, -1), outDim]); // [..., outDim]
    }),
    dispose: () => { kernel.dispose(); bias.dispose(); },
  };
}
// #endregion dense

/** Layer normalisation over the last axis with a learned scale and shift. */
export interface LayerNorm extends Disposable {
  /** [..., dim] -> [..., dim]. */
  apply(x: Tensor): Tensor;
  /** [gamma (ones), beta (zeros)], each [dim]. */
  readonly trainableVariables: Variable[];
}

// #region layerNorm
/**
 * LayerNorm: (x - mean) / sqrt(var + eps) * gamma + beta over the channel axis.
 * @param dim channels
 * @param eps variance floor; default 1e-5 (PyTorch)
 */
export function createLayerNorm(dim: number, eps = 1e-5): LayerNorm {
  const gamma = variableFrom(tf.ones([dim]));
  const beta = variableFrom(tf.zeros([dim]));
  return {
    trainableVariables: [gamma, beta],
    apply: (x) => layerNorm(x, gamma, beta, eps), // one op with a closed-form gradient (layer-norm.ts)
    dispose: () => { gamma.dispose(); beta.dispose(); },
  };
}
// #endregion layerNorm

/** Two dense layers with a ReLU between: dim -> hidden -> dim. */
export interface FeedForward extends Disposable {
  apply(x: Tensor): Tensor;
  /** [W1, b1, W2, b2]. */
  readonly trainableVariables: Variable[];
}

/**
 * The transformer feed-forward block relu(x W1 + b1) W2 + b2.
 * @param dim input and output channels
 * @param hidden inner channels
 */
export function createFeedForward(dim: number, hidden: number, rng: Rng): FeedForward {
  const l1 = createDense(dim, hidden, rng), l2 = createDense(hidden, dim, rng);
  return {
    trainableVariables: [...l1.trainableVariables, ...l2.trainableVariables],
    apply: (x) => tf.tidy(() => l2.apply(tf.relu(l1.apply(x)))),
    dispose: () => { l1.dispose(); l2.dispose(); },
  };
}
