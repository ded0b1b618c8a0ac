/**
 * Soft arg-max keypoints: each query's heatmap (a probability distribution over pixels or
 * points) gives a keypoint as the heatmap-weighted mean of pixel coordinates or of point
 * coordinates. Differentiable, so the correspondence loss reaches the heatmaps (ICL, ICLM).
 *
 * Convention (the geometry module's, camera.ts): pixel (u, v) = (column, row); the centre
 * of pixel (col, row) is at (col, row). Heatmaps over an H x W image are flattened row-major
 * (NHWC order): index i = row * W + col. A one-hot heatmap on pixel (col, row) therefore
 * gives exactly (col, row); a uniform one gives ((W - 1) / 2, (H - 1) / 2).
 * Heatmaps are expected to be probabilities (non-negative, rows summing to 1; e.g. from
 * {@link softmaxWithTemperature}); they are not renormalised here.
 * @see notebooks/04-attention-queries.ipynb (issue 5)
 */
import { numberField } from '../core/config-fields.js';
import { assertShape } from '../core/shapes.js';
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../core/tf.js';

// #region softmaxWithTemperature
/**
 * softmax(logits / temperature) along the last axis; lower temperatures sharpen.
 * @param logits [..., K] float32 scores
 * @param temperature > 0; default 1
 * @returns [..., K] float32 probabilities
 */
export function softmaxWithTemperature(logits: Tensor, temperature = 1): Tensor {
  numberField('softmaxWithTemperature.temperature', temperature, { min: 0, minOpen: true });
  return tf.tidy(() => tf.softmax(tf.div(logits, temperature)));
}
// #endregion softmaxWithTemperature

// #region pixelGrid
/**
 * (u, v) of every pixel centre in row-major order.
 * @returns [H * W, 2] float32, pixels: row i = (i mod W, floor(i / W))
 */
export function pixelGrid(width: number, height: number): Tensor2D {
  for (const [f, v] of [['width', width], ['height', height]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`pixelGrid: ${f}: expected an integer >= 1, got ${v}`);
  }
  const g = new Float32Array(2 * width * height);
  for (let i = 0; i < width * height; i++) { g[2 * i] = i % width; g[2 * i + 1] = Math.floor(i / width); }
  return tf.tensor2d(g, [width * height, 2]);
}
// #endregion pixelGrid

// #region softKeypoints2d
/**
 * Pixel keypoints as heatmap-weighted means of pixel-centre coordinates.
 * @param heatmap [B, Q, H * W] float32 probabilities over pixels (row-major)
 * @param width W, pixels
 * @param height H, pixels
 * @returns [B, Q, 2] float32 (u, v), pixels, centre of pixel (col, row) at (col, row)
 */
export function softKeypoints2d(heatmap: Tensor3D, width: number, height: number): Tensor3D {
  assertShape('softKeypoints2d: heatmap', heatmap.shape, [null, null, width * height]);
  const [B, Q] = heatmap.shape;
  return tf.tidy(() => {
    const grid = pixelGrid(width, height); // [HW, 2]
    const flat = tf.reshape(heatmap, [B * Q, width * height]) as Tensor2D; // [B*Q, HW]
    return tf.reshape(tf.matMul(flat, grid), [B, Q, 2]) as Tensor3D; // [B, Q, 2]
  });
}
// #endregion softKeypoints2d

// #region softKeypoints3d
/**
 * 3D keypoints as weighted means of points.
 * @param weights [B, Q, N] float32 probabilities over points
 * @param points [B, N, 3] float32, metres, point-cloud frame
 * @returns [B, Q, 3] float32, metres, the points' frame
 */
export function softKeypoints3d(weights: Tensor3D, points: Tensor3D): Tensor3D {
  assertShape('softKeypoints3d: weights', weights.shape, [null, null, null]);
  const [B, , N] = weights.shape;
  assertShape('softKeypoints3d: points', points.shape, [B, N, 3]);
  return tf.tidy(() => tf.matMul(weights, points) as Tensor3D); // [B, Q, 3]
}
// #endregion softKeypoints3d
