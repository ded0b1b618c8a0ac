/**
 * Configuration of the implicit-correspondence registration model (ICL, CVPR 2025): the
 * encoders, GPDM, ICLM and PRM sizes, the five losses' weights, the two-stage schedule and
 * the pair data it trains on. Presets `paper` and `laptop`; {@link validateRegistrationConfig}
 * merges and checks every field; {@link loadRegistrationConfig} reads a preset name or a JSON file.
 *
 * Units: metres, pixels of the network's input image (the pair crop), radians.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { ConfigError } from '../core/errors.js';
import { booleanField, checkConfigObject, mergeConfigSection, nonEmptyStringField, numberField, numberFields, oneOfField, type NumberSpec } from '../core/config-fields.js';
import { readPresetConfig } from '../core/preset-config.js';
import { checkOptimizerFields } from '../train/optimizer-fields.js';
import { PAIR_PRESETS, validatePairConfig, type PairConfig } from '../data/pairs/config.js';
import { IMAGE_ENCODER_PRESETS, validateImageEncoderConfig, type ImageEncoderConfig } from './image-encoder.js';
import { POINT_ENCODER_PRESETS, validatePointEncoderConfig, type PointEncoderConfig } from './point-encoder.js';
import { REGISTRATION_STAGES, type RegistrationStage } from './stages.js';
import { validateFrustumFitConfig, type FrustumFitConfig } from './frustum-fit.js';
import { validateBearingConfig, type BearingConfig } from './bearing-polar.js';

export type { RegistrationStage } from './stages.js';

// #region config
/** Registration settings. */
export interface RegistrationConfig {
  /** A label for tables. */
  name: string;
  /** Encoder preset the overrides below apply to: 'paper' or 'laptop'. */
  encoderPreset: 'paper' | 'laptop';
  /** Image-encoder fields over the preset (e.g. `{ inputHeightPx: 32 }`). */
  imageEncoder: Partial<ImageEncoderConfig>;
  /** Point-encoder fields over the preset. */
  pointEncoder: Partial<PointEncoderConfig>;
  /** Pair data preset ('paper' 160 x 512 / 40960 points, 'laptop' 80 x 256 / 4096). */
  pairPreset: 'paper' | 'laptop';
  /** Pair fields over that preset (crop size, numPoints, seed...). */
  pairs: Partial<PairConfig>;
  /** Channels of the query decoder and of the projected pixel / point tokens. Paper 128. */
  dModel: number;
  /** Learnable queries N_q. Paper 64. */
  numQueries: number;
  /** ICLM layers L. Paper 3. */
  layers: number;
  /** Attention heads (divide dModel). Paper 4. */
  heads: number;
  /** Hidden width of the ICLM feed-forward blocks (0 = none). Paper 256. */
  ffnHidden: number;
  /** Hidden width of the GPDM and PRM MLPs. Paper 256. */
  headHidden: number;
  /**
   * Ablation switch, default true. false = "without GPDM": no in-frustum classification and no
   * frustum pose; ICLM attends to ALL points (mask of ones), PRM's residual is applied on top of
   * the identity (it regresses the pose directly), L_cls and L_fru are not computed. Stage
   * 'gpdm' is then rejected; 'rest' and 'joint' train the encoders + ICLM + PRM.
   */
  gpdm: boolean;
  /**
   * Ablation switch, default true. false = "without ICLM (queries replaced by pooled features)":
   * no learnable queries; PRM gets one pooled "query" (the mean of the projected pixel tokens,
   * the masked mean of the projected point tokens, the mean pixel centre and the masked mean
   * point; see iclm.ts). L_corr and L_div are not applicable and not computed.
   */
  iclm: boolean;
  /**
   * GPDM's frustum-pose head. 'yaw' (default; ICL's released code, kitti/stage_1/model.py): a
   * 4-vector, a heading direction (2 numbers, normalised) and the camera centre on the ground
   * plane (x, z; y = 0), so R is a rotation about the camera's vertical axis and t = -R c; the
   * CorrI2P protocol perturbs only yaw and x / z, so this is the protocol's prior. '6d': a
   * general rotation (6D, Gram-Schmidt) and a 3D centre, for protocols that perturb more.
   * The losses follow the head (see losses.ts).
   */
  frustumHead: 'yaw' | '6d';
  /**
   * Default true (the released code): the frustum-pose head reads DETACHED classifier scores
   * and features, so L_fru trains the pose MLP alone and never the classifier or the encoders.
   * false: the pose loss also flows through the probability-weighted pooling into them.
   */
  detachFrustumHead: boolean;
  /**
   * In-frustum classification loss. 'balanced' (default; CorrI2P, VP2P-Match): the mean BCE over
   * the in-frustum points and the mean over the rest, averaged (about 17 % of points are in
   * view, so plain BCE is dominated by the outside). 'bce': BCE averaged over all points.
   */
  clsLoss: 'balanced' | 'bce';
  /**
   * Where the frustum pose that ICLM and PRM build on comes from. 'head' (default; the released
   * code): GPDM's pose MLP. 'fit': searched so that its frustum agrees with the classifier's
   * logits (registration/frustum-fit.ts; yaw and ground-plane centre, the CorrI2P protocol's
   * degrees of freedom), outside the gradient tape. The head still trains on L_fru either way.
   * Stage 'gpdm' forwards use the head's pose. 'bearing' (issue 11; not in the papers): the
   * LiDAR's centre found from its ring structure and the heading from a small network that
   * slides the image's columns around a polar image of the scan (bearing-polar.ts, bearing.ts),
   * trained alone in stage 'bearing'; GPDM's classifier and head still run and train as before.
   */
  frustumPose: 'head' | 'fit' | 'bearing';
  /** Settings of the bearing frustum pose (see {@link BearingConfig}). */
  bearing: Partial<BearingConfig>;
  /** Settings of the fit (see {@link FrustumFitConfig}); the first level's halfM should cover the pairs' maxTranslationM. */
  frustumFit: Partial<FrustumFitConfig>;
  /**
   * The image summary GPDM fuses into every point. 'mean' (default): the last ResNet stage
   * averaged over all its pixels (what is in view, not where). 'columns': averaged over rows
   * only, one feature per column band, concatenated left to right (w_L x widths.last numbers),
   * so the classifier can tell what is at which bearing: the information that fixes the yaw.
   */
  imageGlobal: 'mean' | 'columns';
  /**
   * How GPDM's classifier sees the image. 'global' (default; the summary above added to every
   * point): a point can only learn priors such as its distance from the scan's centre, not the
   * heading (measured: `frontAuc` 0.50 after 2 epochs). 'attention': the points of SA level
   * `gpdmFusionLevel` attend to the image's per-pixel features (cross-attention, `heads` heads) and
   * the result is interpolated back to every point, so a point can look for its match in the image.
   */
  gpdmFusion: 'global' | 'attention';
  /** SA level (1-based) whose points attend to the pixels with gpdmFusion 'attention'; 0 = the coarsest. Default 0. */
  gpdmFusionLevel: number;
  /** Metres: point coordinates are divided by this before entering an MLP (not the keypoints). Default 10. */
  coordScaleM: number;
  /** Weights of the losses. Code of ICL: 1 for rotation / translation, 0.1 for reprojection and frustum centre. */
  weights: { cls: number; fruRotation: number; fruTranslation: number; fruCentre: number; corr: number; div: number; camRotation: number; camTranslation: number };
  /** L_div hinge margin, pixels of the input image: 16 on the paper's 512-px-wide crop; scale with the crop (8 at 256). */
  divMarginPx: number;
  /** Stage this run trains (see {@link RegistrationStage}). */
  stage: RegistrationStage;
  /** Epochs of that stage. */
  epochs: number;
  /** Pairs per step. */
  batchSize: number;
  /** Adam learning rate. Paper 1e-4. */
  learningRate: number;
  /** L2 weight decay added to the gradient (PyTorch Adam's weight_decay). Paper 1e-6. */
  weightDecay: number;
  /** Learning-rate factor per epoch. Paper 0.95. */
  lrDecay: number;
  /** Steps of linear learning-rate warm-up at the start of a stage (lr x (step + 1) / warmupSteps), integer >= 0. Default 0 (none, as ICL's code). */
  warmupSteps: number;
  /** Clip the gradients to this global L2 norm (torch's clip_grad_norm_), > 0; null = no clipping. Default null (ICL's code does not clip). */
  clipGradNorm: number | null;
  /** Save a checkpoint every this many steps (and at each epoch end). */
  checkpointEverySteps: number;
  /** Seed of the weights and of every training draw. */
  seed: number;
}

const WEIGHTS = Object.freeze({ cls: 1, fruRotation: 1, fruTranslation: 1, fruCentre: 0.1, corr: 0.1, div: 0.1, camRotation: 1, camTranslation: 1 });

const PAPER: RegistrationConfig = {
  name: 'paper', encoderPreset: 'paper', imageEncoder: {}, pointEncoder: {}, pairPreset: 'paper', pairs: {},
  gpdm: true, iclm: true, frustumHead: 'yaw', detachFrustumHead: true, clsLoss: 'balanced', frustumPose: 'head', frustumFit: {}, bearing: {}, imageGlobal: 'mean', gpdmFusion: 'global', gpdmFusionLevel: 0, dModel: 128, numQueries: 64, layers: 3, heads: 4, ffnHidden: 256, headHidden: 256, coordScaleM: 10,
  weights: WEIGHTS, divMarginPx: 16, stage: 'gpdm', epochs: 25, batchSize: 8,
  learningRate: 1e-4, weightDecay: 1e-6, lrDecay: 0.95, warmupSteps: 0, clipGradNorm: null, checkpointEverySteps: 500, seed: 0,
};

/** The paper configuration. */
export const DEFAULT_REGISTRATION_CONFIG: Readonly<RegistrationConfig> = Object.freeze(PAPER);

/**
 * Presets. `paper`: paper encoders, N_q 64, L 3, 4 heads, d 128, pairs 160 x 512.
 * `laptop`: laptop encoders (64 channels), N_q 32, L 2, d 64, pairs 80 x 256 / 4096 points, margin 8 px.
 */
export const REGISTRATION_PRESETS: Readonly<Record<'paper' | 'laptop', Readonly<RegistrationConfig>>> = Object.freeze({
  paper: DEFAULT_REGISTRATION_CONFIG,
  laptop: Object.freeze({
    ...PAPER, name: 'laptop', encoderPreset: 'laptop', pairPreset: 'laptop', dModel: 64, numQueries: 32, layers: 2,
    ffnHidden: 128, headHidden: 128, divMarginPx: 8, epochs: 4, batchSize: 4, learningRate: 5e-4, checkpointEverySteps: 200,
  } as RegistrationConfig),
});
// #endregion config

const P = 'registration';
const KEYS = Object.keys(PAPER) as (keyof RegistrationConfig)[];
const int = (min: number, max: number): NumberSpec => ({ min, max, integer: true });


// #region validate
/**
 * Merges `partial` over `base` (default: paper) and checks every field, including the
 * nested encoder and pair overrides and that the encoder input size equals the pair crop.
 * Fields missing from `partial` come from `base`, so a run's config written before the
 * `gpdm` / `iclm` switches existed loads with both true (the full model).
 * @throws ConfigError naming the field (e.g. `registration.weights.div`)
 */
export function validateRegistrationConfig(partial: Partial<RegistrationConfig> = {}, base: Readonly<RegistrationConfig> = DEFAULT_REGISTRATION_CONFIG): Readonly<RegistrationConfig> {
  checkConfigObject(P, partial, KEYS);
  const weights = mergeConfigSection(`${P}.weights`, base.weights, partial.weights);
  const c = { ...base, ...partial, weights } as RegistrationConfig;
  nonEmptyStringField(`${P}.name`, c.name);
  for (const f of ['encoderPreset', 'pairPreset'] as const) oneOfField(`${P}.${f}`, c[f], ['paper', 'laptop']);
  const img = validateImageEncoderConfig(c.imageEncoder, IMAGE_ENCODER_PRESETS[c.encoderPreset]);
  const pointEncoder = validatePointEncoderConfig(c.pointEncoder, POINT_ENCODER_PRESETS[c.encoderPreset]);
  const pairs = validatePairConfig(c.pairs, PAIR_PRESETS[c.pairPreset]);
  if (img.inputHeightPx !== pairs.cropHeight || img.inputWidthPx !== pairs.cropWidth) {
    throw new ConfigError(`${P}.imageEncoder.inputHeightPx`, `the image encoder's ${img.inputHeightPx} x ${img.inputWidthPx} must equal the pair crop ${pairs.cropHeight} x ${pairs.cropWidth}`);
  }
  for (const f of ['gpdm', 'iclm', 'detachFrustumHead'] as const) booleanField(`${P}.${f}`, c[f]);
  oneOfField(`${P}.frustumHead`, c.frustumHead, ['yaw', '6d']);
  oneOfField(`${P}.clsLoss`, c.clsLoss, ['balanced', 'bce']);
  oneOfField(`${P}.frustumPose`, c.frustumPose, ['head', 'fit', 'bearing']);
  if (c.stage === 'bearing' && c.frustumPose !== 'bearing') throw new ConfigError(`${P}.stage`, "stage 'bearing' trains the bearing network of frustumPose: 'bearing'; set frustumPose to 'bearing'");
  oneOfField(`${P}.imageGlobal`, c.imageGlobal, ['mean', 'columns']);
  oneOfField(`${P}.gpdmFusion`, c.gpdmFusion, ['global', 'attention']);
  numberField(`${P}.gpdmFusionLevel`, c.gpdmFusionLevel, { min: 0, max: pointEncoder.npoints.length, integer: true });
  const frustumFit = validateFrustumFitConfig(c.frustumFit);
  const bearing = validateBearingConfig(c.bearing);
  const r = c as unknown as Record<string, unknown>;
  numberFields(P, r, { dModel: int(1, 4096), numQueries: int(1, 4096), layers: int(1, 64), heads: int(1, 64) });
  if (c.dModel % c.heads !== 0) throw new ConfigError(`${P}.heads`, `dModel ${c.dModel} is not a multiple of heads ${c.heads}`);
  numberFields(P, r, { ffnHidden: int(0, 16384), headHidden: int(1, 16384), coordScaleM: { min: 0, max: 1e4, minOpen: true } });
  numberFields(`${P}.weights`, weights, Object.fromEntries(Object.keys(weights).map((k) => [k, { min: 0, max: 1e4 }])));
  numberField(`${P}.divMarginPx`, c.divMarginPx, { min: 0, max: 1e4 });
  oneOfField(`${P}.stage`, c.stage, REGISTRATION_STAGES);
  if (!c.gpdm && c.stage === 'gpdm') {
    throw new ConfigError(`${P}.stage`, "stage 'gpdm' needs gpdm: true; without GPDM use 'rest' or 'joint' (both train the encoders + ICLM + PRM)");
  }
  numberFields(P, r, {
    epochs: int(1, 1e6), batchSize: int(1, 4096), learningRate: { min: 0, max: 1, minOpen: true }, weightDecay: { min: 0, max: 1 },
    lrDecay: { min: 0, max: 1, minOpen: true }, checkpointEverySteps: int(1, 1e9), seed: int(0, 2 ** 32 - 1),
  });
  checkOptimizerFields(P, r);
  return Object.freeze({ ...c, frustumFit, bearing, weights: Object.freeze({ ...c.weights }) });
}
// #endregion validate

/**
 * The recipe switches a run config written before they existed (issue 11) stands for: the
 * general 6D head, undetached, plain BCE. Fields the config has win.
 */
export const PRE_RECIPE_SWITCHES: Readonly<Pick<RegistrationConfig, 'frustumHead' | 'detachFrustumHead' | 'clsLoss' | 'imageGlobal' | 'gpdmFusion'>> = Object.freeze({ frustumHead: '6d', detachFrustumHead: false, clsLoss: 'bce', imageGlobal: 'mean', gpdmFusion: 'global' });

/** A stored run config with the recipe switches it was trained with (see {@link PRE_RECIPE_SWITCHES}). */
export function storedRegistrationConfig(stored: Partial<RegistrationConfig>): Readonly<RegistrationConfig> {
  return validateRegistrationConfig({ ...PRE_RECIPE_SWITCHES, ...stored });
}

/** The validated pair config a registration config trains and tests on. */
export function registrationPairConfig(c: Readonly<RegistrationConfig>): Readonly<PairConfig> {
  return validatePairConfig(c.pairs, PAIR_PRESETS[c.pairPreset]);
}

/**
 * Resolves `laptop`, `paper`, or a JSON file `{ "extends": "laptop", ...fields }` (default base: paper).
 * @throws InputError naming the file when unreadable or not JSON; ConfigError for bad fields
 */
export function loadRegistrationConfig(nameOrFile: string, overrides: Partial<RegistrationConfig> = {}): Readonly<RegistrationConfig> {
  const { preset, fields } = readPresetConfig(nameOrFile, P, 'paper');
  return validateRegistrationConfig({ ...fields, ...overrides } as Partial<RegistrationConfig>, REGISTRATION_PRESETS[preset]);
}
