/**
 * Seeded perturbations of the point cloud (CorrI2P protocol): a rotation about the camera's
 * vertical axis (camera y points down) and a translation along camera x and z, none along y.
 *
 * Convention: the perturbed cloud is `p_pert = R_y(angle) p_cam + (tx, 0, tz)`, so
 * `pointsFromCam = [R_y | t]` and the ground truth is its inverse `camFromPoints` (the
 * camera pose in the perturbed cloud's frame, mapping perturbed points into the camera).
 * Test pairs draw from a generator seeded by {@link testPairSeed} (config seed, sequence,
 * frame, camera), so every run scores the same pairs in any order; training pairs draw
 * from the running generator.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import type { Rng } from '../../core/rng.js';
import { fromRt, invert } from '../../geometry/se3.js';
import { rotationAboutAxis } from '../../geometry/so3.js';
import type { Mat4 } from '../../geometry/matrix.js';
import { hashU32 } from '../synthetic/noise.js';
import type { PairConfig } from './config.js';

/** One perturbation of a pair's cloud. */
export interface Perturbation {
  /** Rotation angle about camera y, radians in [-maxRotationRad, maxRotationRad]. */
  angleRad: number;
  /** [3] metres (tx, 0, tz) in the camera frame. */
  translationM: [number, number, number];
  /** [16] row-major camera -> perturbed cloud: [R_y(angle) | translationM]. */
  pointsFromCam: Mat4;
  /** [16] row-major perturbed cloud -> camera, the ground truth: invert(pointsFromCam). */
  camFromPoints: Mat4;
}

// #region makePerturbation
/**
 * The perturbation with the given parameters.
 * @param angleRad rotation about camera y, radians
 * @param txM translation along camera x, metres
 * @param tzM translation along camera z, metres
 */
export function makePerturbation(angleRad: number, txM: number, tzM: number): Perturbation {
  const translationM: [number, number, number] = [txM, 0, tzM];
  const pointsFromCam = fromRt(rotationAboutAxis('y', angleRad), translationM);
  return { angleRad, translationM, pointsFromCam, camFromPoints: invert(pointsFromCam) };
}
// #endregion makePerturbation

/**
 * Draws a perturbation: angle uniform in [-maxRotationRad, maxRotationRad), tx and tz
 * uniform in [-maxTranslationM, maxTranslationM) (three draws, in that order).
 * @param rng seeded generator
 * @param config maxRotationRad and maxTranslationM
 */
export function samplePerturbation(rng: Rng, config: Pick<PairConfig, 'maxRotationRad' | 'maxTranslationM'>): Perturbation {
  const angle = rng.uniform(-config.maxRotationRad, config.maxRotationRad);
  const tx = rng.uniform(-config.maxTranslationM, config.maxTranslationM);
  const tz = rng.uniform(-config.maxTranslationM, config.maxTranslationM);
  return makePerturbation(angle, tx, tz);
}

// #region testPairSeed
/**
 * The seed of a test pair's generator, a hash of (config seed, sequence, frame, camera):
 * independent of the order in which pairs are built and of the other pairs present.
 * @param seed config.seed
 * @param sequence sequence number (`'09'` or 9)
 * @param frame frame number
 * @param camera 2 or 3
 * @returns a 32-bit unsigned seed
 */
export function testPairSeed(seed: number, sequence: number | string, frame: number, camera: number): number {
  const seq = typeof sequence === 'string' ? Number(sequence) : sequence;
  return hashU32(hashU32(hashU32(seed | 0, seq), frame), camera);
}
// #endregion testPairSeed
