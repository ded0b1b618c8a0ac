/**
 * One image / point-cloud pair of the registration task, the CorrI2P protocol: the image
 * resized and cropped with its intrinsics kept right; the whole 360-degree scan
 * voxel-downsampled, moved into the camera frame, subsampled to a fixed size, then
 * perturbed; the ground truth is the camera pose in the perturbed cloud's frame. Two
 * steps: {@link loadPairSource} (deterministic: read, resize, voxel grid, calibration; a
 * trainer may cache it) and {@link pairFromSource} (random: crop, subsample, perturbation).
 *
 * Convention: camera frame x right, y down, z forward (metres); pixel centres at integer
 * coordinates (src/geometry/camera.ts); transforms `bFromA`, 4x4 row-major.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */
import { InputError } from '../../core/errors.js';
import { createRng, type Rng } from '../../core/rng.js';
import { cameraFromProjection, cameraMatrix, cropCamera, decomposeProjection, resizeCamera, type PinholeCamera } from '../../geometry/camera.js';
import { frustumMask } from '../../geometry/frustum.js';
import type { Mat3, Mat4 } from '../../geometry/matrix.js';
import { randomSubsample, voxelDownsample } from '../../geometry/point-cloud.js';
import { compose, invert, mat4From3x4, transformPoints, transformPointsKeepChannels } from '../../geometry/se3.js';
import type { KittiColorCamera, KittiSequence } from '../kitti/odometry-sequence.js';
import type { RgbImage } from '../formats/png.js';
import type { PairConfig } from './config.js';
import { cropImage, resizeImage, toUnitFloat } from './image-ops.js';
import { samplePerturbation, testPairSeed, type Perturbation } from './perturbation.js';

/** Which split a pair belongs to: random crop and running RNG (train) or centre crop and a per-pair seed (test). */
export type PairSplit = 'train' | 'test';

/** Where the crop window lies in the resized image, and the resize itself. */
export interface PairCrop {
  /** Resized image width before the crop, pixels. */
  resizedWidth: number;
  /** Resized image height before the crop, pixels. */
  resizedHeight: number;
  /** Horizontal resize factor: resized / stored width. */
  scaleX: number;
  /** Vertical resize factor: resized / stored height. */
  scaleY: number;
  /** Crop window's first column in the resized image, pixels. */
  left: number;
  /** Crop window's first row in the resized image, pixels. */
  top: number;
}

// #region ImagePointPair
/** One pair: the network input and its ground truth. */
export interface ImagePointPair {
  /** [H * W * 3] float32 RGB in [0, 1], HWC, the cropped image. */
  image: Float32Array;
  /** W = config.cropWidth, pixels. */
  width: number;
  /** H = config.cropHeight, pixels. */
  height: number;
  /** [9] row-major intrinsics of the cropped image (pixel centres at integers). */
  K: Mat3;
  /** The same intrinsics as a camera with the crop size. */
  camera: PinholeCamera;
  /** [N * 3] float32 metres, the perturbed cloud's frame; N = config.numPoints. */
  points: Float32Array;
  /** [N] float32 LiDAR reflectance in [0, 1] of each point (voxel mean). */
  reflectance: Float32Array;
  /** [16] row-major ground truth: perturbed cloud -> camera (the camera pose in the cloud's frame). */
  camFromPoints: Mat4;
  /** [N] 1 = the point projects into the cropped image with z > frustumMinDepthM (via camFromPoints and K). */
  inFrustum: Uint8Array;
  /** [3] metres, camera frame: the LiDAR's origin (the translation of camFromLidar, known calibration of the rig). */
  lidarOriginCam: [number, number, number];
  /** [N * 3] float32 metres, camera frame: the points before the perturbation (only with keepCameraPoints). */
  pointsCam?: Float32Array;
  /** Where the pair came from and how it was made. */
  meta: {
    seq: string; frame: number; camera: KittiColorCamera; split: PairSplit;
    crop: PairCrop; perturbation: Perturbation;
    /** Points in the scan, after the voxel grid. */
    scanPoints: number; voxelPoints: number;
    /** The per-pair seed (test pairs only). */
    seed?: number;
    /** The frame whose scan the cloud is, when not `frame` (PairConfig.neighbourFrames, training pairs). */
    cloudFrame?: number;
  };
}
// #endregion ImagePointPair

// #region neighbourFrames
/**
 * The frame whose scan a training pair takes under PairConfig.neighbourFrames = n: frame + d,
 * d uniform in [-n, n] (one draw from `rng`); the image's own frame when that one has no scan.
 * @param scanFrames the frames of the sequence that have a scan
 */
export function drawNeighbourFrame(rng: Rng, frame: number, n: number, scanFrames: ReadonlySet<number>): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`drawNeighbourFrame: n must be an integer >= 0, got ${n}`);
  if (n === 0) return frame;
  const g = frame + rng.int(2 * n + 1) - n;
  return scanFrames.has(g) ? g : frame;
}

/**
 * The rigid transform from colour camera `camera`'s frame at frame `from` to its frame at frame
 * `to`, from the sequence's poses (camera 0's, KITTI): camFromCam0 x inv(W_to) x W_from x
 * inv(camFromCam0), camFromCam0 from the camera's projection.
 * @throws InputError naming the poses file when it is missing or too short
 */
export function cameraMotion(sequence: KittiSequence, camera: KittiColorCamera, from: number, to: number): Mat4 {
  const poses = sequence.poses;
  if (!poses) throw new InputError(sequence.posesFile, 'missing: pairs.neighbourFrames moves a neighbouring scan into the image\'s camera with the poses');
  const last = Math.max(from, to);
  if (last >= poses.length) throw new InputError(sequence.posesFile, `has ${poses.length} poses, frame ${last} requested`);
  const camFromCam0 = decomposeProjection(camera === 2 ? sequence.calib.P2 : sequence.calib.P3).camFromRect;
  return compose(camFromCam0, invert(mat4From3x4(poses[to])), mat4From3x4(poses[from]), invert(camFromCam0));
}

/**
 * A pair source whose cloud is another frame's scan: `image`'s picture and camera, `cloud`'s voxel
 * cloud moved into `image`'s camera frame by `camFromCloudCam` ({@link cameraMotion} from the
 * cloud's frame to the image's). `lidarOriginCam` stays the image's: the rig's calibration, what a
 * query photo knows, not where the scan was taken.
 */
export function neighbourPairSource(image: PairSource, cloud: PairSource, camFromCloudCam: Mat4): PairSource {
  if (image.seq !== cloud.seq || image.camera !== cloud.camera) throw new InputError('neighbourPairSource', `image ${image.seq}/${image.frame} camera ${image.camera} and cloud ${cloud.seq}/${cloud.frame} camera ${cloud.camera}: expected one sequence and camera`);
  return { ...image, cloudCam: transformPointsKeepChannels(camFromCloudCam, cloud.cloudCam, 4), scanPoints: cloud.scanPoints, cloudFrame: cloud.frame };
}
// #endregion neighbourFrames

/** Options of {@link buildPair}. */
export interface BuildPairOptions {
  /** 'train' or 'test'. */
  split: PairSplit;
  /** Scale of the stored images relative to full-resolution KITTI (synthetic manifests record it); default 1. */
  sourceScale?: number;
  /** Also return the unperturbed camera-frame points (`pointsCam`), for teaching and tests. */
  keepCameraPoints?: boolean;
}

/**
 * The deterministic part of a pair, worth caching across epochs: the resized image with its
 * camera, and the voxel-downsampled scan in the camera frame. No randomness.
 */
export interface PairSource {
  /** Sequence id (two digits), frame number and colour camera of the pair. */
  seq: string; frame: number; camera: KittiColorCamera;
  /** [rh * rw * 3] float32 RGB in [0, 1], HWC, resized by imageScale / sourceScale (not cropped). */
  resized: Float32Array;
  /** Intrinsics of the resized image (size rw x rh). */
  resizedCamera: PinholeCamera;
  /** Resize factors per axis: resized / stored size. */
  scaleX: number; scaleY: number;
  /** [M * 4] float32: x, y, z (metres, camera frame), reflectance; the voxel centroids of the whole scan. */
  cloudCam: Float32Array;
  /** Points in the stored scan. */
  scanPoints: number;
  /** [3] metres, camera frame: the LiDAR's origin (camFromLidar's translation). */
  lidarOriginCam: [number, number, number];
  /** The frame whose scan the cloud is, when not `frame` (PairConfig.neighbourFrames). */
  cloudFrame?: number;
}

/**
 * Reads and prepares the deterministic part of a pair (see {@link buildPair}).
 * @param sequence the sequence (calib P2/P3 and Tr, velodyne scans, image_2 / image_3)
 * @param frame frame number
 * @param camera 2 (left colour) or 3 (right colour)
 * @param config a validated {@link PairConfig}
 * @param sourceScale scale of the stored images relative to full-resolution KITTI (synthetic manifests record it); default 1
 * @throws InputError naming the image when the resized image is smaller than the crop, or for missing files
 */
export function loadPairSource(sequence: KittiSequence, frame: number, camera: KittiColorCamera, config: PairConfig, sourceScale = 1): PairSource {
  const P = camera === 2 ? sequence.calib.P2 : sequence.calib.P3;
  const image = resizePairImage(sequence.image(frame, camera), P, config, sourceScale, sequence.imagePath(frame, camera));
  return { seq: sequence.id, frame, camera, ...image, ...loadPairCloud(sequence, frame, camera, config) };
}

/** The image half of a {@link PairSource}: the resized image and its camera. */
export type PairImage = Pick<PairSource, 'resized' | 'resizedCamera' | 'scaleX' | 'scaleY'>;

// #region resizePairImage
/**
 * The image half of {@link loadPairSource}: resized by imageScale / sourceScale, with its intrinsics.
 * @param raw the stored image (uint8 RGB)
 * @param P [12] row-major 3 x 4 projection of the camera that took it (calib P2 or P3), stored resolution
 * @param name the image's file (errors name it)
 * @throws InputError naming the image when the resized image is smaller than the crop
 */
export function resizePairImage(raw: RgbImage, P: ArrayLike<number>, config: PairConfig, sourceScale: number, name: string): PairImage {
  if (!(sourceScale > 0 && Number.isFinite(sourceScale))) throw new InputError('loadPairSource: sourceScale', `expected a finite number > 0, got ${sourceScale}`);
  const factor = config.imageScale / sourceScale;
  const rw = Math.round(raw.width * factor), rh = Math.round(raw.height * factor);
  if (rw < config.cropWidth || rh < config.cropHeight) {
    throw new InputError(name, `${raw.width} x ${raw.height} resized by imageScale / sourceScale = ${config.imageScale} / ${sourceScale} is ${rw} x ${rh}, smaller than the crop pairs.cropWidth x pairs.cropHeight = ${config.cropWidth} x ${config.cropHeight}`);
  }
  const resized = resizeImage(toUnitFloat(raw.data), raw.width, raw.height, 3, rw, rh, config.resizeFilter); // [rh * rw * 3]
  return { resized, resizedCamera: resizeCamera(cameraFromProjection(P, raw.width, raw.height), rw, rh), scaleX: rw / raw.width, scaleY: rh / raw.height };
}
// #endregion resizePairImage

/** A crop of a resized image: [cropHeight * cropWidth * 3] float32 RGB in [0, 1], its camera and K [9], and where it lies. */
export interface PairImageCrop { image: Float32Array; camera: PinholeCamera; K: Mat3; left: number; top: number }

/** The crop window [left, left + cropWidth) x [top, top + cropHeight) of a resized image, with its intrinsics. */
function cropPairImage(image: PairImage, config: PairConfig, left: number, top: number): PairImageCrop {
  const { cropWidth: cw, cropHeight: ch } = config, { width: rw, height: rh } = image.resizedCamera;
  const camera = cropCamera(image.resizedCamera, left, top, cw, ch);
  return { image: cropImage(image.resized, rw, rh, 3, left, top, cw, ch), camera, K: cameraMatrix(camera), left, top };
}

/** The centre crop of a resized image (what test pairs use), with its intrinsics. */
export function centreCropPairImage(image: PairImage, config: PairConfig): PairImageCrop {
  const { width: rw, height: rh } = image.resizedCamera;
  return cropPairImage(image, config, Math.floor((rw - config.cropWidth) / 2), Math.floor((rh - config.cropHeight) / 2));
}

// #region loadPairCloud
/**
 * The cloud half of {@link loadPairSource}: the scan voxel-downsampled and moved into the camera frame.
 * @returns cloudCam [M * 4] (x, y, z metres, camera frame; reflectance), the scan's point count, the LiDAR's origin in the camera frame
 */
export function loadPairCloud(sequence: KittiSequence, frame: number, camera: KittiColorCamera, config: PairConfig): Pick<PairSource, 'cloudCam' | 'scanPoints' | 'lidarOriginCam'> {
  const P = camera === 2 ? sequence.calib.P2 : sequence.calib.P3;
  const scan = sequence.scan(frame); // [M0 * 4] velodyne frame: x, y, z, reflectance
  const voxels = voxelDownsample(scan.points, 4, config.voxelM); // [M * 4]
  const camFromLidar = compose(decomposeProjection(P).camFromRect, mat4From3x4(sequence.calib.Tr));
  const cloudCam = transformPointsKeepChannels(camFromLidar, voxels, 4); // [M * 4] camera frame
  return { cloudCam, scanPoints: scan.count, lidarOriginCam: [camFromLidar[3], camFromLidar[7], camFromLidar[11]] };
}
// #endregion loadPairCloud

/**
 * The random part of a pair: crop, subsample, perturbation (see {@link buildPair}).
 * @param source from {@link loadPairSource}
 * @param config the config the source was loaded with
 * @param rng the running generator (train; required); ignored for test pairs
 * @param options split and keepCameraPoints (sourceScale is not used here)
 */
export function pairFromSource(source: PairSource, config: PairConfig, rng: Rng | undefined, options: BuildPairOptions): ImagePointPair {
  const { split } = options, { seq, frame, camera } = source;
  if (split !== 'train' && split !== 'test') throw new InputError('buildPair: options.split', `expected 'train' or 'test', got '${String(split)}'`);
  const seed = split === 'test' ? testPairSeed(config.seed, seq, frame, camera) : undefined;
  const pairRng = seed !== undefined ? createRng(seed) : rng;
  if (pairRng === undefined) throw new InputError('buildPair: rng', 'training pairs need the running generator');
  const cropRng = pairRng.fork(), pointRng = pairRng.fork(), perturbRng = pairRng.fork();

  // #region crop
  const { cropWidth: cw, cropHeight: ch } = config, { width: rw, height: rh } = source.resizedCamera;
  const { image, camera: cam, left, top } = split === 'train' ? cropPairImage(source, config, cropRng.int(rw - cw + 1), cropRng.int(rh - ch + 1)) : centreCropPairImage(source, config); // image [ch * cw * 3]
  // #endregion crop

  // #region points
  const n = config.numPoints;
  const sample = randomSubsample(source.cloudCam, 4, n, pointRng); // [N * 4] camera frame
  const pointsCam = new Float32Array(n * 3), reflectance = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    pointsCam[3 * i] = sample[4 * i]; pointsCam[3 * i + 1] = sample[4 * i + 1]; pointsCam[3 * i + 2] = sample[4 * i + 2];
    reflectance[i] = sample[4 * i + 3];
  }
  const perturbation = samplePerturbation(perturbRng, config);
  const points = transformPoints(perturbation.pointsFromCam, pointsCam, 3); // [N * 3] perturbed frame
  const inFrustum = frustumMask(points, 3, perturbation.camFromPoints, cam, config.frustumMinDepthM);
  // #endregion points

  return {
    image, width: cw, height: ch, K: cameraMatrix(cam), camera: cam, points, reflectance,
    camFromPoints: perturbation.camFromPoints, inFrustum, lidarOriginCam: [...source.lidarOriginCam],
    ...(options.keepCameraPoints ? { pointsCam } : {}),
    meta: {
      seq, frame, camera, split, perturbation, scanPoints: source.scanPoints, voxelPoints: source.cloudCam.length / 4,
      crop: { resizedWidth: rw, resizedHeight: rh, scaleX: source.scaleX, scaleY: source.scaleY, left, top },
      ...(seed !== undefined ? { seed } : {}),
      ...(source.cloudFrame !== undefined ? { cloudFrame: source.cloudFrame } : {}),
    },
  };
}

// #region buildPair
/**
 * Builds one pair from a KITTI-layout sequence: {@link loadPairSource} then {@link pairFromSource}.
 * @param sequence the sequence (calib P2/P3 and Tr, velodyne scans, image_2 / image_3)
 * @param frame frame number
 * @param camera 2 (left colour) or 3 (right colour)
 * @param config a validated {@link PairConfig}
 * @param rng the running generator (train; required); ignored for test pairs, which use
 *   createRng(testPairSeed(config.seed, seq, frame, camera))
 * @param options split, sourceScale, keepCameraPoints
 * @returns the pair; its image is [cropHeight * cropWidth * 3], its cloud [numPoints * 3]
 * @throws InputError when the resized image is smaller than the crop, or for missing files
 */
export function buildPair(
  sequence: KittiSequence, frame: number, camera: KittiColorCamera, config: PairConfig, rng: Rng | undefined, options: BuildPairOptions,
): ImagePointPair {
  if (options.split !== 'train' && options.split !== 'test') throw new InputError('buildPair: options.split', `expected 'train' or 'test', got '${String(options.split)}'`);
  if (options.split === 'train' && rng === undefined) throw new InputError('buildPair: rng', 'training pairs need the running generator');
  return pairFromSource(loadPairSource(sequence, frame, camera, config, options.sourceScale), config, rng, options);
}
// #endregion buildPair
