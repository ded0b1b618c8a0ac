/**
 * Global localization (issue 13): ModaLink retrieval, then ICL registration against each
 * candidate, then a selection; the camera's pose in the map's world.
 * @see notebooks/06-global-localization.ipynb
 */
export type { LocalizationConfig, SelectionMethod, RegistrationMode } from './config.js';
export { DEFAULT_LOCALIZATION_CONFIG, SELECTION_METHODS, validateLocalizationConfig } from './config.js';
export type { LocalizationMap, BuildMapOptions, MapIndex } from './map.js';
export { buildLocalizationMap, cameraTwoPoses, groundCentres, scanDistanceM } from './map.js';
export type { LocalizationQuery, QuerySource } from './query.js';
export { loadQuery, prepareQueryImage } from './query.js';
export type { Candidate, StageSeconds, LocalizationResult, LocalizationModels } from './localize.js';
export { describeQuery, registerCandidates, worldPoseDifference, selectCandidates, selectionPose, selectionReason, makeCandidates, localize } from './localize.js';
export type { WorldError, QueryOutcome, LocalizationRow, LocalizationEvalOptions } from './evaluate.js';
export { METHOD_LABELS, nearestScan, evaluateQuery, failureCause, causeRows, summarizeLocalization, timingRows, evaluateLocalization } from './evaluate.js';
export type { ApproximateIndexConfig, ApproximateIndex } from './ann-index.js';
export { DEFAULT_APPROXIMATE_INDEX_CONFIG, validateApproximateIndexConfig, createApproximateIndex } from './ann-index.js';
export type { LocalizationCalibrationRow, LocalizationCalibrationOptions } from './calibration-sweep.js';
export { miscalibratedMap, localizationCalibrationSweep, summarizeLocalizationCalibration, writeLocalizationCalibration } from './calibration-sweep.js';
