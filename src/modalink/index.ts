/**
 * ModaLink place recognition (issue 4): config presets, the model (shared encoder, NMF and
 * MLP branches, NetVLAD), the data view (camera images and FoV depth images), lazy triplet
 * training with checkpoints, recall evaluation with baselines, and a PCA-reduced resident
 * descriptor database.
 */
export type { ModaLinkConfig } from './config.js';
export { DEFAULT_MODALINK_CONFIG, MODALINK_PRESETS, validateModaLinkConfig, loadModaLinkConfig } from './config.js';
export type { Modality, ModaLinkOutput, ModaLinkModel } from './model.js';
export { createModaLinkModel } from './model.js';
export type { SequenceViewOptions, SequenceView } from './data.js';
export { KITTI_IMAGE_WIDTH_PX, cropTopRows, createSequenceView, frameCacheKey, modalinkImageU8 } from './data.js';
export type { Protocol, FrameSet, TestSplit, ProtocolSplits } from './splits.js';
export { PROTOCOLS, protocolSplits, syntheticAlignment } from './splits.js';
export type { CheckpointModel, CheckpointState } from '../train/checkpoint.js';
export { writeFileAtomic, saveCheckpoint, readCheckpointState, loadCheckpoint } from '../train/checkpoint.js';
export type { StepReport, TrainOptions, TrainResult } from './train.js';
export { NonFiniteLossError, trainingViews, trainModaLink, jitterImages, storedTrainRoots } from './train.js';
export type { EvaluateOptions, RecallRow, RecallCurveRow } from './evaluate.js';
export { describeView, recallFromDescriptors, chanceRecall, overallRows, evaluateRun, loadModaLinkRun } from './evaluate.js';
export type { PcaProjection } from './descriptor-pca.js';
export { pcaProject } from './descriptor-pca.js';
export type { RandomizedPcaConfig, PcaBasis } from './randomized-pca.js';
export { DEFAULT_RANDOMIZED_PCA_CONFIG, fitPcaBasis } from './randomized-pca.js';
export type { PcaDatabaseConfig, PcaDatabase } from './pca-database.js';
export { DEFAULT_PCA_DATABASE_CONFIG, createPcaDatabase } from './pca-database.js';
export type { ModaLinkLossConfig, ModaLinkLossInputs } from './losses.js';
export {
  DEFAULT_MODALINK_LOSS_CONFIG, validateModaLinkLossConfig, lazyTripletLoss, midLevelTripletLoss, modaLinkLoss,
} from './losses.js';
export {
  KITTI_POSE_X, KITTI_POSE_Z, groundPositionsFromPoses, groundDistance, groundDistanceMatrix, positivesWithin, sampleNegatives,
} from './ground-distance.js';
export type { AblationVariant, AblationRow } from './ablation.js';
export { ablationRows } from './ablation.js';
export type { CalibrationErrorKind, CalibrationRow, CalibrationSummaryRow, CalibrationRobustnessOptions } from './calibration-robustness.js';
export {
  CALIBRATION_LEVELS, seededDirections, calibrationError, calibrationRobustness, summarizeCalibration, dropPoint, writeCalibrationTables,
} from './calibration-robustness.js';
