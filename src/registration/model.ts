/**
 * The implicit-correspondence registration model (ICL, CVPR 2025), assembled: image encoder
 * (ResNet-FPN) and point encoder (PointNet++-style) -> GPDM (in-frustum logits, frustum pose,
 * geometric mask) -> ICLM (learnable queries over pixels and MASKED points -> keypoint pairs)
 * -> PRM (residual pose on top of the frustum pose). End to end, no RANSAC.
 *
 * Variable groups: `gpdm` = both encoders + the GPDM heads (everything the frustum pose
 * depends on, so freezing it keeps the frustum pose exactly as stage 1 left it); `rest` =
 * ICLM + PRM. In stage 'rest' the image encoder's batch norm runs on its running statistics.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../core/tf.js';
import { createRng } from '../core/rng.js';
import { assertShape } from '../core/shapes.js';
import { normalizeImagenet } from '../nn/torchvision-resnet.js';
import { createImageEncoder, IMAGE_ENCODER_PRESETS } from './image-encoder.js';
import { createPointEncoder, POINT_ENCODER_PRESETS } from './point-encoder.js';
import { validateRegistrationConfig, type RegistrationConfig, type RegistrationStage } from './config.js';
import { createGpdm, geometricMask } from './gpdm.js';
import { createIclm } from './iclm.js';
import { createPrm } from './prm.js';

/** One batch of pairs as tensors. */
export interface RegistrationBatch {
  /** [B, H, W, 3] float32 RGB in [0, 1] (ImageNet normalisation happens inside). */
  image: Tensor4D;
  /** [B, N, 3] float32 metres, perturbed cloud frame. */
  points: Tensor3D;
  /** [B, 3, 3] float32 intrinsics of the image, pixels. */
  K: Tensor3D;
}

/** What {@link RegistrationModel.forward} returns (the caller disposes it, e.g. `tf.dispose(out)`). */
export type RegistrationOutput = {
  /** [B, 4, 4] final camFromPoints. */
  camFromPoints: Tensor3D;
  /** [B, 4, 4] GPDM's frustum pose. */
  frustumPose: Tensor3D;
  /** [B, N] in-frustum logits. */
  inFrustumLogits: Tensor2D;
  /** [B, 3] probability-weighted centroid, metres, cloud frame. */
  centroid: Tensor2D;
  /** [B, Q, 2] pixels; [B, Q, 3] metres, cloud frame. */
  keypoints2d: Tensor3D;
  keypoints3d: Tensor3D;
  /** Masks [B, N]: `geometric` from the frustum pose (what ICLM attends to). */
  masks: { geometric: Tensor2D };
  /** Per ICLM layer, [B, Q, h * w] and [B, Q, N] heatmaps. */
  pixelWeights: Tensor3D[];
  pointWeights: Tensor3D[];
};

/** The model with its variables. */
export interface RegistrationModel {
  readonly config: Readonly<RegistrationConfig>;
  /**
   * @param batch image, points, K
   * @param training batch statistics in the image encoder (except in stage 'rest')
   * @param stage which stage runs; 'gpdm' stops after GPDM (keypoints and final pose are then
   *   the frustum pose and empty [B, 0, .] tensors); default 'joint'
   */
  forward(batch: RegistrationBatch, training: boolean, stage?: RegistrationStage): RegistrationOutput;
  /** The variables a stage trains. */
  trainableVariables(stage: RegistrationStage): Variable[];
  /** Every variable (batch-norm statistics included) by a stable name, for checkpoints. */
  readonly variables: ReadonlyMap<string, Variable>;
  dispose(): void;
}

// #region createRegistrationModel
/**
 * Builds the model.
 * @param config any subset of {@link RegistrationConfig} over the paper preset (or a validated one)
 * @param seed weight seed; default config.seed
 */
export function createRegistrationModel(config: Partial<RegistrationConfig> = {}, seed?: number): RegistrationModel {
  const c = validateRegistrationConfig(config);
  const s = seed ?? c.seed;
  const rng = createRng(s);
  const image = createImageEncoder({ ...IMAGE_ENCODER_PRESETS[c.encoderPreset], ...c.imageEncoder }, rng.int(0x7fffffff));
  const point = createPointEncoder({ ...POINT_ENCODER_PRESETS[c.encoderPreset], ...c.pointEncoder }, rng.int(0x7fffffff));
  const iw = image.config.widths;
  const gpdm = createGpdm({ pointDim: point.config.outChannels, imageGlobalDim: iw[iw.length - 1], hidden: c.headHidden, coordScaleM: c.coordScaleM }, rng.fork());
  const iclm = createIclm({
    pixelDim: image.config.outChannels, pointDim: point.config.outChannels, dModel: c.dModel, numQueries: c.numQueries,
    layers: c.layers, heads: c.heads, ffnHidden: c.ffnHidden, coordScaleM: c.coordScaleM, seed: rng.int(0x7fffffff),
  }, rng.fork());
  const prm = createPrm({ dModel: c.dModel, hidden: c.headHidden, coordScaleM: c.coordScaleM }, rng.fork());
  const gpdmVars = [...image.trainableVariables, ...point.trainableVariables, ...gpdm.trainableVariables];
  const restVars = [...iclm.trainableVariables, ...prm.trainableVariables];
  const variables = new Map<string, Variable>();
  for (const [n, v] of image.backbone.variables) variables.set(`image.backbone.${n}`, v);
  for (const [n, v] of image.fpnVariables) variables.set(`image.${n}`, v);
  point.trainableVariables.forEach((v, i) => variables.set(`point.${i}`, v));
  gpdm.trainableVariables.forEach((v, i) => variables.set(`gpdm.${i}`, v));
  iclm.trainableVariables.forEach((v, i) => variables.set(`iclm.${i}`, v));
  prm.trainableVariables.forEach((v, i) => variables.set(`prm.${i}`, v));
  const W = image.config.inputWidthPx, H = image.config.inputHeightPx;

  return {
    config: c, variables,
    trainableVariables: (stage) => (stage === 'gpdm' ? [...gpdmVars] : stage === 'rest' ? [...restVars] : [...gpdmVars, ...restVars]),
    forward(batch, training, stage = 'joint') {
      const B = batch.image.shape[0], N = batch.points.shape[1];
      assertShape('registration: image', batch.image.shape, [B, H, W, 3]);
      assertShape('registration: points', batch.points.shape, [B, N, 3]);
      assertShape('registration: K', batch.K.shape, [B, 3, 3]);
      return tf.tidy(() => {
        const img = image.apply(normalizeImagenet(batch.image), training && stage !== 'rest'); // features [B, h, w, C]
        const pts = point.apply(batch.points); // features [B, N, C]
        const g = gpdm.apply(pts.features, img.global, batch.points);
        // a leaf copy: the attention turns the mask into comparisons, which tfjs cannot differentiate
        const m = geometricMask(batch.points, g.pose, batch.K, W, H);
        const geometric = tf.tensor2d(m.dataSync() as Float32Array, [B, N]); // [B, N]
        if (stage === 'gpdm') {
          return {
            camFromPoints: tf.clone(g.pose), frustumPose: g.pose, inFrustumLogits: g.logits, centroid: g.centroid,
            keypoints2d: tf.zeros([B, 0, 2]), keypoints3d: tf.zeros([B, 0, 3]), masks: { geometric }, pixelWeights: [], pointWeights: [],
          } as unknown as Record<string, Tensor>;
        }
        const q = iclm.apply(img.features, pts.features, batch.points, geometric, W, H);
        const r = prm.apply(q.queries, q.descriptors2d, q.descriptors3d, q.keypoints2d, q.keypoints3d, g.pose, W, H);
        return {
          camFromPoints: r.camFromPoints, frustumPose: g.pose, inFrustumLogits: g.logits, centroid: g.centroid,
          keypoints2d: q.keypoints2d, keypoints3d: q.keypoints3d, masks: { geometric },
          pixelWeights: q.pixelWeights, pointWeights: q.pointWeights,
        } as unknown as Record<string, Tensor>;
      }) as unknown as RegistrationOutput;
    },
    dispose() { image.dispose(); point.dispose(); gpdm.dispose(); iclm.dispose(); prm.dispose(); },
  };
}
// #endregion createRegistrationModel
