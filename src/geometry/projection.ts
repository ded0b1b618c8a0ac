/**
 * Pinhole projection of point clouds into an image, and back-projection of pixels.
 *
 * Convention: see camera.ts: camera frame x right, y down, z forward (metres);
 * u = fx x / z + cx, v = fy y / z + cy; pixel (col, row) has its centre at (col, row) and
 * the image covers -0.5 <= u < W - 0.5, -0.5 <= v < H - 0.5.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { assertFlat, assertInt, assertRange } from '../core/shapes.js';
import { makeCamera, type PinholeCamera } from './camera.js';
import { assertMatrix } from './matrix.js';

/** Result of {@link projectPoints}: one entry per input point. */
export interface Projection {
  /** [N] float32 column coordinate u, pixels (meaningful only where z > 0). */
  u: Float32Array;
  /** [N] float32 row coordinate v, pixels. */
  v: Float32Array;
  /** [N] float32 camera depth z, metres (negative = behind the camera). */
  z: Float32Array;
  /** [N] 1 where z > minDepthM and (u, v) is inside the image, else 0. */
  inImage: Uint8Array;
  /** Number of ones in `inImage`. */
  count: number;
}

// #region projectPoints
/**
 * Projects points into a camera image.
 * @param points [N * stride] float32, metres, frame A (xyz in channels 0..2)
 * @param stride channels per point (>= 3)
 * @param camFromPoints [16] row-major transform frame A -> camera
 * @param cam intrinsics and image size
 * @param minDepthM points need z > minDepthM to count as in the image; default 0
 * @returns u, v, z and the in-image mask
 */
export function projectPoints(points: ArrayLike<number>, stride: number, camFromPoints: ArrayLike<number>, cam: PinholeCamera, minDepthM = 0): Projection {
  assertInt('projectPoints: stride', stride, 3);
  const n = assertFlat('projectPoints: points', points, stride);
  assertMatrix('projectPoints: camFromPoints', camFromPoints, 16);
  assertRange('projectPoints: minDepthM', minDepthM, 0);
  const { fx, fy, cx, cy, width: W, height: H } = makeCamera(cam);
  const T = camFromPoints;
  const u = new Float32Array(n), v = new Float32Array(n), z = new Float32Array(n);
  const inImage = new Uint8Array(n);
  let count = 0;
  for (let i = 0, j = 0; i < n; i++, j += stride) {
    const px = points[j], py = points[j + 1], pz = points[j + 2];
    const xc = T[0] * px + T[1] * py + T[2] * pz + T[3];
    const yc = T[4] * px + T[5] * py + T[6] * pz + T[7];
    const zc = T[8] * px + T[9] * py + T[10] * pz + T[11];
    const uu = (fx * xc) / zc + cx, vv = (fy * yc) / zc + cy;
    u[i] = uu; v[i] = vv; z[i] = zc;
    const col = uu + 0.5, row = vv + 0.5; // pixel (floor(col), floor(row)), same test as depth-image.ts
    if (zc > minDepthM && col >= 0 && col < W && row >= 0 && row < H) { inImage[i] = 1; count++; }
  }
  return { u, v, z, inImage, count };
}
// #endregion projectPoints

// #region unproject
/**
 * Back-projects pixels with known depth into the camera frame:
 * x = (u - cx) z / fx, y = (v - cy) z / fy, z = z.
 * @param u [N] column coordinates, pixels
 * @param v [N] row coordinates, pixels
 * @param z [N] camera depths, metres (not ranges)
 * @param cam intrinsics
 * @returns [N * 3] float32 xyz, metres, camera frame
 */
export function unproject(u: ArrayLike<number>, v: ArrayLike<number>, z: ArrayLike<number>, cam: PinholeCamera): Float32Array {
  const n = u.length;
  if (v.length !== n || z.length !== n) throw new InputError('unproject', `u, v, z must have equal lengths, got ${n}, ${v.length}, ${z.length}`);
  const { fx, fy, cx, cy } = makeCamera(cam);
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    out[3 * i] = ((u[i] - cx) * z[i]) / fx;
    out[3 * i + 1] = ((v[i] - cy) * z[i]) / fy;
    out[3 * i + 2] = z[i];
  }
  return out;
}
// #endregion unproject

/**
 * The points of a depth image (value = camera depth z, 0 = empty), at pixel centres.
 * @param depth [H * W] float32 row-major, metres, 0 = empty
 * @param cam intrinsics; cam.width x cam.height must match the image
 * @returns points [M * 3] float32 camera frame, and the flat pixel index of each
 */
export function depthImageToPoints(depth: ArrayLike<number>, cam: PinholeCamera): { points: Float32Array; pixels: Int32Array } {
  const { width: W, height: H } = makeCamera(cam);
  if (depth.length !== W * H) throw new InputError('depthImageToPoints: depth', `expected ${H} x ${W} = ${W * H} values, got ${depth.length}`);
  let m = 0;
  for (let i = 0; i < depth.length; i++) if (depth[i] > 0) m++;
  const pixels = new Int32Array(m);
  const u = new Float32Array(m), v = new Float32Array(m), z = new Float32Array(m);
  for (let i = 0, k = 0; i < depth.length; i++) {
    if (!(depth[i] > 0)) continue;
    pixels[k] = i; u[k] = i % W; v[k] = Math.floor(i / W); z[k] = depth[i]; k++;
  }
  return { points: unproject(u, v, z, cam), pixels };
}
