/**
 * ModaLink's FoV transformation: a LiDAR scan seen by the camera as a sparse depth image,
 * built with a z-buffer in one pass over the points.
 *
 * Convention: pixel centres at integer coordinates (camera.ts); a point with camera
 * coordinates (x, y, z) lands in pixel (floor(u + 0.5), floor(v + 0.5)) with
 * u = (fx x) / z + cx, v = (fy y) / z + cy, when 0 <= u + 0.5 < W and 0 <= v + 0.5 < H.
 * The NEAREST point wins, compared by camera depth z stored as float32 (ties: the first
 * point in input order). Output is row-major [H * W] float32, metres, 0 = empty.
 * Crop and resize are applied to the INTRINSICS (crop, then scale; camera.ts) and the
 * z-buffer runs at the target size: sparse depth is never interpolated.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { ConfigError } from '../core/errors.js';
import { numberField, oneOfField } from '../core/config-fields.js';
import { assertFlat, assertInt } from '../core/shapes.js';
import { cropCamera, makeCamera, resizeCamera, type PinholeCamera } from './camera.js';
import { assertMatrix } from './matrix.js';

/** Which value a pixel stores: camera depth z, or Euclidean range sqrt(x^2 + y^2 + z^2) in the camera frame. */
export type DepthValueMode = 'depth' | 'range';

/** A crop window in pixels of the input image; omitted fields take the rest of the image. */
export interface CropWindow {
  /** First row kept; default 0. */
  top?: number;
  /** First column kept; default 0. */
  left?: number;
  /** Columns kept; default W - left. */
  width?: number;
  /** Rows kept; default H - top. */
  height?: number;
}

/** Options of {@link fovDepthImage}; every field optional. */
export interface FovDepthImageOptions {
  /** Value stored per pixel; default 'depth'. The nearest point (by z) wins in both modes. */
  mode?: DepthValueMode;
  /** Points need camera depth z > minDepthM; metres, default 0.01. */
  minDepthM?: number;
  /** Points need x >= minForwardM in the INPUT frame (LiDAR: x forward; ModaLink's tool uses 1 m); default -Infinity (off). */
  minForwardM?: number;
  /** Values above this are clipped to it (points are kept, as in ModaLink); metres, default Infinity (no clip). */
  maxRangeM?: number;
  /** Store min(value, maxRangeM) / maxRangeM in (0, 1] instead of metres; needs a finite maxRangeM; default false. */
  normalize?: boolean;
  /** Crop window of the input image, applied first. */
  crop?: CropWindow;
  /** Output size after the crop (anisotropic scale like cv2.resize), pixels. */
  resize?: { width: number; height: number };
}

/** A depth image and the camera that sees it. */
export interface DepthImage {
  /** [H * W] float32 row-major: metres (or normalised, see options), 0 = empty. */
  depth: Float32Array;
  /** W, pixels. */
  width: number;
  /** H, pixels. */
  height: number;
  /** Intrinsics of the output image (after crop and resize). */
  camera: PinholeCamera;
  /** Number of non-empty pixels. */
  filledPixels: number;
}

// #region preset
/**
 * ModaLink's network input: drop the top 165 rows of the KITTI image, resize to 800 x 128
 * (W x H), store range clipped at 100 m and normalised to (0, 1] (the released tool's
 * `maxdepth = 100`), keep LiDAR points with x >= 1 m. For depth completion, set
 * `normalize: false`, complete (metres), then {@link normalizeDepth}(depth, 100).
 */
export const MODALINK_FOV_OPTIONS: Readonly<FovDepthImageOptions> = Object.freeze({
  mode: 'range',
  minForwardM: 1,
  maxRangeM: 100,
  normalize: true,
  crop: Object.freeze({ top: 165 }),
  resize: Object.freeze({ width: 800, height: 128 }),
});
// #endregion preset

/**
 * The camera of the output image: crop (defaults fill the rest), then resize.
 * @returns intrinsics and size of the depth image {@link fovDepthImage} makes
 */
export function targetCamera(cam: PinholeCamera, crop?: CropWindow, resize?: { width: number; height: number }): PinholeCamera {
  let c = makeCamera(cam);
  if (crop) {
    const left = crop.left ?? 0, top = crop.top ?? 0;
    c = cropCamera(c, left, top, crop.width ?? c.width - left, crop.height ?? c.height - top);
  }
  return resize ? resizeCamera(c, resize.width, resize.height) : c;
}

// #region fovDepthImage
/**
 * Projects a point cloud into a depth image with a z-buffer (nearest point wins).
 * One pass, no allocation per point; well above 30 M points/s on one core (about 1 ms for a
 * 124k-point KITTI scan into 1241 x 376 after JIT warm-up, see bench/geometry.bench.ts).
 * Non-finite points never land in a pixel (check them first with `finiteCheck`).
 * @param points [N * stride] float32, metres, LiDAR frame (x fwd, y left, z up)
 * @param stride channels per point (3 xyz, 4 KITTI xyz + reflectance)
 * @param camFromLidar [16] row-major LiDAR -> camera (e.g. compose(camFromRect, Tr))
 * @param cam intrinsics and size of the FULL input image
 * @param options value mode, depth limits, crop, resize
 * @returns depth [H * W] float32 and the output camera
 */
export function fovDepthImage(points: ArrayLike<number>, stride: number, camFromLidar: ArrayLike<number>, cam: PinholeCamera, options: FovDepthImageOptions = {}): DepthImage {
  assertInt('fovDepthImage: stride', stride, 3);
  const n = assertFlat('fovDepthImage: points', points, stride);
  assertMatrix('fovDepthImage: camFromLidar', camFromLidar, 16);
  const mode = options.mode ?? 'depth';
  oneOfField('fovDepthImage.mode', mode, ['depth', 'range']);
  const minDepth = options.minDepthM ?? 0.01;
  numberField('fovDepthImage.minDepthM', minDepth, { min: 0 });
  const minForward = options.minForwardM ?? -Infinity;
  if (Number.isNaN(minForward)) throw new ConfigError('fovDepthImage.minForwardM', 'expected a number, got NaN');
  const maxR = options.maxRangeM ?? Infinity;
  if (!(maxR > 0)) throw new ConfigError('fovDepthImage.maxRangeM', `expected a number > 0, got ${maxR}`);
  const normalize = options.normalize ?? false;
  if (normalize && !Number.isFinite(maxR)) throw new ConfigError('fovDepthImage.normalize', 'needs a finite maxRangeM');
  const camera = targetCamera(cam, options.crop, options.resize);
  const { fx, fy, cx, cy, width: W, height: H } = camera;
  const [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11] = Array.from({ length: 12 }, (_, i) => camFromLidar[i]);
  const range = mode === 'range';
  const clip = maxR < Infinity;
  const scale = normalize ? 1 / maxR : 1;
  const minZ = Math.max(minDepth, 1e-30); // float32(z) stays > 0, so 0 can mean "empty"
  const zbuf = new Float32Array(W * H); // float32 z of the winner; 0 = empty (fresh arrays are zero)
  const val = range || clip ? new Float32Array(W * H) : zbuf; // the stored value
  let filled = 0;
  for (let j = 0, end = n * stride; j < end; j += stride) {
    const px = points[j], py = points[j + 1], pz = points[j + 2];
    const zc = t8 * px + t9 * py + t10 * pz + t11;
    if (!(zc > minZ) || px < minForward) continue;
    const xc = t0 * px + t1 * py + t2 * pz + t3;
    const col = (fx * xc) / zc + cx + 0.5;
    if (!(col >= 0 && col < W)) continue;
    const yc = t4 * px + t5 * py + t6 * pz + t7;
    const row = (fy * yc) / zc + cy + 0.5;
    if (!(row >= 0 && row < H)) continue;
    const idx = (row | 0) * W + (col | 0); // |0 = floor here: both are >= 0
    const zf = Math.fround(zc);
    const cur = zbuf[idx];
    if (cur === 0 || zf < cur) {
      if (cur === 0) filled++;
      zbuf[idx] = zf;
      if (val !== zbuf) {
        const v = range ? Math.sqrt(xc * xc + yc * yc + zc * zc) : zc;
        val[idx] = (v < maxR ? v : maxR) * scale;
      }
    }
  }
  return { depth: val, width: W, height: H, camera, filledPixels: filled };
}
// #endregion fovDepthImage

/**
 * ModaLink's normalisation: min(d, maxRangeM) / maxRangeM for filled pixels, 0 stays 0.
 * @param depth [H * W] float32, metres, 0 = empty
 * @param maxRangeM > 0, metres
 * @returns [H * W] float32 in [0, 1] (a new array)
 */
export function normalizeDepth(depth: Float32Array, maxRangeM: number): Float32Array {
  numberField('normalizeDepth.maxRangeM', maxRangeM, { min: 0, minOpen: true });
  const out = new Float32Array(depth.length);
  for (let i = 0; i < depth.length; i++) out[i] = depth[i] > 0 ? Math.min(depth[i], maxRangeM) / maxRangeM : 0;
  return out;
}

// #region rotateRangeImage
/**
 * A range image as the camera would see it after a rotation R about its centre (a rotated
 * calibration, camFromLidar' = R camFromLidar): every output pixel takes the value of the
 * input pixel its ray came from, p = K R^T K^-1 p' (nearest pixel; 0 where the ray leaves the
 * input image or points backwards). Exact for RANGE values (a rotation about the camera centre
 * keeps every range), up to the resampling; for z-depth values it is only an approximation.
 * @param range [H * W] row-major, 0 = empty
 * @param cam the image's intrinsics (targetCamera after crop and resize)
 * @param R [9] row-major rotation, camera' from camera
 * @returns a new [H * W] Float32Array
 */
export function rotateRangeImage(range: ArrayLike<number>, cam: PinholeCamera, R: ArrayLike<number>): Float32Array {
  const W = cam.width, H = cam.height;
  if (range.length !== W * H) throw new RangeError(`rotateRangeImage: range has ${range.length} values, the camera ${W} x ${H} = ${W * H}`);
  const out = new Float32Array(W * H);
  for (let v = 0; v < H; v++) {
    const y = (v - cam.cy) / cam.fy;
    for (let u = 0; u < W; u++) {
      const x = (u - cam.cx) / cam.fx;
      // d = R^T d', d' = (x, y, 1)
      const dx = R[0] * x + R[3] * y + R[6], dy = R[1] * x + R[4] * y + R[7], dz = R[2] * x + R[5] * y + R[8];
      if (dz <= 0) continue;
      const su = Math.round((cam.fx * dx) / dz + cam.cx), sv = Math.round((cam.fy * dy) / dz + cam.cy);
      if (su >= 0 && su < W && sv >= 0 && sv < H) out[v * W + u] = range[sv * W + su];
    }
  }
  return out;
}
// #endregion rotateRangeImage
