/**
 * Implicit-correspondence registration (issue 5): image (ResNet-FPN) and point
 * (PointNet++-style) encoders, GPDM, ICLM, PRM, the five losses, two-stage training,
 * evaluation, the ablation table (gpdm / iclm switches, N_q, L), the PnP-RANSAC solver, and the
 * explicit-matching baseline (baseline/, one idea per file).
 */
export type { RegistrationStage, RegistrationConfig } from './config.js';
export { REGISTRATION_STAGES, isRegistrationStage } from './stages.js';
export {
  DEFAULT_REGISTRATION_CONFIG, REGISTRATION_PRESETS, validateRegistrationConfig, registrationPairConfig, loadRegistrationConfig,
  PRE_RECIPE_SWITCHES, storedRegistrationConfig,
} from './config.js';
export type { GpdmSizes, GpdmOutput, Gpdm } from './gpdm.js';
export { createGpdm, geometricMask, yawHead } from './gpdm.js';
export type { FrustumFitLevel, FrustumFitConfig, FrustumFit } from './frustum-fit.js';
export { DEFAULT_FRUSTUM_FIT_CONFIG, validateFrustumFitConfig, fitFrustumPose, yawPose } from './frustum-fit.js';
export type { BearingConfig } from './bearing-polar.js';
export { DEFAULT_BEARING_CONFIG, POLAR_CHANNELS, validateBearingConfig, polarImage, polarImages, sensorCentre, poseHeading, poseCentre, cameraOffsetInCloud } from './bearing-polar.js';
export type { BearingNet } from './bearing.js';
export { createBearingNet, headingLoss, bestHeading } from './bearing.js';
export type { GpdmMetrics } from './gpdm-metrics.js';
export { gpdmMetrics } from './gpdm-metrics.js';
export { formatPoseLines, readPoseLines } from './pose-files.js';
export type { IclmSizes, IclmOutput, Iclm } from './iclm.js';
export { createIclm } from './iclm.js';
export type { PrmSizes, PrmOutput, Prm } from './prm.js';
export { createPrm } from './prm.js';
export type { RegistrationBatch, RegistrationOutput, RegistrationModel } from './model.js';
export { createRegistrationModel, bearingFrustumPoses } from './model.js';
export type { RegistrationTarget, RegistrationLosses } from './losses.js';
export type { RegistrationLossSwitches, RegistrationLossRecipe } from './losses.js';
export { poseLoss, inFrustumLoss, yawPoseLoss, correspondenceLoss, diversityLoss, stageWeights, registrationLoss } from './losses.js';
export type { PairBatch, PairSourceCache } from './pair-batches.js';
export { createPairSourceCache, stackPairs, disposeBatch } from './pair-batches.js';
export type { RegistrationStepReport, RegistrationTrainOptions, RegistrationTrainResult } from './train.js';
export { fitFixedBatch, registrationStep, bearingStep, trainRegistration, GPDM_GROUP_PATTERN } from './train.js';
export type { RegistrationResultRow, RegistrationEvalOptions, RegistrationEvalOverrides, PairPredictions } from './evaluate.js';
export { resultRow, modelMethodLabel, loadRegistrationRun, predictPoses, pairLidarCentres, evaluateRegistration, bearingImageControl, BEARING_ROW, BEARING_CONTROL_ROW } from './evaluate.js';
export type { RegistrationAblationVariant, RegistrationAblationRow } from './ablation.js';
export { registrationAblationRows } from './ablation.js';
export type { ImageEncoderConfig, ImageEncoder, ImageEncoderOutput } from './image-encoder.js';
export { DEFAULT_IMAGE_ENCODER_CONFIG, IMAGE_ENCODER_PRESETS, validateImageEncoderConfig, createImageEncoder } from './image-encoder.js';
export type { PointEncoderConfig, PointEncoder, PointEncoderOutput, PointLevel } from './point-encoder.js';
export { DEFAULT_POINT_ENCODER_CONFIG, POINT_ENCODER_PRESETS, validatePointEncoderConfig, createPointEncoder } from './point-encoder.js';
export type { OpenCv } from './opencv.js';
export { loadOpenCv } from './opencv.js';
export type { PnpRansacConfig, PnpRansacResult } from './pnp-ransac.js';
export { DEFAULT_PNP_RANSAC_CONFIG, validatePnpRansacConfig, solvePnpRansac, solvePnpRansacSync } from './pnp-ransac.js';
export type {
  ExplicitBaselineConfig, ValidExplicitBaselineConfig, ExplicitBaselineModel, ExplicitBaselineOutput, ExplicitPrediction,
  ExplicitStepReport, ExplicitTrainOptions, ExplicitEvalOptions, ExplicitEvalResult,
} from './baseline/index.js';
export {
  EXPLICIT_BASELINE_PRESETS, validateExplicitBaselineConfig, loadExplicitBaselineConfig, createExplicitBaseline,
  contrastiveLoss, explicitBaselineLoss, explicitBaselineStep, trainExplicitBaseline, predictExplicit,
  loadExplicitBaselineRun, evaluateExplicitBaseline,
} from './baseline/index.js';
