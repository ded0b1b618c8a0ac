/**
 * The explicit-matching baseline (the pre-ICL methods, CorrI2P-style), one idea per file:
 * config.ts (presets, validation), model.ts (encoders + descriptor heads + in-frustum
 * classifier), targets.ts (ground-truth cells, InfoNCE slots), losses.ts (BCE + InfoNCE),
 * matching.ts (nearest cell -> EPnP-RANSAC -> pose; how many matches were right), train.ts, evaluate.ts.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
export type { ExplicitBaselineConfig, ValidExplicitBaselineConfig } from './config.js';
export { EXPLICIT_BASELINE_PRESETS, validateExplicitBaselineConfig, loadExplicitBaselineConfig } from './config.js';
export type { ExplicitBaselineOutput, ExplicitBaselineModel } from './model.js';
export { createExplicitBaseline } from './model.js';
export type { ContrastiveTargets } from './targets.js';
export { groundTruthCells, contrastiveTargets } from './targets.js';
export type { ExplicitBaselineLosses } from './losses.js';
export { contrastiveLoss, explicitBaselineLoss } from './losses.js';
export type { MatchOptions, ExplicitPrediction, ExplicitPairPrediction, MatchDiagnostics } from './matching.js';
export { matchDiagnostics, nearestCells, poseFromDescriptors, predictExplicit } from './matching.js';
export type { ExplicitStepReport, ExplicitTrainOptions } from './train.js';
export { explicitBaselineStep, trainExplicitBaseline } from './train.js';
export type { ExplicitEvalOptions, ExplicitEvalResult } from './evaluate.js';
export { loadExplicitBaselineRun, evaluateExplicitBaseline } from './evaluate.js';
