/**
 * The camera frustum as a per-point mask: the geometric overlap label of the registration
 * papers (CorrI2P, VP2P-Match, ICL's GPDM): a point overlaps the image when it is in
 * front of the camera and projects inside the image.
 *
 * Convention: pixel centres at integer coordinates (camera.ts), so "inside" is
 * 0 <= u + 0.5 < W and 0 <= v + 0.5 < H, the same test fovDepthImage uses. The papers'
 * code tests 0 <= u < W with the same K (pixel corners at integers); the two differ by
 * half a pixel at the image border only.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { assertFlat, assertInt, assertRange } from '../core/shapes.js';
import { makeCamera, type PinholeCamera } from './camera.js';
import { assertMatrix } from './matrix.js';

// #region frustumMask
/**
 * Which points lie inside the camera frustum.
 * @param points [N * stride] float32, metres, frame A
 * @param stride channels per point (>= 3)
 * @param camFromPoints [16] row-major frame A -> camera
 * @param cam intrinsics and image size
 * @param minDepthM points need z > minDepthM, metres; default 0 (the papers' z > 0)
 * @returns [N] Uint8Array, 1 = in the frustum
 */
export function frustumMask(points: ArrayLike<number>, stride: number, camFromPoints: ArrayLike<number>, cam: PinholeCamera, minDepthM = 0): Uint8Array {
  assertInt('frustumMask: stride', stride, 3);
  const n = assertFlat('frustumMask: points', points, stride);
  assertMatrix('frustumMask: camFromPoints', camFromPoints, 16);
  assertRange('frustumMask: minDepthM', minDepthM, 0);
  const { fx, fy, cx, cy, width: W, height: H } = makeCamera(cam);
  const T = camFromPoints;
  const mask = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += stride) {
    const px = points[j], py = points[j + 1], pz = points[j + 2];
    const zc = T[8] * px + T[9] * py + T[10] * pz + T[11];
    if (!(zc > minDepthM)) continue;
    const col = (fx * (T[0] * px + T[1] * py + T[2] * pz + T[3])) / zc + cx + 0.5;
    const row = (fy * (T[4] * px + T[5] * py + T[6] * pz + T[7])) / zc + cy + 0.5;
    if (col >= 0 && col < W && row >= 0 && row < H) mask[i] = 1;
  }
  return mask;
}
// #endregion frustumMask

/**
 * Indices of the points inside the frustum (see {@link frustumMask}).
 * @returns [M] Int32Array of point indices, ascending
 */
export function frustumIndices(points: ArrayLike<number>, stride: number, camFromPoints: ArrayLike<number>, cam: PinholeCamera, minDepthM = 0): Int32Array {
  const mask = frustumMask(points, stride, camFromPoints, cam, minDepthM);
  let m = 0;
  for (let i = 0; i < mask.length; i++) m += mask[i];
  const idx = new Int32Array(m);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) idx[k++] = i;
  return idx;
}
