/**
 * Metrics: pure functions on typed arrays (plus the tfjs nearest-neighbour search that
 * feeds them). Hand-curated: add each new metric here.
 */
export { searchNearest, rankByDistance, computeRecall, DEFAULT_RECALL_CONFIG } from './recall.js';
export type { SearchOptions, RecallConfig, RecallResult } from './recall.js';
export type { PoseSuccessConfig, PoseError, MeanStd, PoseSummary } from './pose.js';
export {
  DEFAULT_POSE_SUCCESS_CONFIG, validatePoseSuccessConfig, relativePose, poseError, summarizePoseErrors,
} from './pose.js';
