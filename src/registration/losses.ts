/**
 * The five losses of ICL and their weighted total: L_cls (in-frustum BCE), L_fru (frustum
 * pose: rotation, translation, and the frustum centre), L_corr (2D keypoints vs the 3D
 * keypoints projected with the GROUND-TRUTH pose, pixels, keypoints in view only), L_div
 * (2D keypoints closer than a margin pushed apart, hinge), L_cam (final pose).
 *
 * L_cls: config `clsLoss` 'balanced' (default; CorrI2P) averages the mean BCE over the truly
 * in-frustum points and the mean over the rest; 'bce' averages over all points.
 * L_fru follows the frustum head (config `frustumHead`):
 * - 'yaw' (default; ICL's released loss.py): fruRotation = MSE of the heading direction
 *   (R[2][0], R[0][0]) against the truth's; fruCentre = MSE of the camera centre's (x, z),
 *   in coordScaleM units (the code divides coordinates by 10); fruTranslation is not computed (0).
 * - '6d': fruRotation = ||R_pred - R_gt||_F, fruTranslation = ||t_pred - t_gt||_2 (metres),
 *   fruCentre (our reading of a "frustum centre" term) = the GPDM probability-weighted centroid
 *   vs the mean of the truly in-frustum points, metres.
 * L_cam always uses the Frobenius / metre terms. Norms use sqrt(x + 1e-12), so gradients stay finite at 0.
 *
 * Ablations: without GPDM (`gpdm: false`) L_cls and L_fru are not computed (reported as 0,
 * weight 0); without ICLM (`iclm: false`) neither are L_corr and L_div (the one pooled
 * "query" has no correspondence to supervise). See {@link stageWeights}.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../core/tf.js';
import { assertShape } from '../core/shapes.js';
import { projectPointsTf } from '../geometry/projection-tf.js';
import { geometricMask } from './gpdm.js';
import type { RegistrationConfig, RegistrationStage } from './config.js';
import type { RegistrationOutput } from './model.js';

type Scalar = ReturnType<typeof tf.scalar>;
const EPS = 1e-12;
const norm = (x: Tensor, axis: number | number[]): Tensor => tf.sqrt(tf.add(tf.sum(tf.square(x), axis), EPS));

// #region poseLoss
/**
 * Rotation and translation error of batched poses.
 * @param pred [B, 4, 4] float32 camFromPoints; gt [B, 4, 4] float32
 * @returns rotation (mean Frobenius norm of R_pred - R_gt) and translation (mean metres), scalars
 */
export function poseLoss(pred: Tensor3D, gt: Tensor3D): { rotation: Scalar; translation: Scalar } {
  const B = pred.shape[0];
  assertShape('poseLoss: gt', gt.shape, [B, 4, 4]);
  return tf.tidy(() => {
    const dR = tf.sub(tf.slice(pred, [0, 0, 0], [B, 3, 3]), tf.slice(gt, [0, 0, 0], [B, 3, 3])); // [B, 3, 3]
    const dt = tf.sub(tf.slice(pred, [0, 0, 3], [B, 3, 1]), tf.slice(gt, [0, 0, 3], [B, 3, 1])); // [B, 3, 1]
    return { rotation: tf.mean(norm(dR, [1, 2])) as Scalar, translation: tf.mean(norm(dt, [1, 2])) as Scalar };
  }) as { rotation: Scalar; translation: Scalar };
}
// #endregion poseLoss

// #region inFrustumLoss
/**
 * L_cls.
 * @param labels [B, N] float32 0/1 truth; logits [B, N] float32
 * @param kind 'balanced': (mean BCE over label 1 + mean BCE over label 0) / 2, each over the
 *   whole batch (a class with no point contributes 0); 'bce': mean over all points
 */
export function inFrustumLoss(labels: Tensor2D, logits: Tensor2D, kind: RegistrationConfig['clsLoss']): Scalar {
  assertShape('inFrustumLoss: logits', logits.shape, labels.shape);
  return tf.tidy(() => {
    if (kind === 'bce') return tf.losses.sigmoidCrossEntropy(labels, logits) as Scalar;
    const bce = tf.losses.sigmoidCrossEntropy(labels, logits, undefined, 0, tf.Reduction.NONE); // [B, N]
    const neg = tf.sub(1, labels);
    const meanOver = (m: Tensor): Tensor => tf.div(tf.sum(tf.mul(bce, m)), tf.maximum(tf.sum(m), 1));
    return tf.mul(tf.add(meanOver(labels), meanOver(neg)), 0.5) as Scalar;
  });
}
// #endregion inFrustumLoss

// #region yawPoseLoss
/**
 * The released code's frustum-pose loss for the 'yaw' head.
 * @param pred [B, 4, 4] float32 camFromPoints; gt [B, 4, 4] float32
 * @param coordScaleM metres per unit of the centre term
 * @returns direction: mean over B x 2 of the squared error of (R[2][0], R[0][0]); centre: mean
 *   over B x 2 of the squared error of the camera centre c = -R^T t's (x, z) / coordScaleM
 */
export function yawPoseLoss(pred: Tensor3D, gt: Tensor3D, coordScaleM: number): { direction: Scalar; centre: Scalar } {
  const B = pred.shape[0];
  assertShape('yawPoseLoss: gt', gt.shape, [B, 4, 4]);
  return tf.tidy(() => {
    const dir = (T: Tensor3D): Tensor => tf.concat([tf.slice(T, [0, 2, 0], [B, 1, 1]), tf.slice(T, [0, 0, 0], [B, 1, 1])], 1); // [B, 2, 1]
    const centreXz = (T: Tensor3D): Tensor => {
      const c = tf.neg(tf.matMul(tf.slice(T, [0, 0, 0], [B, 3, 3]), tf.slice(T, [0, 0, 3], [B, 3, 1]), true)); // [B, 3, 1] = -R^T t
      return tf.div(tf.concat([tf.slice(c, [0, 0, 0], [B, 1, 1]), tf.slice(c, [0, 2, 0], [B, 1, 1])], 1), coordScaleM); // [B, 2, 1]
    };
    return {
      direction: tf.mean(tf.square(tf.sub(dir(pred), dir(gt)))) as Scalar,
      centre: tf.mean(tf.square(tf.sub(centreXz(pred), centreXz(gt)))) as Scalar,
    };
  }) as { direction: Scalar; centre: Scalar };
}
// #endregion yawPoseLoss

// #region correspondenceLoss
/**
 * L_corr: mean pixel distance between each 2D keypoint and its 3D keypoint projected with the
 * ground-truth pose, over the pairs whose projection is in the image with z > 0 (0 if none).
 * @param keypoints2d [B, Q, 2] pixels; keypoints3d [B, Q, 3] metres, cloud frame
 * @param camFromPoints [B, 4, 4] ground truth; K [B, 3, 3] pixels
 * @param width W, height H, pixels
 */
export function correspondenceLoss(keypoints2d: Tensor3D, keypoints3d: Tensor3D, camFromPoints: Tensor3D, K: Tensor3D, width: number, height: number): Scalar {
  return tf.tidy(() => {
    const { uv } = projectPointsTf(keypoints3d, camFromPoints, K); // [B, Q, 2] pixels
    const valid = geometricMask(keypoints3d, camFromPoints, K, width, height); // [B, Q] 0/1 in view, no gradient
    const d = norm(tf.sub(uv, keypoints2d), 2); // [B, Q] pixels
    return tf.div(tf.sum(tf.mul(d, valid)), tf.maximum(tf.sum(valid), 1)) as Scalar;
  });
}
// #endregion correspondenceLoss

// #region diversityLoss
/**
 * L_div: mean over ordered pairs i != j of max(0, margin - ||k_i - k_j||), pixels.
 * @param keypoints2d [B, Q, 2] pixels (Q >= 2; 0 for Q < 2)
 * @param marginPx hinge margin, pixels
 */
export function diversityLoss(keypoints2d: Tensor3D, marginPx: number): Scalar {
  const [B, Q] = keypoints2d.shape;
  if (Q < 2) return tf.scalar(0) as Scalar;
  return tf.tidy(() => {
    const diff = tf.sub(tf.expandDims(keypoints2d, 2), tf.expandDims(keypoints2d, 1)); // [B, Q, Q, 2]
    const off = tf.sub(1, tf.eye(Q)); // [Q, Q] zero diagonal
    const d = norm(tf.add(diff, tf.expandDims(tf.mul(tf.eye(Q), 1), 2)), 3); // [B, Q, Q]; diagonal kept away from the sqrt kink
    return tf.div(tf.sum(tf.mul(tf.relu(tf.sub(marginPx, d)), off)), B * Q * (Q - 1)) as Scalar;
  });
}
// #endregion diversityLoss

/** Inputs of {@link registrationLoss}: the ground truth of the batch. */
export interface RegistrationTarget {
  /** [B, 4, 4] ground-truth camFromPoints. */ camFromPoints: Tensor3D;
  /** [B, N] float32 0/1 in-frustum labels. */ inFrustum: Tensor2D;
  /** [B, N, 3] metres, cloud frame. */ points: Tensor3D;
  /** [B, 3, 3] pixels. */ K: Tensor3D;
}

/** Every term (scalars) and the weighted total. */
export type RegistrationLosses = {
  total: Scalar; cls: Scalar; fruRotation: Scalar; fruTranslation: Scalar; fruCentre: Scalar;
  corr: Scalar; div: Scalar; camRotation: Scalar; camTranslation: Scalar;
};

/** The ablation switches the losses read (missing = true, the full model). */
export type RegistrationLossSwitches = Partial<Pick<RegistrationConfig, 'gpdm' | 'iclm'>>;

/** The recipe fields the losses read (missing = the released code's: 'yaw', 'balanced', 10 m). */
export type RegistrationLossRecipe = Partial<Pick<RegistrationConfig, 'frustumHead' | 'clsLoss' | 'coordScaleM'>>;

/**
 * The config weights with the terms a stage does not train set to 0 (gpdm: cls + fru; rest:
 * corr, div, cam), and the terms a variant does not have (no GPDM: cls + fru; no ICLM: corr + div).
 */
export function stageWeights(w: RegistrationConfig['weights'], stage: RegistrationStage, switches: RegistrationLossSwitches = {}): RegistrationConfig['weights'] {
  const g = stage === 'gpdm', j = stage === 'joint';
  const hasGpdm = switches.gpdm !== false, hasIclm = switches.iclm !== false;
  const fru = (x: number): number => ((g || j) && hasGpdm ? x : 0), kp = (x: number): number => (!g && hasIclm ? x : 0);
  if (j && hasGpdm && hasIclm) return w;
  return { cls: fru(w.cls), fruRotation: fru(w.fruRotation), fruTranslation: fru(w.fruTranslation), fruCentre: fru(w.fruCentre),
    corr: kp(w.corr), div: kp(w.div), camRotation: g ? 0 : w.camRotation, camTranslation: g ? 0 : w.camTranslation };
}

// #region registrationLoss
/**
 * All terms and total = sum of weight x term (weights from {@link stageWeights}); a term the
 * variant does not have is 0 and weighted 0.
 * @param out the model's forward output; t the ground truth
 * @param config weights, divMarginPx and the gpdm / iclm switches (missing = true); width, height: input image size, pixels
 */
export function registrationLoss(out: RegistrationOutput, t: RegistrationTarget, config: Pick<RegistrationConfig, 'weights' | 'divMarginPx'> & RegistrationLossSwitches & RegistrationLossRecipe, stage: RegistrationStage, width: number, height: number): RegistrationLosses {
  return tf.tidy(() => {
    const w = stageWeights(config.weights, stage, config);
    const zero = (): Scalar => tf.scalar(0) as Scalar;
    let cls: Scalar, fru: { rotation: Scalar; translation: Scalar }, fruCentre: Scalar;
    if (config.gpdm !== false) {
      cls = inFrustumLoss(t.inFrustum, out.inFrustumLogits, config.clsLoss ?? 'balanced');
      if ((config.frustumHead ?? 'yaw') === 'yaw') {
        const y = yawPoseLoss(out.headPose, t.camFromPoints, config.coordScaleM ?? 10);
        fru = { rotation: y.direction, translation: zero() }; fruCentre = y.centre;
      } else {
        fru = poseLoss(out.headPose, t.camFromPoints);
        const m = tf.expandDims(t.inFrustum, 1) as Tensor3D; // [B, 1, N]
        const gtCentroid = tf.div(tf.squeeze(tf.matMul(m, t.points), [1]), tf.maximum(tf.sum(m, 2), 1)); // [B, 3]
        fruCentre = tf.mean(norm(tf.sub(out.centroid, gtCentroid), 1)) as Scalar;
      }
    } else {
      cls = zero(); fru = { rotation: zero(), translation: zero() }; fruCentre = zero(); // no GPDM: not computed
    }
    const hasKp = out.keypoints2d.shape[1] > 0 && config.iclm !== false;
    const corr = hasKp ? correspondenceLoss(out.keypoints2d, out.keypoints3d, t.camFromPoints, t.K, width, height) : tf.scalar(0) as Scalar;
    const div = hasKp ? diversityLoss(out.keypoints2d, config.divMarginPx) : tf.scalar(0) as Scalar;
    const cam = poseLoss(out.camFromPoints, t.camFromPoints);
    const parts = { cls, fruRotation: fru.rotation, fruTranslation: fru.translation, fruCentre, corr, div, camRotation: cam.rotation, camTranslation: cam.translation };
    const total = (Object.keys(parts) as (keyof typeof parts)[]).reduce((s: Tensor, k) => tf.add(s, tf.mul(parts[k], w[k])), tf.scalar(0)) as Scalar;
    return { total, ...parts } as unknown as Record<string, Tensor>;
  }) as unknown as RegistrationLosses;
}
// #endregion registrationLoss
