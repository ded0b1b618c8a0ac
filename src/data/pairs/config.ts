/**
 * Configuration of the image / point-cloud pairs of the registration task (the CorrI2P
 * protocol, shared by VP2P-Match and ICL): presets `paper` and `laptop`, defaults and
 * validation.
 *
 * Convention (image scale): `imageScale` is relative to a FULL-resolution KITTI image
 * (1241 x 376, fx about 718 px). Stored images made at another scale (the synthetic
 * generator writes `camera.scale`, e.g. 0.5 for 620 x 188, into its manifest) are resized
 * by `imageScale / sourceScale`, so a crop of the same size sees the same field of view on
 * KITTI and on the synthetic data. The exact factor per axis is `round(W f) / W` (like
 * cv2.resize to a size), and the intrinsics follow it exactly.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { checkConfigObject, expectField, intField, nonEmptyStringField, numberField, oneOfField } from '../../core/config-fields.js';

/** Which sequences a split takes: explicit ids, or relative to the sequences present. */
export type SequenceSelector = readonly number[] | 'all-but-last' | 'last';

// #region config
/** Pair settings: metres, radians, pixels. */
export interface PairConfig {
  /** A label for tables. */
  name: string;
  /** Seed of the fixed test perturbations (per pair, see perturbation.ts) and of a dataset's training stream. */
  seed: number;
  /** Voxel side of the downsampling of the whole scan, metres (> 0). Paper 0.1. */
  voxelM: number;
  /** Points per pair after the seeded subsample (CorrI2P pads by repetition when fewer). Paper 40960. */
  numPoints: number;
  /** Image resize factor relative to full-resolution KITTI (see the file note), (0, 2]. Paper 0.5. */
  imageScale: number;
  /** Resize filter: 'bilinear' (cv2 INTER_LINEAR, the papers' code) or 'area' (box average, no aliasing). */
  resizeFilter: 'bilinear' | 'area';
  /** Crop height, pixels (rows). Paper 160. */
  cropHeight: number;
  /** Crop width, pixels (columns). Paper 512. */
  cropWidth: number;
  /** Perturbation translation: uniform in [-maxTranslationM, maxTranslationM] along camera x and z (none along y), metres. Paper 10. */
  maxTranslationM: number;
  /** Perturbation rotation about the camera's vertical (y) axis: uniform in [-maxRotationRad, maxRotationRad], radians in [0, pi]. Paper pi. */
  maxRotationRad: number;
  /** Points count as in the frustum when their camera depth z > frustumMinDepthM, metres. Paper 0. */
  frustumMinDepthM: number;
  /** Colour cameras that give pairs (each frame gives one pair per camera whose image exists). Paper [2, 3]. */
  cameras: readonly (2 | 3)[];
  /** Training sequences of a real KITTI root. Paper 00-08. */
  trainSequences: SequenceSelector;
  /** Test sequences of a real KITTI root. Paper 09-10. */
  testSequences: SequenceSelector;
  /** Training sequences of a synthetic root (one with a synthetic manifest). Default 'all-but-last' (default preset: 00-02). */
  syntheticTrainSequences: SequenceSelector;
  /** Test sequences of a synthetic root. Default 'last' (default preset: 03, a drive of its own through the same town). */
  syntheticTestSequences: SequenceSelector;
  /**
   * Training pairs only (integer >= 0; 0 = the CorrI2P protocol, every pair's cloud is its own
   * frame's scan). With n > 0 a training pair's cloud is the scan of a frame up to n frames
   * before or after the image's (uniform over the 2n + 1 offsets; the image's own frame when that
   * frame has no scan), moved into the image's camera frame with the sequence's poses: the photo
   * was taken away from the scan, as a query photo is in global localization (src/localization).
   * The ground truth and the in-frustum labels follow the true camera; `lidarOriginCam` stays the
   * rig's calibration, the only prior a query has. Test pairs never change. Default 0.
   */
  neighbourFrames: number;
}

/** The papers' protocol on KITTI odometry (CorrI2P, VP2P-Match, ICL). */
const PAPER: Readonly<PairConfig> = Object.freeze({
  name: 'paper',
  seed: 2025,
  voxelM: 0.1,
  numPoints: 40960,
  imageScale: 0.5,
  resizeFilter: 'bilinear',
  cropHeight: 160,
  cropWidth: 512,
  maxTranslationM: 10,
  maxRotationRad: Math.PI,
  frustumMinDepthM: 0,
  cameras: Object.freeze([2, 3] as const),
  trainSequences: Object.freeze([0, 1, 2, 3, 4, 5, 6, 7, 8]),
  testSequences: Object.freeze([9, 10]),
  syntheticTrainSequences: 'all-but-last',
  syntheticTestSequences: 'last',
  neighbourFrames: 0,
});

/**
 * Small enough to train on a CPU in minutes: a tenth of the points and a quarter of the
 * pixels (half the resolution each way), the SAME field of view (the crop keeps the paper's
 * share of the image: 256 / 310 columns as 512 / 620) and the same perturbation ranges, so
 * its numbers measure the same task. Area filtering, since a 4x downscale of KITTI aliases
 * with bilinear taps. Same splits as the paper preset (the split follows the data, not the size).
 */
const LAPTOP: Readonly<PairConfig> = Object.freeze({
  ...PAPER,
  name: 'laptop',
  numPoints: 4096,
  imageScale: 0.25,
  resizeFilter: 'area',
  cropHeight: 80,
  cropWidth: 256,
});

/** The presets by name. */
export const PAIR_PRESETS: Readonly<Record<'paper' | 'laptop', Readonly<PairConfig>>> = Object.freeze({ paper: PAPER, laptop: LAPTOP });

/** The default: the paper's protocol. */
export const DEFAULT_PAIR_CONFIG: Readonly<PairConfig> = PAPER;
// #endregion config

/** What callers may pass: any subset of the fields. */
export type PairConfigInput = Partial<PairConfig>;
const P = 'pairs';

const num = (field: string, v: unknown, min: number, max: number, minOpen = false): number => numberField(`${P}.${field}`, v, { min, max, minOpen });
const int = (field: string, v: unknown, lo: number, hi: number): number => intField(`${P}.${field}`, v, lo, hi);

function selector(field: string, v: unknown, rel: 'all-but-last' | 'last'): SequenceSelector {
  if (v === 'all-but-last' || v === 'last') return v;
  expectField(`${P}.${field}`, Array.isArray(v) && v.length > 0, `'${rel}', 'all-but-last', 'last' or a non-empty array of sequence numbers`, v);
  (v as unknown[]).forEach((s, i) => int(`${field}[${i}]`, s, 0, 99));
  return Object.freeze([...(v as number[])]);
}

// #region validate
/**
 * Merges `partial` over `base` and checks every field.
 * @param partial any subset of the fields
 * @param base the preset to start from; default {@link DEFAULT_PAIR_CONFIG} (paper)
 * @returns a complete, frozen config
 * @throws ConfigError naming the field (e.g. `pairs.cropWidth`) for unknown fields, wrong
 *   types or out-of-range values
 */
export function validatePairConfig(partial: PairConfigInput = {}, base: Readonly<PairConfig> = DEFAULT_PAIR_CONFIG): Readonly<PairConfig> {
  checkConfigObject(P, partial, Object.keys(DEFAULT_PAIR_CONFIG));
  const raw = { ...base, ...partial } as Record<string, unknown>;
  const name = nonEmptyStringField(`${P}.name`, raw.name);
  const resizeFilter = oneOfField(`${P}.resizeFilter`, raw.resizeFilter, ['bilinear', 'area']);
  const cams = raw.cameras;
  const camsOk = Array.isArray(cams) && cams.length > 0 && cams.every((c) => c === 2 || c === 3) && new Set(cams).size === cams.length;
  expectField(`${P}.cameras`, camsOk, 'a non-empty list of distinct cameras 2 and/or 3', cams);
  return Object.freeze({
    name,
    seed: int('seed', raw.seed, 0, 2 ** 32 - 1),
    voxelM: num('voxelM', raw.voxelM, 0, 10, true),
    numPoints: int('numPoints', raw.numPoints, 1, 2 ** 22),
    imageScale: num('imageScale', raw.imageScale, 0, 2, true),
    resizeFilter,
    cropHeight: int('cropHeight', raw.cropHeight, 1, 4096),
    cropWidth: int('cropWidth', raw.cropWidth, 1, 4096),
    maxTranslationM: num('maxTranslationM', raw.maxTranslationM, 0, 1000),
    maxRotationRad: num('maxRotationRad', raw.maxRotationRad, 0, Math.PI),
    frustumMinDepthM: num('frustumMinDepthM', raw.frustumMinDepthM, 0, 1000),
    cameras: Object.freeze([...(cams as (2 | 3)[])]),
    trainSequences: selector('trainSequences', raw.trainSequences, 'all-but-last'),
    testSequences: selector('testSequences', raw.testSequences, 'last'),
    syntheticTrainSequences: selector('syntheticTrainSequences', raw.syntheticTrainSequences, 'all-but-last'),
    syntheticTestSequences: selector('syntheticTestSequences', raw.syntheticTestSequences, 'last'),
    neighbourFrames: int('neighbourFrames', raw.neighbourFrames, 0, 1000),
  });
}
// #endregion validate
