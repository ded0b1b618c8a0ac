/**
 * The KITTI-like sensor rig: calibration of KITTI odometry sequences 00-02 (P0..P3 of the
 * rectified cameras and the velodyne -> camera 0 transform Tr), and the LiDAR mounting height.
 * Convention: vehicle frame = velodyne frame shifted down to the ground (x forward, y left, z up).
 */
import type { OdometryCalib } from '../kitti/calib.js';

/** KITTI's full image size, pixels. */
export const KITTI_IMAGE = { width: 1241, height: 376 } as const;

const P0 = [718.856, 0, 607.1928, 0, 0, 718.856, 185.2157, 0, 0, 0, 1, 0];
const P1 = [718.856, 0, 607.1928, -386.1448, 0, 718.856, 185.2157, 0, 0, 0, 1, 0];
const P2 = [718.856, 0, 607.1928, 45.38225, 0, 718.856, 185.2157, -0.1130887, 0, 0, 1, 0.003779761];
const P3 = [718.856, 0, 607.1928, -337.2877, 0, 718.856, 185.2157, 2.369057, 0, 0, 1, 0.004915215];
const TR = [
  4.276802385584e-4, -9.999672484946e-1, -8.084491683471e-3, -1.198459927713e-2,
  -7.210626507497e-3, 8.081198471645e-3, -9.999413164504e-1, -5.403984729748e-2,
  9.999738645903e-1, 4.859485810390e-4, -7.206933692422e-3, -2.921968648686e-1,
];

/**
 * The calibration written to calib.txt for images scaled by `scale` (rows 0 and 1 of P,
 * with pixel centres kept: u' = s (u + 0.5) - 0.5).
 * @param scale - image scale (1 = 1241 x 376).
 */
export function kittiCalib(scale: number): OdometryCalib {
  const s = (P: number[]): Float64Array => {
    const out = Float64Array.from(P);
    for (let c = 0; c < 4; c++) {
      out[c] = scale * P[c] + (scale - 1) * 0.5 * P[8 + c];
      out[4 + c] = scale * P[4 + c] + (scale - 1) * 0.5 * P[8 + c];
    }
    return out;
  };
  return { P0: s(P0), P1: s(P1), P2: s(P2), P3: s(P3), Tr: Float64Array.from(TR) };
}

/** Image size at a scale. */
export function imageSize(scale: number): { width: number; height: number } {
  return { width: Math.round(KITTI_IMAGE.width * scale), height: Math.round(KITTI_IMAGE.height * scale) };
}
