/**
 * Metrics: pure functions on typed arrays (plus the tfjs nearest-neighbour search that
 * feeds them). Hand-curated: add each new metric here.
 */
export { searchNearest, rankByDistance, computeRecall, DEFAULT_RECALL_CONFIG } from './recall.js';
export type { SearchOptions, RecallConfig, RecallResult } from './recall.js';
export type { DatabaseStorage, ResidentDatabaseConfig, ResidentDatabase, SearchResult } from './resident-database.js';
export { DEFAULT_RESIDENT_DATABASE_CONFIG, validateResidentDatabaseConfig, createResidentDatabase } from './resident-database.js';
export type { Int8Rows } from './descriptor-codecs.js';
export { HALF_MAX, HALF_TABLE, toHalfBits, encodeHalf, decodeHalf, quantizeRowsInt8 } from './descriptor-codecs.js';
export type { PrecisionRecall } from './classification.js';
export { rocAuc, precisionRecall } from './classification.js';
export type { PoseSuccessConfig, PoseError, MeanStd, PoseSummary } from './pose.js';
export {
  DEFAULT_POSE_SUCCESS_CONFIG, validatePoseSuccessConfig, relativePose, poseError, summarizePoseErrors,
} from './pose.js';
export type { SeedSummaryOptions, SeedSummaryRow } from './seed-summary.js';
export { summarizeSeeds } from './seed-summary.js';
