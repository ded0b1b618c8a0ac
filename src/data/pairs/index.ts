/**
 * Image / point-cloud pairs for registration (the CorrI2P protocol used by CorrI2P,
 * VP2P-Match and ICL) on a KITTI-layout root: real KITTI odometry or the embedded
 * synthetic data. Hand-curated exports.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
export type { PairConfig, PairConfigInput, SequenceSelector } from './config.js';
export { PAIR_PRESETS, DEFAULT_PAIR_CONFIG, validatePairConfig } from './config.js';
export type { ResizeFilter } from './image-ops.js';
export { toUnitFloat, resizeImage, cropImage } from './image-ops.js';
export type { Perturbation } from './perturbation.js';
export { makePerturbation, samplePerturbation, testPairSeed } from './perturbation.js';
export type { PairSplit, PairCrop, ImagePointPair, BuildPairOptions, PairSource } from './build-pair.js';
export { buildPair, loadPairSource, pairFromSource, resizePairImage, centreCropPairImage, loadPairCloud, drawNeighbourFrame, cameraMotion, neighbourPairSource } from './build-pair.js';
export type { PairRef, PairDatasetOptions } from './pair-dataset.js';
export { PairDataset, selectSequences, sourceImageScale, isSyntheticRoot } from './pair-dataset.js';
