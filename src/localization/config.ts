/**
 * Settings of global localization (issue 13): how many scans retrieval hands to registration,
 * which registration runs, how the winner is chosen, and what counts as a success.
 * @see notebooks/06-global-localization.ipynb
 */
import { checkConfigObject, numberFields, oneOfField } from '../core/config-fields.js';

/**
 * How the winner among the k registered candidates is chosen:
 * - `retrieval`: the best-ranked scan (registration only turns its pose);
 * - `heading`: the candidate whose heading the bearing network is surest of (softmax peak);
 * - `match`: the candidate whose scan the image matches best at its heading (the bearing network's best score);
 * - `agreement`: the candidate whose world pose the most other candidates agree with (within
 *   agreeM and agreeDeg), ties to the better retrieval rank;
 * - `consensus`: agreement's candidate, its position replaced by the mean position of it and the
 *   candidates that agree with it (its rotation kept).
 */
export type SelectionMethod = 'retrieval' | 'heading' | 'match' | 'agreement' | 'consensus';
/** The selection methods, in the tables' order. */
export const SELECTION_METHODS: readonly SelectionMethod[] = Object.freeze(['retrieval', 'heading', 'match', 'agreement', 'consensus']);

/**
 * Which registration runs against a candidate: `bearing` = the shipped model's frustum pose
 * alone (LiDAR centre known from the map, heading from the bearing network); `full` = the whole
 * ICL forward pass (GPDM + ICLM + PRM on top of that frustum pose); `bearing-along` = the bearing
 * frustum pose with the centre also searched along the scan's optical axis (a model trained with
 * bearing.alongHalfM > 0): the only mode that moves the position away from the chosen scan.
 */
export type RegistrationMode = 'bearing' | 'full' | 'bearing-along';
/** The registration modes. */
export const REGISTRATION_MODES: readonly RegistrationMode[] = Object.freeze(['bearing', 'full', 'bearing-along']);

// #region config
/** Localization settings; metres and degrees where named. */
export interface LocalizationConfig {
  /** Scans retrieval hands to registration, integer in [1, 100]. Default 5. */
  topK: number;
  /** How the winner is chosen. Default 'retrieval' (on the embedded data's drive 02 the other two did not do better: figures/06-global-localization). */
  selection: SelectionMethod;
  /** Registration against each candidate. Default 'bearing' (see {@link RegistrationMode}). */
  registration: RegistrationMode;
  /** `agreement`: two candidates' world poses agree within this distance, metres. Default 2. */
  agreeM: number;
  /** `agreement`: ... and this rotation angle, degrees. Default 5. */
  agreeDeg: number;
  /** Success: camera-centre error below this, metres (with successDeg). Default 2. */
  successM: number;
  /** Success: rotation angle below this, degrees. Default 5. */
  successDeg: number;
  /** The looser success level, metres (with looseDeg). Default 5. */
  looseM: number;
  /** Default 10. */
  looseDeg: number;
  /** The target's population: queries whose true position lies within this of a map scan, metres. Default 10. */
  coverageM: number;
}

/** Defaults: top 5, the top-1 kept (selection 'retrieval'), bearing registration, success at 2 m / 5 deg (and 5 m / 10 deg). */
export const DEFAULT_LOCALIZATION_CONFIG: Readonly<LocalizationConfig> = Object.freeze({
  topK: 5, selection: 'retrieval', registration: 'bearing', agreeM: 2, agreeDeg: 5, successM: 2, successDeg: 5, looseM: 5, looseDeg: 10, coverageM: 10,
});
// #endregion config

/**
 * Merges `partial` over {@link DEFAULT_LOCALIZATION_CONFIG} and checks every field.
 * @throws ConfigError naming the field (e.g. `localization.topK`)
 */
export function validateLocalizationConfig(partial: Partial<LocalizationConfig> = {}): Readonly<LocalizationConfig> {
  checkConfigObject('localization', partial, Object.keys(DEFAULT_LOCALIZATION_CONFIG));
  const c = { ...DEFAULT_LOCALIZATION_CONFIG, ...partial };
  oneOfField('localization.selection', c.selection, SELECTION_METHODS);
  oneOfField('localization.registration', c.registration, REGISTRATION_MODES);
  const pos = { min: 0, minOpen: true, max: 1e6 };
  numberFields('localization', c as unknown as Record<string, unknown>, {
    topK: { min: 1, max: 100, integer: true }, agreeM: pos, agreeDeg: pos, successM: pos, successDeg: pos, looseM: pos, looseDeg: pos, coverageM: pos,
  });
  return Object.freeze(c);
}
