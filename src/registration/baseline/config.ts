/**
 * The explicit-matching baseline's config: the registration fields it shares with ICL
 * (encoders, pair data, schedule) plus descriptor size, InfoNCE, the in-frustum threshold and
 * RANSAC; two presets, a validator that names the bad field, and a loader for preset names or
 * JSON files.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { checkConfigObject, mergeConfigSection, nonEmptyStringField, numberFields } from '../../core/config-fields.js';
import { readPresetConfig } from '../../core/preset-config.js';
import { REGISTRATION_PRESETS, validateRegistrationConfig, type RegistrationConfig } from '../config.js';

// #region config
/** Settings of the explicit-matching baseline. */
export interface ExplicitBaselineConfig {
  /** A label for tables. */
  name: string;
  /** Registration fields the baseline shares with ICL: encoders, pair data, headHidden, schedule (epochs, batchSize, learningRate, weightDecay, lrDecay, warmupSteps, clipGradNorm, checkpointEverySteps, seed). */
  registration: Partial<RegistrationConfig>;
  /** Channels of the L2-normalised descriptors. Paper-scale 128, laptop 64. */
  descriptorDim: number;
  /** InfoNCE temperature (cosine similarities are divided by it); (0, 10]. Default 0.1. */
  temperature: number;
  /** Loss weights: in-frustum BCE and InfoNCE. Default 1 and 1. */
  weights: { cls: number; contrastive: number };
  /** In-frustum points drawn per pair per step for InfoNCE (all when fewer). Paper-scale 512, laptop 256. */
  contrastivePoints: number;
  /** Probability above which a point counts as in the frustum at inference; (0, 1). Default 0.5. */
  inFrustumThreshold: number;
  /** RANSAC iterations. Default 500 (CorrI2P). */
  ransacIterations: number;
  /** RANSAC inlier threshold in pixels of the feature grid (1 px on the 1/4 grid = 4 px of the input, CorrI2P). Default 1. */
  reprojectionErrorGridPx: number;
  /** A PnP result counts only with at least this many inliers; >= 4. Default 12. */
  minInliers: number;
}

const BASE: Omit<ExplicitBaselineConfig, 'name' | 'registration' | 'descriptorDim' | 'contrastivePoints'> = {
  temperature: 0.1, weights: { cls: 1, contrastive: 1 }, inFrustumThreshold: 0.5,
  ransacIterations: 500, reprojectionErrorGridPx: 1, minInliers: 12,
};

/** Presets: `paper` (the paper registration preset, 128-d) and `laptop` (laptop preset, 64-d). */
export const EXPLICIT_BASELINE_PRESETS: Readonly<Record<'paper' | 'laptop', Readonly<ExplicitBaselineConfig>>> = Object.freeze({
  paper: Object.freeze({ ...BASE, name: 'explicit-paper', registration: REGISTRATION_PRESETS.paper, descriptorDim: 128, contrastivePoints: 512 }),
  laptop: Object.freeze({ ...BASE, name: 'explicit-laptop', registration: REGISTRATION_PRESETS.laptop, descriptorDim: 64, contrastivePoints: 256 }),
});
// #endregion config

const P = 'explicitBaseline';
const KEYS = Object.keys(EXPLICIT_BASELINE_PRESETS.paper) as (keyof ExplicitBaselineConfig)[];

/** A validated config: `registration` is complete. */
export type ValidExplicitBaselineConfig = Readonly<Omit<ExplicitBaselineConfig, 'registration'> & { registration: Readonly<RegistrationConfig> }>;

/**
 * Merges `partial` over `base` (default: the laptop preset; `registration` merges field by
 * field over the base's) and checks every field.
 * @throws ConfigError naming the field (e.g. `explicitBaseline.temperature`), in the wording of src/core/config-fields.ts
 */
export function validateExplicitBaselineConfig(partial: Partial<ExplicitBaselineConfig> = {}, base: Readonly<ExplicitBaselineConfig> = EXPLICIT_BASELINE_PRESETS.laptop): ValidExplicitBaselineConfig {
  checkConfigObject(P, partial, KEYS);
  const c = { ...base, ...partial, weights: mergeConfigSection(`${P}.weights`, base.weights, partial.weights) };
  const registration = validateRegistrationConfig({ ...base.registration, ...(partial.registration ?? {}) } as Partial<RegistrationConfig>);
  nonEmptyStringField(`${P}.name`, c.name);
  numberFields(P, c as unknown as Record<string, unknown>, {
    descriptorDim: { min: 0, max: 4096, minOpen: true, integer: true },
    temperature: { min: 0, max: 10, minOpen: true },
  });
  numberFields(`${P}.weights`, c.weights, { cls: { min: 0, max: 1e4 }, contrastive: { min: 0, max: 1e4 } });
  numberFields(P, c as unknown as Record<string, unknown>, {
    contrastivePoints: { min: 0, max: 1e6, minOpen: true, integer: true },
    inFrustumThreshold: { min: 0, max: 0.999999, minOpen: true },
    ransacIterations: { min: 0, max: 1e6, minOpen: true, integer: true },
    reprojectionErrorGridPx: { min: 0, max: 1e4, minOpen: true },
    minInliers: { min: 3, max: 1e9, minOpen: true, integer: true },
  });
  return Object.freeze({ ...c, registration, weights: Object.freeze({ ...c.weights }) });
}

/**
 * Resolves `laptop`, `paper`, or a JSON file `{ "extends": "laptop", ...fields }`.
 * @throws InputError naming the file when unreadable or not JSON; ConfigError for bad fields
 */
export function loadExplicitBaselineConfig(nameOrFile: string): ValidExplicitBaselineConfig {
  const { preset, fields } = readPresetConfig(nameOrFile, P, 'laptop');
  return validateExplicitBaselineConfig(fields as Partial<ExplicitBaselineConfig>, EXPLICIT_BASELINE_PRESETS[preset]);
}
