/**
 * The pinhole camera: intrinsics, KITTI projection matrices, and how crops and resizes
 * change the intrinsics.
 *
 * Convention (pixel centres, OpenCV/KITTI): pixel (u, v) = (column, row); the CENTRE of
 * pixel (col, row) is the continuous coordinate (col, row), so the image covers
 * -0.5 <= u < W - 0.5, -0.5 <= v < H - 0.5 and a point lands in pixel
 * (round(u), round(v)) = (floor(u + 0.5), floor(v + 0.5)). Projection of a camera-frame
 * point (x right, y down, z forward, metres): u = fx x / z + cx, v = fy y / z + cy.
 * Resizing by (sx, sy) maps pixel EDGES onto edges: u' + 0.5 = sx (u + 0.5), hence
 * fx' = sx fx and cx' = sx (cx + 0.5) - 0.5 (same for y). Cropping shifts: cx' = cx - left.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { InputError } from '../core/errors.js';
import { assertInt, assertRange } from '../core/shapes.js';
import { assertMatrix, invert3, mulMat3Vec3, type Mat3, type Mat4, type Vec3 } from './matrix.js';

// #region PinholeCamera
/** A pinhole camera without skew or distortion. Focal lengths and centre in pixels. */
export interface PinholeCamera {
  /** Focal length along u (columns), pixels. */
  readonly fx: number;
  /** Focal length along v (rows), pixels. */
  readonly fy: number;
  /** Principal point column, pixels (pixel-centre convention above). */
  readonly cx: number;
  /** Principal point row, pixels. */
  readonly cy: number;
  /** Image width W, pixels (columns). */
  readonly width: number;
  /** Image height H, pixels (rows). */
  readonly height: number;
}
// #endregion PinholeCamera

/**
 * Checks a camera and returns a frozen copy.
 * @throws InputError naming the field when a focal length is not > 0, a centre is not
 *   finite, or a size is not a positive integer
 */
export function makeCamera(cam: PinholeCamera): PinholeCamera {
  for (const f of ['fx', 'fy'] as const) {
    if (!(Number.isFinite(cam[f]) && cam[f] > 0)) throw new InputError(`camera.${f}`, `expected a finite number > 0, got ${cam[f]}`);
  }
  for (const f of ['cx', 'cy'] as const) {
    if (!Number.isFinite(cam[f])) throw new InputError(`camera.${f}`, `expected a finite number, got ${cam[f]}`);
  }
  for (const f of ['width', 'height'] as const) {
    if (!(Number.isInteger(cam[f]) && cam[f] > 0)) throw new InputError(`camera.${f}`, `expected a positive integer, got ${cam[f]}`);
  }
  return Object.freeze({ fx: cam.fx, fy: cam.fy, cx: cam.cx, cy: cam.cy, width: cam.width, height: cam.height });
}

/**
 * The intrinsic matrix K = [fx 0 cx; 0 fy cy; 0 0 1].
 * @returns [9] row-major
 */
export function cameraMatrix(cam: PinholeCamera): Mat3 {
  return new Float64Array([cam.fx, 0, cam.cx, 0, cam.fy, cam.cy, 0, 0, 1]);
}

/**
 * A camera from K and an image size.
 * @param K [9] row-major, upper-triangular with K[2][2] = 1 and zero skew
 * @throws InputError for skew, a bad bottom row, or bad values
 */
export function cameraFromMatrix(K: ArrayLike<number>, width: number, height: number): PinholeCamera {
  assertMatrix('cameraFromMatrix: K', K, 9);
  if (K[1] !== 0 || K[3] !== 0 || K[6] !== 0 || K[7] !== 0 || K[8] !== 1) {
    throw new InputError('cameraFromMatrix: K', `expected [fx 0 cx; 0 fy cy; 0 0 1], got [${Array.from(K).join(', ')}]`);
  }
  return makeCamera({ fx: K[0], fy: K[4], cx: K[2], cy: K[5], width, height });
}

/** What a rectified projection P = K [I | t] is made of. */
export interface ProjectionParts {
  /** [9] row-major intrinsics, the left 3x3 block of P. */
  K: Mat3;
  /** [3] metres: t = K^-1 P[:, 3], the rectified reference (camera 0) origin seen from this camera. */
  t: Vec3;
  /** [16] row-major [I | t; 0 0 0 1]: rectified camera-0 frame -> this camera's frame. */
  camFromRect: Mat4;
}

// #region decomposeProjection
/**
 * Splits a KITTI rectified projection P = K [I | t] (calib.txt P0..P3) into K and t.
 * t = K^-1 P[:, 3] exactly (for P2/P3 of KITTI odometry t_x is about +0.06 / -0.47 m,
 * t_x = (P[0][3] - cx t_z) / fx, which is P[0][3] / P[0][0] when t_z = 0).
 * With Tr from calib.txt (velodyne -> rectified camera 0):
 * `camFromLidar = compose(camFromRect, mat4From3x4(Tr))`.
 * @param P [12] row-major 3x4
 * @returns K, t, camFromRect
 * @throws InputError unless the left 3x3 block is upper-triangular with P[2][2] = 1
 */
export function decomposeProjection(P: ArrayLike<number>): ProjectionParts {
  assertMatrix('decomposeProjection: P', P, 12);
  if (P[4] !== 0 || P[8] !== 0 || P[9] !== 0 || P[10] !== 1) {
    throw new InputError('decomposeProjection: P', `expected a rectified K [I | t] (P[1][0] = P[2][0] = P[2][1] = 0, P[2][2] = 1), got [${Array.from(P).join(', ')}]`);
  }
  const K = new Float64Array([P[0], P[1], P[2], P[4], P[5], P[6], P[8], P[9], P[10]]);
  const t = mulMat3Vec3(invert3(K), [P[3], P[7], P[11]]);
  const camFromRect = new Float64Array([1, 0, 0, t[0], 0, 1, 0, t[1], 0, 0, 1, t[2], 0, 0, 0, 1]);
  return { K, t, camFromRect };
}
// #endregion decomposeProjection

/** The camera of a rectified projection P (KITTI calib) for an image of the given size. */
export function cameraFromProjection(P: ArrayLike<number>, width: number, height: number): PinholeCamera {
  return cameraFromMatrix(decomposeProjection(P).K, width, height);
}

// #region scaleCamera
/**
 * Intrinsics after resizing the image by (sx, sy), edges onto edges:
 * fx' = sx fx, cx' = sx (cx + 0.5) - 0.5, fy' = sy fy, cy' = sy (cy + 0.5) - 0.5.
 * @param sx horizontal scale (> 0), e.g. 0.5 for half size
 * @param sy vertical scale (> 0)
 * @param size the new size; default (round(sx W), round(sy H))
 */
export function scaleCamera(cam: PinholeCamera, sx: number, sy: number, size?: { width: number; height: number }): PinholeCamera {
  assertRange('scaleCamera: sx', sx, Number.MIN_VALUE);
  assertRange('scaleCamera: sy', sy, Number.MIN_VALUE);
  const width = size?.width ?? Math.round(sx * cam.width);
  const height = size?.height ?? Math.round(sy * cam.height);
  return makeCamera({ fx: sx * cam.fx, fy: sy * cam.fy, cx: sx * (cam.cx + 0.5) - 0.5, cy: sy * (cam.cy + 0.5) - 0.5, width, height });
}
// #endregion scaleCamera

/**
 * Intrinsics after resizing to exactly newWidth x newHeight (sx = newWidth / W,
 * sy = newHeight / H, like cv2.resize to that size).
 */
export function resizeCamera(cam: PinholeCamera, newWidth: number, newHeight: number): PinholeCamera {
  assertInt('resizeCamera: newWidth', newWidth, 1);
  assertInt('resizeCamera: newHeight', newHeight, 1);
  return scaleCamera(cam, newWidth / cam.width, newHeight / cam.height, { width: newWidth, height: newHeight });
}

/**
 * Intrinsics after cropping the window [left, left + width) x [top, top + height)
 * (integer pixels, inside the image): cx' = cx - left, cy' = cy - top.
 * @throws InputError when the window leaves the image
 */
export function cropCamera(cam: PinholeCamera, left: number, top: number, width: number, height: number): PinholeCamera {
  assertInt('cropCamera: left', left, 0, cam.width - 1);
  assertInt('cropCamera: top', top, 0, cam.height - 1);
  assertInt('cropCamera: width', width, 1, cam.width - left);
  assertInt('cropCamera: height', height, 1, cam.height - top);
  return makeCamera({ fx: cam.fx, fy: cam.fy, cx: cam.cx - left, cy: cam.cy - top, width, height });
}
