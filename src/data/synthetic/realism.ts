/**
 * Statistics that compare a scan with KITTI's: points per scan, share of points inside the
 * camera image, depth histogram of the in-image points, and the share of image pixels hit
 * by at least one projected point. Same code for generated and real data.
 */
import { cameraFromProjection, decomposeProjection } from '../../geometry/camera.js';
import { projectPoints } from '../../geometry/projection.js';
import { compose, mat4From3x4 } from '../../geometry/se3.js';

/** Upper edges of the depth bins, metres (last bin: beyond). */
export const DEPTH_BINS_M = [10, 20, 40, 80] as const;

/** Realism statistics of one scan. */
export interface ScanStats {
  points: number;
  /** Share of points inside the image, 0..1. */ inImageShare: number;
  /** Share of in-image points per depth bin ({@link DEPTH_BINS_M}, plus one bin beyond). */ depthHistogram: number[];
  /** Share of image pixels hit by a projected point, 0..1. */ pixelCoverage: number;
}

/**
 * @param scan - [N * 4] float32 velodyne points.
 * @param Tr - [12] calib Tr (velodyne -> camera 0). @param P - [12] projection of the camera.
 * @param width - image width, pixels. @param height - image height.
 */
export function scanStats(scan: Float32Array, Tr: ArrayLike<number>, P: ArrayLike<number>, width: number, height: number): ScanStats {
  const cam = cameraFromProjection(P, width, height);
  const camFromLidar = compose(decomposeProjection(P).camFromRect, mat4From3x4(Tr));
  const pr = projectPoints(scan, 4, camFromLidar, cam);
  const hist = new Array(DEPTH_BINS_M.length + 1).fill(0), hitPx = new Uint8Array(width * height);
  for (let i = 0; i < pr.inImage.length; i++) {
    if (!pr.inImage[i]) continue;
    let b = 0;
    while (b < DEPTH_BINS_M.length && pr.z[i] >= DEPTH_BINS_M[b]) b++;
    hist[b]++;
    hitPx[Math.floor(pr.v[i] + 0.5) * width + Math.floor(pr.u[i] + 0.5)] = 1;
  }
  let covered = 0;
  for (let i = 0; i < hitPx.length; i++) covered += hitPx[i];
  const n = scan.length / 4;
  return { points: n, inImageShare: pr.count / n, depthHistogram: hist.map((h) => h / Math.max(1, pr.count)), pixelCoverage: covered / (width * height) };
}

/** Mean of several stats (element-wise). */
export function meanStats(all: ScanStats[]): ScanStats {
  const m = (f: (s: ScanStats) => number): number => all.reduce((a, s) => a + f(s), 0) / all.length;
  return {
    points: m((s) => s.points), inImageShare: m((s) => s.inImageShare), pixelCoverage: m((s) => s.pixelCoverage),
    depthHistogram: all[0].depthHistogram.map((_, b) => m((s) => s.depthHistogram[b])),
  };
}
