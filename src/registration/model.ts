/**
 * The implicit-correspondence registration model (ICL, CVPR 2025), assembled: image encoder
 * (ResNet-FPN) and point encoder (PointNet++-style) -> GPDM (in-frustum logits, frustum pose,
 * geometric mask) -> ICLM (learnable queries over pixels and MASKED points -> keypoint pairs)
 * -> PRM (residual pose on top of the frustum pose). End to end, no RANSAC.
 *
 * Variable groups: `gpdm` = both encoders + the GPDM heads (everything the frustum pose
 * depends on, so freezing it keeps the frustum pose exactly as stage 1 left it); `rest` =
 * ICLM + PRM. In stage 'rest' the image encoder's batch norm runs on its running statistics.
 *
 * Ablation switches (config `gpdm`, `iclm`; both true = the full model, whose variables,
 * names, order and numbers do not depend on the switches' existence):
 * - `gpdm: false` ("without GPDM"): no GPDM heads (no `gpdm.*` variables). ICLM attends to
 *   every point (mask of ones), PRM applies its residual to the identity, so it regresses
 *   the pose directly. The `gpdm` group is then the encoders alone; stage 'gpdm' throws, and
 *   'rest' and 'joint' both train encoders + ICLM + PRM (the image batch norm uses batch
 *   statistics in training, as the encoders train).
 * - `iclm: false` ("without ICLM, pooled"): ICLM keeps its token projections but has no
 *   learnable queries; PRM gets one pooled "query" per pair (iclm.ts documents it).
 * The weight seed draws the same numbers in every variant (a skipped module still takes its
 * draw), so the modules a variant keeps start from the full model's initial weights.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, type Variable } from '../core/tf.js';
import { createRng } from '../core/rng.js';
import { ConfigError } from '../core/errors.js';
import { assertShape } from '../core/shapes.js';
import { normalizeImagenet } from '../nn/torchvision-resnet.js';
import { createImageEncoder, IMAGE_ENCODER_PRESETS } from './image-encoder.js';
import { createPointEncoder, POINT_ENCODER_PRESETS } from './point-encoder.js';
import { validateRegistrationConfig, type RegistrationConfig, type RegistrationStage } from './config.js';
import { createGpdm, geometricMask } from './gpdm.js';
import { createIclm } from './iclm.js';
import { createPrm } from './prm.js';
import { fitFrustumPose, yawPose, type FrustumFitConfig } from './frustum-fit.js';
import { createBearingNet, bestHeading, type BearingNet } from './bearing.js';
import { alongOffsets, alongPolarImages, cameraOffsetInCloud, POLAR_CHANNELS, sensorCentre, validateBearingConfig, type BearingConfig } from './bearing-polar.js';
import { untaped } from '../core/stop-gradient.js';

/** One batch of pairs as tensors. */
export interface RegistrationBatch {
  /** [B, H, W, 3] float32 RGB in [0, 1] (ImageNet normalisation happens inside). */
  image: Tensor4D;
  /** [B, N, 3] float32 metres, perturbed cloud frame. */
  points: Tensor3D;
  /** [B, 3, 3] float32 intrinsics of the image, pixels. */
  K: Tensor3D;
  /**
   * [B, 3] float32 metres, camera frame: the LiDAR's origin (rig calibration). Optional; the
   * bearing frustum pose uses it to move from the LiDAR's centre to the camera's.
   */
  lidarOrigin?: Tensor2D;
  /**
   * [B * 2] metres, cloud frame: each pair's LiDAR centre (x, z) on the ground plane, when it is
   * known (a map's scan in its own camera frame: the calibration's LiDAR origin; or found once
   * and shared). Plain numbers (no float32 rounding: the same centre as sensorCentre's). Optional;
   * the bearing frustum pose then skips finding it from the scan's rings (sensorCentre).
   */
  lidarCentre?: ArrayLike<number>;
}

/**
 * What {@link RegistrationModel.forward} returns (the caller disposes it, e.g. `tf.dispose(out)`).
 * Ablations: without GPDM, frustumPose is the identity, inFrustumLogits is [B, 0] and
 * centroid [B, 0] (not computed), the mask is all ones; without ICLM, Q = 1 (the pooled
 * "query") and the heatmap lists are empty. In stage 'gpdm', Q = 0 and the lists are empty.
 */
export type RegistrationOutput = {
  /** [B, 4, 4] final camFromPoints. */
  camFromPoints: Tensor3D;
  /** [B, 4, 4] the frustum pose ICLM and PRM build on: GPDM's head, or the fit (config frustumPose); the identity without GPDM. */
  frustumPose: Tensor3D;
  /** [B, 4, 4] the pose GPDM's head regresses (what L_fru trains; equal to frustumPose unless it is fitted; the identity without GPDM). */
  headPose: Tensor3D;
  /** [B, N] in-frustum logits ([B, 0] without GPDM). */
  inFrustumLogits: Tensor2D;
  /** [B, 3] probability-weighted centroid, metres, cloud frame ([B, 0] without GPDM). */
  centroid: Tensor2D;
  /** [B, Q, 2] pixels; [B, Q, 3] metres, cloud frame. Q = numQueries, 1 without ICLM, 0 in stage 'gpdm'. */
  keypoints2d: Tensor3D;
  keypoints3d: Tensor3D;
  /** Masks [B, N]: `geometric` from the frustum pose (what ICLM attends to; all ones without GPDM). */
  masks: { geometric: Tensor2D };
  /** Per ICLM layer, [B, Q, h * w] and [B, Q, N] heatmaps (empty without ICLM and in stage 'gpdm'). */
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
   *   the frustum pose and empty [B, 0, .] tensors); default 'joint'. 'gpdm' throws without GPDM.
   */
  forward(batch: RegistrationBatch, training: boolean, stage?: RegistrationStage): RegistrationOutput;
  /** The variables a stage trains (without GPDM: 'gpdm' throws; 'rest' = 'joint' = all). */
  trainableVariables(stage: RegistrationStage): Variable[];
  /** Every variable (batch-norm statistics included) by a stable name, for checkpoints. */
  readonly variables: ReadonlyMap<string, Variable>;
  /** The bearing network (variables `bearing.*`), with frustumPose 'bearing'; else null. */
  readonly bearing: BearingNet | null;
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
  const gpdmRng = rng.fork(); // taken even without GPDM, so ICLM and PRM start as in the full model
  const fusionLevel = c.gpdmFusionLevel === 0 ? point.config.npoints.length : c.gpdmFusionLevel; // 1-based SA level
  // 'columns': w_L column bands of the last stage; each stage halves with ceil (stem conv and max-pool, then 3 strided stages)
  const lastW = Array.from({ length: iw.length + 1 }).reduce((w: number) => Math.ceil(w / 2), image.config.inputWidthPx);
  const imageGlobalDim = c.imageGlobal === 'columns' ? lastW * iw[iw.length - 1] : iw[iw.length - 1];
  const gpdm = c.gpdm ? createGpdm({ pointDim: point.config.outChannels, imageGlobalDim, hidden: c.headHidden, coordScaleM: c.coordScaleM, head: c.frustumHead, detach: c.detachFrustumHead,
    fusion: c.gpdmFusion, coarseDim: point.config.saWidths[fusionLevel - 1].at(-1), pixelDim: image.config.outChannels, heads: c.heads }, gpdmRng) : null;
  const iclm = createIclm({
    pixelDim: image.config.outChannels, pointDim: point.config.outChannels, dModel: c.dModel, numQueries: c.numQueries,
    layers: c.layers, heads: c.heads, ffnHidden: c.ffnHidden, coordScaleM: c.coordScaleM, seed: rng.int(0x7fffffff), pooled: !c.iclm,
  }, rng.fork());
  const prm = createPrm({ dModel: c.dModel, hidden: c.headHidden, coordScaleM: c.coordScaleM }, rng.fork());
  const bearing = c.frustumPose === 'bearing' ? createBearingNet(validateBearingConfig(c.bearing), image.config.inputWidthPx, rng.fork()) : null; // drawn last: the other weights do not change
  const gpdmVars = [...image.trainableVariables, ...point.trainableVariables, ...(gpdm?.trainableVariables ?? [])];
  const restVars = [...iclm.trainableVariables, ...prm.trainableVariables];
  const variables = new Map<string, Variable>();
  for (const [n, v] of image.backbone.variables) variables.set(`image.backbone.${n}`, v);
  for (const [n, v] of image.fpnVariables) variables.set(`image.${n}`, v);
  point.trainableVariables.forEach((v, i) => variables.set(`point.${i}`, v));
  gpdm?.trainableVariables.forEach((v, i) => variables.set(`gpdm.${i}`, v));
  iclm.trainableVariables.forEach((v, i) => variables.set(`iclm.${i}`, v));
  prm.trainableVariables.forEach((v, i) => variables.set(`prm.${i}`, v));
  bearing?.trainableVariables.forEach((v, i) => variables.set(`bearing.${i}`, v));
  const W = image.config.inputWidthPx, H = image.config.inputHeightPx;

  return {
    config: c, variables, bearing,
    trainableVariables(stage) {
      if (stage === 'bearing') {
        if (!bearing) throw new ConfigError('registration.stage', "stage 'bearing' needs frustumPose: 'bearing'");
        return [...bearing.trainableVariables];
      }
      if (!gpdm) {
        if (stage === 'gpdm') throw noGpdmStage();
        return [...gpdmVars, ...restVars];
      }
      return stage === 'gpdm' ? [...gpdmVars] : stage === 'rest' ? [...restVars] : [...gpdmVars, ...restVars];
    },
    forward(batch, training, stage = 'joint') {
      const B = batch.image.shape[0], N = batch.points.shape[1];
      assertShape('registration: image', batch.image.shape, [B, H, W, 3]);
      assertShape('registration: points', batch.points.shape, [B, N, 3]);
      assertShape('registration: K', batch.K.shape, [B, 3, 3]);
      if (!gpdm && stage === 'gpdm') throw noGpdmStage();
      if (stage === 'bearing') throw new ConfigError('registration.stage', "stage 'bearing' has no forward pass of the model: train it with bearingStep (train.ts)");
      const frozenEncoders = gpdm !== null && stage === 'rest'; // without GPDM the encoders train in every stage
      return tf.tidy(() => {
        const img = image.apply(normalizeImagenet(batch.image), training && !frozenEncoders); // features [B, h, w, C]
        const pts = point.apply(batch.points); // features [B, N, C]
        let g: { pose: Tensor3D; logits: Tensor2D; centroid: Tensor2D }, geometric: Tensor2D;
        let headPose: Tensor3D;
        if (gpdm) {
          const summary = c.imageGlobal === 'columns' ? tf.reshape(img.columns, [B, imageGlobalDim]) as Tensor2D : img.global; // [B, imageGlobalDim]
          const lv = pts.levels[fusionLevel - 1];
          g = gpdm.apply(pts.features, summary, batch.points, c.gpdmFusion === 'attention' ? { coarseXyz: lv.xyz, coarseFeatures: lv.features, pixelFeatures: img.features, width: W, height: H } : undefined);
          headPose = g.pose;
          if (c.frustumPose === 'fit' && stage !== 'gpdm') g = { ...g, pose: fittedFrustumPoses(batch, g.logits, W, H, c.frustumFit) };
          if (bearing && stage !== 'gpdm') g = { ...g, pose: bearingFrustumPoses(bearing, batch).camFromPoints };
          geometric = geometricMask(batch.points, g.pose, batch.K, W, H); // [B, N], a leaf of the tape (the attention turns it into comparisons)
        } else {
          g = { pose: tf.tile(tf.reshape(tf.eye(4), [1, 4, 4]), [B, 1, 1]) as Tensor3D, logits: tf.zeros([B, 0]), centroid: tf.zeros([B, 0]) }; // identity [B, 4, 4]
          geometric = tf.ones([B, N]); // [B, N] every point
          headPose = g.pose;
        }
        if (headPose === g.pose) headPose = tf.clone(g.pose); // two outputs, two tensors
        if (stage === 'gpdm') {
          return {
            camFromPoints: tf.clone(g.pose), frustumPose: g.pose, headPose, inFrustumLogits: g.logits, centroid: g.centroid,
            keypoints2d: tf.zeros([B, 0, 2]), keypoints3d: tf.zeros([B, 0, 3]), masks: { geometric }, pixelWeights: [], pointWeights: [],
          } as unknown as Record<string, Tensor>;
        }
        const q = iclm.apply(img.features, pts.features, batch.points, geometric, W, H);
        const r = prm.apply(q.queries, q.descriptors2d, q.descriptors3d, q.keypoints2d, q.keypoints3d, g.pose, W, H);
        return {
          camFromPoints: r.camFromPoints, frustumPose: g.pose, headPose, inFrustumLogits: g.logits, centroid: g.centroid,
          keypoints2d: q.keypoints2d, keypoints3d: q.keypoints3d, masks: { geometric },
          pixelWeights: q.pixelWeights, pointWeights: q.pointWeights,
        } as unknown as Record<string, Tensor>;
      }) as unknown as RegistrationOutput;
    },
    dispose() { image.dispose(); point.dispose(); gpdm?.dispose(); iclm.dispose(); prm.dispose(); bearing?.dispose(); },
  };
}
// #endregion createRegistrationModel

/**
 * The frustum poses fitted to the classifier's logits, pair by pair (frustum-fit.ts), as a
 * leaf of the tape. Reads the logits, points and K back (a synchronous download).
 * @returns [B, 4, 4] float32 camFromPoints
 */
function fittedFrustumPoses(batch: RegistrationBatch, logits: Tensor2D, W: number, H: number, fit: Partial<FrustumFitConfig>): Tensor3D {
  const [B, N] = logits.shape;
  const lg = logits.dataSync(), pts = batch.points.dataSync(), K = batch.K.dataSync();
  const out = new Float32Array(B * 16);
  for (let b = 0; b < B; b++) {
    const f = fitFrustumPose(pts.subarray(3 * N * b, 3 * N * (b + 1)), lg.subarray(N * b, N * (b + 1)), K.subarray(9 * b, 9 * b + 9), W, H, fit);
    out.set(f.camFromPoints, 16 * b);
  }
  return untaped(() => tf.tensor3d(out, [B, 4, 4]));
}

// #region bearingFrustumPoses
/**
 * The bearing frustum poses of a batch: per pair the LiDAR's centre from the scan's rings
 * (sensorCentre; or the batch's `lidarCentre` when it is known) moved by the calibration to the camera's centre (when the batch has
 * `lidarOrigin`: c = l - (o_x (cos psi, -sin psi) + o_z (sin psi, cos psi)) on the ground plane,
 * which needs the heading psi: the heading comes first, from the polar image around l), the
 * heading from the bearing network's best score, and camFromPoints = yawPose(-heading, c)
 * (the camera's forward axis at bearing psi).
 * Outside the gradient tape (a leaf); reads points and K back.
 * With `searchAlong` (a model trained with bearing.alongHalfM > 0), the LiDAR centre is searched too: the polar image
 * is drawn around it moved d = -alongHalfM ... alongHalfM along the cloud frame's z axis (a map scan's optical axis:
 * where along the street the photo was taken) and the best (d, heading) of all wins.
 * @returns camFromPoints [B, 4, 4] float32 (the caller disposes it), and per pair the centre (x, z), metres, the heading,
 *   radians, the softmax probability of the best heading bin (how sure the network is, in (0, 1]; with searchAlong over
 *   every (d, heading)), the best bin's score (scale x mean cosine between the image's column bands and the scan's
 *   bearings: how well they match) and the chosen d, metres (0 without searchAlong)
 */
export function bearingFrustumPoses(net: BearingNet, batch: RegistrationBatch, searchAlong = false): { camFromPoints: Tensor3D; centres: Float64Array; headings: Float64Array; peakProbability: Float64Array; bestScore: Float64Array; alongM: Float64Array } {
  const [B, N] = batch.points.shape, bc: Readonly<BearingConfig> = net.config;
  const pts = batch.points.dataSync(), Kd = batch.K.dataSync();
  const centres = batch.lidarCentre ? Float64Array.from(batch.lidarCentre) : new Float64Array(2 * B);
  if (centres.length !== 2 * B) throw new Error(`bearingFrustumPoses: lidarCentre has ${centres.length} numbers, expected ${2 * B} ([B, 2])`);
  for (let b = 0; b < B && !batch.lidarCentre; b++) {
    const ctr = sensorCentre(pts.subarray(3 * N * b, 3 * N * (b + 1)), bc);
    centres[2 * b] = ctr.x; centres[2 * b + 1] = ctr.z;
  }
  // along-track hypotheses (searchAlong): the centre moved d along the cloud frame's z axis; else d = 0 alone
  const along = searchAlong ? alongOffsets(bc) : [0], A = along.length;
  if (searchAlong && A === 1) throw new ConfigError('registration.bearing.alongHalfM', 'the along-track search needs a model trained with alongHalfM > 0, got 0');
  const zAxis = Float64Array.from({ length: 2 * B }, (_, i) => i % 2); // (0, 1) per pair
  const polar = alongPolarImages(pts as Float32Array, centres, zAxis, along, bc);
  const all = untaped(() => tf.tidy(() => net.scores(tf.tensor4d(polar, [B * A, bc.rangeBins, bc.bins, POLAR_CHANNELS]), batch.image, tf.tensor2d(Kd, [B, 9]), A).arraySync())) as number[][];
  const rowMax = all.map((row) => Math.max(...row));
  const alongM = new Float64Array(B), bestScore = new Float64Array(B), peakProbability = new Float64Array(B), scores: number[][] = [];
  for (let b = 0; b < B; b++) { // the best (hypothesis, heading) of the pair; its softmax over every one of them
    let best = 0;
    for (let a = 1; a < A; a++) if (rowMax[b * A + a] > rowMax[b * A + best]) best = a;
    const m = rowMax[b * A + best];
    let sum = 0; for (let a = 0; a < A; a++) for (const v of all[b * A + a]) sum += Math.exp(v - m);
    scores.push(all[b * A + best]); alongM[b] = along[best]; bestScore[b] = m; peakProbability[b] = 1 / sum;
    centres[2 * b + 1] += along[best];
  }
  const headings = Float64Array.from(scores, bestHeading), out = new Float32Array(16 * B);
  const origin = batch.lidarOrigin?.dataSync() ?? new Float32Array(3 * B);
  for (let b = 0; b < B; b++) { // camera centre = LiDAR centre - R^T o
    const off = cameraOffsetInCloud(headings[b], origin.subarray(3 * b, 3 * b + 3));
    centres[2 * b] -= off.x; centres[2 * b + 1] -= off.z;
    out.set(yawPose(-headings[b], centres[2 * b], centres[2 * b + 1]), 16 * b);
  }
  return { camFromPoints: untaped(() => tf.tensor3d(out, [B, 4, 4])), centres, headings, peakProbability, bestScore, alongM };
}
// #endregion bearingFrustumPoses

function noGpdmStage(): ConfigError {
  return new ConfigError('registration.stage', "stage 'gpdm' needs gpdm: true; without GPDM use 'rest' or 'joint'");
}
