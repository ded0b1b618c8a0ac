/**
 * Seeded synthetic registration inputs of a preset's sizes, shared by the registration bench,
 * the profiler and the PyTorch port's input dump: a scan-like cloud (a ground plane 1.73 m
 * below the sensor out to 40 m, denser near it, and 60 box-shaped objects within +-40 m) moved
 * into a KITTI-like camera frame and perturbed as the pair protocol does (rotation about the
 * camera's vertical in [-pi, pi], +-10 m in x and z); K is KITTI's P2 scaled and centre-cropped
 * as the preset does; the image is seeded noise.
 */
import { createRng, type Rng } from '../../src/core/rng.js';
import { cameraMatrix, type PinholeCamera } from '../../src/geometry/camera.js';
import { frustumMask } from '../../src/geometry/frustum.js';
import { fromRt, invert, transformPoints } from '../../src/geometry/se3.js';
import { rotationAboutAxis } from '../../src/geometry/so3.js';
import type { ImagePointPair } from '../../src/data/pairs/build-pair.js';
import { registrationPairConfig, type RegistrationConfig } from '../../src/registration/config.js';
import { stackPairs, type PairBatch } from '../../src/registration/pair-batches.js';

/** The fields of a pair that stackPairs and predictExplicit read. */
export type SyntheticPair = Pick<ImagePointPair, 'image' | 'width' | 'height' | 'K' | 'points' | 'camFromPoints' | 'inFrustum'>;

// KITTI odometry P2 of a full-resolution (1241 x 376) image, pixels.
const KITTI = { fx: 718.856, fy: 718.856, cx: 607.1928, cy: 185.2157, width: 1241, height: 376 };
// LiDAR (x forward, y left, z up) -> camera (x right, y down, z forward), KITTI's mounting.
const CAM_FROM_LIDAR = fromRt([0, -1, 0, 0, 0, -1, 1, 0, 0], [0, -0.08, -0.27]);

/** The preset's camera: KITTI's scaled by imageScale, then centre-cropped to the crop size. */
export function presetCamera(c: Readonly<RegistrationConfig>): PinholeCamera {
  const p = registrationPairConfig(c), s = p.imageScale;
  const rw = Math.round(KITTI.width * s), rh = Math.round(KITTI.height * s);
  const left = Math.floor((rw - p.cropWidth) / 2), top = Math.floor((rh - p.cropHeight) / 2);
  const sx = rw / KITTI.width, sy = rh / KITTI.height;
  return { fx: KITTI.fx * sx, fy: KITTI.fy * sy, cx: (KITTI.cx + 0.5) * sx - 0.5 - left, cy: (KITTI.cy + 0.5) * sy - 0.5 - top, width: p.cropWidth, height: p.cropHeight };
}

/** [n * 3] metres, LiDAR frame: 55 % ground plane (denser near the sensor), 45 % in 60 boxes within +-40 m. */
export function scanLidar(rng: Rng, n: number): Float32Array {
  const boxes = Array.from({ length: 60 }, () => ({ x: rng.uniform(-40, 40), y: rng.uniform(-40, 40), sx: rng.uniform(1, 8), sy: rng.uniform(1, 8), h: rng.uniform(1, 6) }));
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    if (rng.next() < 0.55) {
      const r = 3 + 37 * rng.next() ** 2, a = rng.uniform(-Math.PI, Math.PI);
      out.set([r * Math.cos(a), r * Math.sin(a), -1.73 + 0.03 * rng.normal()], 3 * i);
    } else {
      const b = boxes[rng.int(boxes.length)];
      out.set([b.x + rng.uniform(-b.sx, b.sx) / 2, b.y + rng.uniform(-b.sy, b.sy) / 2, -1.73 + rng.uniform(0, b.h)], 3 * i);
    }
  }
  return out;
}

/** One seeded pair of the preset's sizes (the fields stackPairs and predictExplicit read). */
export function syntheticPair(c: Readonly<RegistrationConfig>, seed: number): SyntheticPair {
  const rng = createRng(seed), p = registrationPairConfig(c), cam = presetCamera(c), N = p.numPoints;
  const pointsCam = transformPoints(CAM_FROM_LIDAR, scanLidar(rng, N));
  const pointsFromCam = fromRt(rotationAboutAxis('y', rng.uniform(-Math.PI, Math.PI)), [rng.uniform(-10, 10), 0, rng.uniform(-10, 10)]);
  const points = transformPoints(pointsFromCam, pointsCam); // [N * 3] metres, perturbed frame
  const camFromPoints = invert(pointsFromCam);
  const image = new Float32Array(p.cropHeight * p.cropWidth * 3);
  for (let i = 0; i < image.length; i++) image[i] = rng.next();
  return { image, width: p.cropWidth, height: p.cropHeight, K: cameraMatrix(cam), points, camFromPoints, inFrustum: frustumMask(points, 3, camFromPoints, cam) };
}

/** B pairs as tensors (stackPairs reads only the fields a SyntheticPair has). */
export function syntheticBatch(c: Readonly<RegistrationConfig>, B: number): PairBatch {
  return stackPairs(Array.from({ length: B }, (_, b) => syntheticPair(c, 1000 + b)) as ImagePointPair[]);
}
