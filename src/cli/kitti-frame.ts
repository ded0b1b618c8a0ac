/** One KITTI odometry frame ready for projection: scan, image size, camera, camFromLidar. */
import fs from 'node:fs';
import { InputError } from '../core/errors.js';
import { cameraFromProjection, decomposeProjection, type PinholeCamera } from '../geometry/camera.js';
import { compose, mat4From3x4 } from '../geometry/se3.js';
import type { Mat4 } from '../geometry/matrix.js';
import { KittiOdometry } from '../data/kitti/odometry.js';
import type { KittiColorCamera } from '../data/kitti/odometry-sequence.js';
import { readPng, type RgbImage } from '../data/formats/png.js';

/** A frame with everything the depth-image and project commands need. */
export interface KittiFrame {
  /** [N * 4] float32 x, y, z, reflectance; metres, LiDAR frame. */
  points: Float32Array;
  /** The camera image (RGB, HWC), when it exists. */
  image?: RgbImage;
  /** Intrinsics of camera 2 or 3 at the image's size (default 1241 x 376 when there is no image). */
  camera: PinholeCamera;
  /** [16] LiDAR -> this rectified camera: compose([I | t] from P, Tr). */
  camFromLidar: Mat4;
  /** File names, for messages. */
  scanFile: string;
  imageFile: string;
}

/** Parses an integer CLI option, naming it in the error. */
export function intOption(name: string, raw: string | undefined, lo: number, hi = Infinity): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (!Number.isInteger(x) || x < lo || x > hi) throw new InputError(`--${name}`, `expected an integer in [${lo}, ${hi}], got '${raw}'`);
  return x;
}

/** Parses a probability CLI option, in (0, 1), naming it in the error. */
export function probabilityOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (!(x > 0 && x < 1)) throw new InputError(`--${name}`, `expected a number in (0, 1), got '${raw}'`);
  return x;
}

/** Parses a positive number CLI option. */
export function positiveOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (!(Number.isFinite(x) && x > 0)) throw new InputError(`--${name}`, `expected a number > 0, got '${raw}'`);
  return x;
}

/**
 * Loads frame `frame` of sequence `seq` under a KITTI odometry root.
 * The image is optional (the sample data has no image_2): without it the camera gets KITTI's
 * 1241 x 376 size and the caller is told so via `image === undefined`.
 */
export function loadKittiFrame(root: string, seq: string, frame: number, camera: KittiColorCamera, needImage: boolean): KittiFrame {
  if (!fs.existsSync(root)) throw new InputError('--root', `folder ${root} does not exist (expected a KITTI odometry root holding sequences/)`);
  const sequence = new KittiOdometry(root).sequence(seq);
  const scanFile = sequence.scanPath(frame);
  const imageFile = sequence.imagePath(frame, camera);
  const points = sequence.scan(frame).points;
  const hasImage = fs.existsSync(imageFile);
  if (needImage && !hasImage) throw new InputError(imageFile, `no camera ${camera} image for frame ${frame} (expected image_${camera}/<frame>.png)`);
  const image = hasImage ? readPng(imageFile) : undefined;
  const P = camera === 2 ? sequence.calib.P2 : sequence.calib.P3;
  const cam = cameraFromProjection(P, image?.width ?? 1241, image?.height ?? 376);
  const camFromLidar = compose(decomposeProjection(P).camFromRect, mat4From3x4(sequence.calib.Tr));
  return { points, image, camera: cam, camFromLidar, scanFile, imageFile };
}
