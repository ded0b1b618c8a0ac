/**
 * The learned half of the bearing frustum pose (config `frustumPose: 'bearing'`, issue 11):
 * two small CNNs and a circular correlation. The point branch turns the polar image of the scan
 * around the LiDAR's centre (bearing-polar.ts) into one feature per bearing bin (3 x 3
 * convolutions, circular along the bearing); the image branch turns the image into one feature
 * per column band (strided 3 x 3 convolutions, mean over rows). For every candidate heading psi
 * (one per bearing bin) the score is the mean cosine between each column band's feature and the
 * feature at the band's bearing psi + atan((u - cx) / fx) (linear interpolation between bins):
 * the image slides around the scan. Trained with a softmax over the headings against the true
 * one; the prediction is the best heading refined by a parabola through its neighbours.
 *
 * Variables (order fixed, the checkpoint names them `bearing.0`, ...): the point convolutions'
 * kernels and biases, the point projection, the image convolutions' kernels and biases, the
 * image projection, the scale.
 * @see notebooks/05-pose-regression.ipynb (issue 11)
 */
import { tf, variableFrom, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../core/tf.js';
import type { Rng } from '../core/rng.js';
import { assertShape } from '../core/shapes.js';
import { ConfigError } from '../core/errors.js';
import { createDense } from '../nn/mlp.js';
import { l2Normalize } from '../nn/l2-normalize.js';
import { POLAR_CHANNELS, type BearingConfig } from './bearing-polar.js';

type Scalar = ReturnType<typeof tf.scalar>;
const IMAGE_STRIDES: readonly [number, number][] = [[2, 2], [2, 2], [2, 1], [2, 1]];

/** The bearing network. */
export interface BearingNet {
  readonly config: Readonly<BearingConfig>;
  /** Column bands of the image branch's output: ceil(W / 4). */
  readonly columns: number;
  /**
   * Heading scores.
   * @param polar [B * perImage, rangeBins, bins, 3] float32 polar images (bearing-polar.ts); image i's are rows
   *   i * perImage, ..., (i + 1) * perImage - 1 (e.g. one cloud seen from perImage hypothetical centres)
   * @param image [B, H, W, 3] float32 RGB in [0, 1] (its features are computed once and shared by its polar images)
   * @param K [B, 9] float32 row-major intrinsics of the image, pixels
   * @param perImage polar images per image, default 1
   * @returns [B * perImage, bins] scale x mean cosine; heading bin k is psi = 2 pi k / bins
   */
  scores(polar: Tensor4D, image: Tensor4D, K: Tensor2D, perImage?: number): Tensor2D;
  readonly trainableVariables: Variable[];
  dispose(): void;
}

/** A k x k convolution kernel [k, k, inC, outC], He-uniform: U(-l, l), l = sqrt(6 / (k k inC)) (ReLU follows). */
function convVariable(rng: Rng, k: number, inC: number, outC: number): Variable {
  const limit = Math.sqrt(6 / (k * k * inC));
  return variableFrom(tf.tensor4d(Float32Array.from({ length: k * k * inC * outC }, () => rng.uniform(-limit, limit)), [k, k, inC, outC]));
}

// #region createBearingNet
/**
 * @param config a validated {@link BearingConfig}
 * @param imageWidth W of the images it will see, pixels
 * @param rng weight stream
 */
export function createBearingNet(config: Readonly<BearingConfig>, imageWidth: number, rng: Rng): BearingNet {
  const c = config, Bn = c.bins, D = c.featureDim;
  const pk: Variable[] = [], pb: Variable[] = [], ik: Variable[] = [], ib: Variable[] = [];
  let inC = POLAR_CHANNELS;
  for (const outC of c.pointChannels) { pk.push(convVariable(rng, 3, inC, outC)); pb.push(variableFrom(tf.zeros([outC]))); inC = outC; }
  const pointProj = createDense(c.rangeBins * inC, D, rng);
  inC = 3;
  for (const outC of c.imageChannels) { ik.push(convVariable(rng, 3, inC, outC)); ib.push(variableFrom(tf.zeros([outC]))); inC = outC; }
  const imageProj = createDense(inC * c.imageRowBands, D, rng);
  const scale = variableFrom(tf.scalar(c.initialScale));
  const columns = IMAGE_STRIDES.reduce((w, [, sw]) => Math.ceil(w / sw), imageWidth);
  const vars = [...pk.flatMap((k, i) => [k, pb[i]]), ...pointProj.trainableVariables, ...ik.flatMap((k, i) => [k, ib[i]]), ...imageProj.trainableVariables, scale];

  const pointFeatures = (polar: Tensor4D): Tensor3D => {
    const b = polar.shape[0];
    let x: Tensor4D = polar;
    pk.forEach((k, i) => {
      const wrapped = tf.concat([tf.slice(x, [0, 0, Bn - 1, 0], [-1, -1, 1, -1]), x, tf.slice(x, [0, 0, 0, 0], [-1, -1, 1, -1])], 2); // circular in bearing
      const padded = tf.pad(wrapped, [[0, 0], [1, 1], [0, 0], [0, 0]]); // zeros in range
      x = tf.relu(tf.add(tf.conv2d(padded as Tensor4D, k as Tensor4D, 1, 'valid'), pb[i])) as Tensor4D; // [b, R, Bn, C]
    });
    const perBearing = tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, Bn, -1]); // [b, Bn, R * C]
    return pointProj.apply(perBearing) as Tensor3D; // [b, Bn, D]
  };
  const imageFeatures = (image: Tensor4D): Tensor3D => {
    let x: Tensor4D = image;
    ik.forEach((k, i) => { x = tf.relu(tf.add(tf.conv2d(x, k as Tensor4D, IMAGE_STRIDES[i], 'same'), ib[i])) as Tensor4D; });
    const k = c.imageRowBands, [b, rows, U, C] = x.shape;
    if (k === 1) return imageProj.apply(tf.mean(x, 1)) as Tensor3D; // [b, U, D]
    if (rows % k !== 0) throw new ConfigError('registration.bearing.imageRowBands', `the image branch's ${rows} output rows (crop height / 16) do not divide into ${k} bands`);
    const bands = tf.mean(tf.reshape(x, [b, k, rows / k, U, C]), 2); // [b, k, U, C]
    return imageProj.apply(tf.reshape(tf.transpose(bands, [0, 2, 1, 3]), [b, U, k * C])) as Tensor3D; // [b, U, D]
  };

  return {
    config: c, columns, trainableVariables: vars,
    scores(polar, image, K, perImage = 1) {
      if (!(Number.isInteger(perImage) && perImage >= 1)) throw new Error(`bearing: perImage must be an integer >= 1, got ${perImage}`);
      const b = polar.shape[0], [bi, H, W] = image.shape;
      assertShape('bearing: polar', polar.shape, [bi * perImage, c.rangeBins, Bn, POLAR_CHANNELS]);
      assertShape('bearing: image', image.shape, [bi, H, imageWidth, 3]);
      assertShape('bearing: K', K.shape, [bi, 9]);
      const U = columns;
      // where column band j looks, in bins: k + atan((u_j - cx) / fx) bins / 2 pi, per pair (crops move cx)
      const k9 = K.dataSync(), lo = new Int32Array(b * Bn * U), w = new Float32Array(b * Bn * U);
      for (let p = 0; p < b; p++) {
        const q = Math.floor(p / perImage), fx = k9[9 * q], cx = k9[9 * q + 2];
        for (let j = 0; j < U; j++) {
          const u = (j + 0.5) * (W / U) - 0.5, off = (Math.atan((u - cx) / fx) / (2 * Math.PI)) * Bn;
          for (let k = 0; k < Bn; k++) {
            const pos = k + off, f = Math.floor(pos), i = (p * Bn + k) * U + j;
            lo[i] = p * U * Bn + j * Bn + (((f % Bn) + Bn) % Bn); w[i] = pos - f;
          }
        }
      }
      return tf.tidy(() => {
        const fi1 = l2Normalize(imageFeatures(image)); // [bi, U, D]
        const fi = perImage === 1 ? fi1 : tf.gather(fi1, tf.tensor1d(Int32Array.from({ length: b }, (_, p) => Math.floor(p / perImage)), 'int32')); // [b, U, D]
        const fp = l2Normalize(pointFeatures(polar)); // [b, Bn, D]
        const S = tf.reshape(tf.matMul(fi, fp, false, true), [-1]); // [b * U * Bn] cosines
        const loT = tf.tensor1d(lo, 'int32'), hiT = tf.tensor1d(lo.map((v) => (v % Bn === Bn - 1 ? v - Bn + 1 : v + 1)), 'int32');
        const wT = tf.tensor1d(w);
        const interp = tf.add(tf.mul(tf.gather(S, loT), tf.sub(1, wT)), tf.mul(tf.gather(S, hiT), wT)); // [b * Bn * U]
        return tf.mul(tf.mean(tf.reshape(interp, [b, Bn, U]), 2), scale) as Tensor2D; // [b, Bn]
      });
    },
    dispose() { tf.dispose(vars); },
  };
}
// #endregion createBearingNet

// #region headingLoss
/**
 * Cross-entropy of the heading scores against the true headings, the label split between the
 * two bins around it (linear interpolation), so the target is continuous.
 * @param scores [B, bins] from {@link BearingNet.scores}
 * @param headings [B] true headings, radians (poseHeading of the ground truth)
 * @returns scalar, mean over the batch
 */
export function headingLoss(scores: Tensor2D, headings: ArrayLike<number>): Scalar {
  const [b, Bn] = scores.shape;
  if (headings.length !== b) throw new Error(`headingLoss: ${headings.length} headings for a batch of ${b}`);
  const target = new Float32Array(b * Bn);
  for (let p = 0; p < b; p++) {
    const pos = (headings[p] / (2 * Math.PI)) * Bn, f = Math.floor(pos), frac = pos - f;
    target[p * Bn + (((f % Bn) + Bn) % Bn)] += 1 - frac;
    target[p * Bn + ((((f + 1) % Bn) + Bn) % Bn)] += frac;
  }
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.tensor2d(target, [b, Bn]), tf.logSoftmax(scores)), 1))) as Scalar);
}
// #endregion headingLoss

// #region alongHeadingLoss
/**
 * Cross-entropy of one softmax over every (hypothesis, heading) pair of an image against (the true hypothesis, the
 * true heading), the heading's label split between its two bins as in {@link headingLoss}: the along-track search's
 * loss (bearing.alongHalfM).
 * @param scores [B * A, bins] from {@link BearingNet.scores} with perImage = A (image i's hypotheses are rows i * A ...)
 * @param trueHypothesis index in [0, A) of the true centre among each image's hypotheses (the same for every image)
 * @param headings [B] true headings, radians
 * @returns scalar, mean over the images
 */
export function alongHeadingLoss(scores: Tensor2D, perImage: number, trueHypothesis: number, headings: ArrayLike<number>): Scalar {
  const [rows, Bn] = scores.shape, b = headings.length, A = perImage;
  if (rows !== b * A) throw new Error(`alongHeadingLoss: ${rows} score rows for ${b} images x ${A} hypotheses`);
  if (!(Number.isInteger(trueHypothesis) && trueHypothesis >= 0 && trueHypothesis < A)) throw new Error(`alongHeadingLoss: trueHypothesis ${trueHypothesis} outside [0, ${A})`);
  const target = new Float32Array(b * A * Bn);
  for (let p = 0; p < b; p++) {
    const pos = (headings[p] / (2 * Math.PI)) * Bn, f = Math.floor(pos), frac = pos - f, row = (p * A + trueHypothesis) * Bn;
    target[row + (((f % Bn) + Bn) % Bn)] += 1 - frac;
    target[row + ((((f + 1) % Bn) + Bn) % Bn)] += frac;
  }
  return tf.tidy(() => {
    const flat = tf.reshape(scores, [b, A * Bn]);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.tensor2d(target, [b, A * Bn]), tf.logSoftmax(flat)), 1))) as Scalar;
  });
}
// #endregion alongHeadingLoss

// #region bestHeading
/**
 * The best heading of one pair's scores: the best bin refined by the parabola through it and
 * its two neighbours (circularly).
 * @param scores [bins] of one pair
 * @returns radians in [0, 2 pi)
 */
export function bestHeading(scores: ArrayLike<number>): number {
  const Bn = scores.length;
  let k = 0;
  for (let i = 1; i < Bn; i++) if (scores[i] > scores[k]) k = i;
  const a = scores[(k + Bn - 1) % Bn], m = scores[k], z = scores[(k + 1) % Bn], den = a - 2 * m + z;
  const off = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - z)) / den)) : 0;
  const psi = ((k + off) / Bn) * 2 * Math.PI;
  return (psi + 2 * Math.PI) % (2 * Math.PI);
}
// #endregion bestHeading
