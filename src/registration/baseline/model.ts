/**
 * The explicit-matching baseline's networks (the pre-ICL methods, CorrI2P-style): the
 * registration model's two encoders, L2-normalised per-pixel and per-point descriptors (a
 * linear head each, normalised by nn/l2-normalize.ts), and a per-point in-frustum classifier
 * (point feature + image global feature -> two-layer MLP).
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../../core/tf.js';
import { createRng } from '../../core/rng.js';
import { assertShape } from '../../core/shapes.js';
import { createDense } from '../../nn/mlp.js';
import { l2Normalize } from '../../nn/l2-normalize.js';
import { normalizeImagenet } from '../../nn/torchvision-resnet.js';
import { createImageEncoder, IMAGE_ENCODER_PRESETS } from '../image-encoder.js';
import { createPointEncoder, POINT_ENCODER_PRESETS } from '../point-encoder.js';
import { validateExplicitBaselineConfig, type ExplicitBaselineConfig, type ValidExplicitBaselineConfig } from './config.js';

// #region model
/** What {@link ExplicitBaselineModel.forward} returns (the caller disposes it). */
export type ExplicitBaselineOutput = {
  /** [B, h, w, D] float32 unit-norm per-cell descriptors (h = ceil(H / stride)). */
  pixelDescriptors: Tensor4D;
  /** [B, N, D] float32 unit-norm per-point descriptors, input order. */
  pointDescriptors: Tensor3D;
  /** [B, N] float32 in-frustum logits. */
  inFrustumLogits: Tensor2D;
};

/** The baseline's networks. */
export interface ExplicitBaselineModel {
  readonly config: ValidExplicitBaselineConfig;
  /** Pixels of the input per feature cell (4 for the image encoder's outputStage 0). */
  readonly gridStride: number;
  /**
   * @param image [B, H, W, 3] float32 RGB in [0, 1] (ImageNet normalisation inside)
   * @param points [B, N, 3] float32 metres, perturbed cloud frame
   * @param training batch statistics in the image encoder's batch norm
   */
  forward(image: Tensor4D, points: Tensor3D, training: boolean): ExplicitBaselineOutput;
  readonly trainableVariables: Variable[];
  /** Every variable (batch-norm statistics included) by a stable name, for checkpoints. */
  readonly variables: ReadonlyMap<string, Variable>;
  dispose(): void;
}


/**
 * Builds the baseline: the registration preset's encoders (with the config's overrides),
 * two linear descriptor heads, a two-layer in-frustum classifier.
 * @param config any subset of {@link ExplicitBaselineConfig} over the laptop preset (or a validated one)
 * @param seed weight seed; default config.registration.seed
 */
export function createExplicitBaseline(config: Partial<ExplicitBaselineConfig> = {}, seed?: number): ExplicitBaselineModel {
  const c = validateExplicitBaselineConfig(config as Partial<ExplicitBaselineConfig>);
  const r = c.registration;
  const rng = createRng(seed ?? r.seed);
  const image = createImageEncoder({ ...IMAGE_ENCODER_PRESETS[r.encoderPreset], ...r.imageEncoder }, rng.int(0x7fffffff));
  const point = createPointEncoder({ ...POINT_ENCODER_PRESETS[r.encoderPreset], ...r.pointEncoder }, rng.int(0x7fffffff));
  const D = c.descriptorDim, iw = image.config.widths, globalDim = iw[iw.length - 1];
  const pixelHead = createDense(image.config.outChannels, D, rng.fork());
  const pointHead = createDense(point.config.outChannels, D, rng.fork());
  const cls1 = createDense(point.config.outChannels + globalDim, r.headHidden, rng.fork());
  const cls2 = createDense(r.headHidden, 1, rng.fork());
  const heads = [pixelHead, pointHead, cls1, cls2];
  const variables = new Map<string, Variable>();
  for (const [n, v] of image.backbone.variables) variables.set(`image.backbone.${n}`, v);
  for (const [n, v] of image.fpnVariables) variables.set(`image.${n}`, v);
  point.trainableVariables.forEach((v, i) => variables.set(`point.${i}`, v));
  ['pixelHead', 'pointHead', 'cls1', 'cls2'].forEach((n, i) => { variables.set(`${n}.kernel`, heads[i].kernel); variables.set(`${n}.bias`, heads[i].bias); });
  const trainableVariables = [...image.trainableVariables, ...point.trainableVariables, ...heads.flatMap((h) => h.trainableVariables)];
  const W = image.config.inputWidthPx, H = image.config.inputHeightPx;
  return {
    config: c, variables, trainableVariables, gridStride: 4 * 2 ** image.config.outputStage,
    forward(img, points, training) {
      const B = img.shape[0], N = points.shape[1];
      assertShape('explicitBaseline: image', img.shape, [B, H, W, 3]);
      assertShape('explicitBaseline: points', points.shape, [B, N, 3]);
      return tf.tidy(() => {
        const im = image.apply(normalizeImagenet(img), training); // features [B, h, w, C]
        const pt = point.apply(points); // features [B, N, C']
        const g = tf.tile(tf.expandDims(im.global, 1), [1, N, 1]); // [B, N, G]
        const hid = tf.relu(cls1.apply(tf.concat([pt.features, g], 2))); // [B, N, hidden]
        return {
          pixelDescriptors: l2Normalize(pixelHead.apply(im.features)), // [B, h, w, D]
          pointDescriptors: l2Normalize(pointHead.apply(pt.features)), // [B, N, D]
          inFrustumLogits: tf.reshape(cls2.apply(hid), [B, N]), // [B, N]
        } as unknown as Record<string, Tensor>;
      }) as unknown as ExplicitBaselineOutput;
    },
    dispose() { image.dispose(); point.dispose(); for (const h of heads) h.dispose(); },
  };
}
// #endregion model
