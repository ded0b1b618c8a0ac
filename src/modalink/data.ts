/**
 * The network inputs of a KITTI-layout sequence (real KITTI or the embedded data):
 * camera-2 images cropped and resized, FoV depth images with the same crop and resize
 * (optionally completed), and ground-plane positions from the poses.
 *
 * Convention: the crop cuts round(cropTopPx * W / 1241) rows, i.e. the paper's 165 rows
 * scaled to the image width (41 rows at 310 px, 83 at 620 px). Depth images are cached in
 * memory and, with `cacheDir`, as raw float32 files (`<cacheDir>/<seq>/<frame>.f32`).
 * @see notebooks/03-place-recognition.ipynb (splits.ts aligns the embedded data's drives)
 */
import fs from 'node:fs';
import path from 'node:path';
import { tf, type Tensor3D, type Tensor4D } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { KittiOdometry } from '../data/kitti/odometry.js';
import type { KittiSequence } from '../data/kitti/odometry-sequence.js';
import { cameraFromProjection, decomposeProjection } from '../geometry/camera.js';
import { compose, mat4From3x4 } from '../geometry/se3.js';
import { fovDepthImage, normalizeDepth } from '../geometry/depth-image.js';
import { completeDepth } from '../geometry/depth-completion.js';
import { groundPositionsFromPoses } from './ground-distance.js';
import type { ModaLinkConfig } from './config.js';

/** KITTI's image width, pixels: `cropTopPx` refers to it. */
export const KITTI_IMAGE_WIDTH_PX = 1241;

/** Rows to cut from the top of an image `width` pixels wide. */
export function cropTopRows(cropTopPx: number, width: number): number {
  return Math.round((cropTopPx * width) / KITTI_IMAGE_WIDTH_PX);
}

/** Options of {@link createSequenceView}. */
export interface SequenceViewOptions {
  /** Frames to use (default: every frame with a scan). */
  frames?: number[];
  /** Folder for the on-disk depth cache (e.g. `<run>/cache`); none = memory only. */
  cacheDir?: string;
  /** [16] row-major transform applied to every pose first (e.g. {@link syntheticAlignment}: into sequence 00's frame). */
  worldFromPoses?: ArrayLike<number>;
}

/** One sequence as network inputs. */
export interface SequenceView {
  /** Two-digit sequence id. */
  readonly sequence: string;
  /** The frame ids, in order; index i below means frames[i]. */
  readonly frames: number[];
  /** [N * 2] float64 (x, z) ground positions per frame, metres, world (camera-0 at frame 0). */
  readonly positionsXZ: Float64Array;
  /** Rows cut from the top of the camera image. */
  readonly cropTop: number;
  /** @returns [H * W * 3] float32 RGB in [0, 1] (ImageNet normalisation happens in the model) */
  image(i: number): Float32Array;
  /** @returns [H * W] float32 in [0, 1]: min(range, maxRangeM) / maxRangeM, 0 = empty */
  depth(i: number): Float32Array;
  /** @returns [n, H, W, 3] float32 images of view indices `idx` */
  images(idx: ArrayLike<number>): Tensor4D;
  /** @returns [n, H, W, 1] float32 depth images of view indices `idx` */
  depths(idx: ArrayLike<number>): Tensor4D;
}

// #region view
/**
 * A view over sequence `seq` of the KITTI-layout `root`.
 * @throws InputError naming the poses file when the sequence has no poses
 */
export function createSequenceView(root: string, seq: number | string, config: Readonly<ModaLinkConfig>, options: SequenceViewOptions = {}): SequenceView {
  const s: KittiSequence = new KittiOdometry(root).sequence(seq);
  const frames = options.frames ?? s.frameIds('velodyne');
  const poses = s.poses;
  if (!poses) throw new InputError(s.posesFile, 'missing: ModaLink needs ground-truth poses for positions (KITTI 11-21: use SemanticKITTI poses)');
  for (const f of frames) if (f >= poses.length) throw new InputError(s.posesFile, `has ${poses.length} poses, frame ${f} requested`);
  const align = options.worldFromPoses;
  const positionsXZ = groundPositionsFromPoses(frames.map((f) => (align ? compose(align, mat4From3x4(poses[f])) : poses[f])));
  const H = config.inputHeightPx, W = config.inputWidthPx;
  const P = s.calib.P2;
  const camFromLidar = compose(decomposeProjection(P).camFromRect, mat4From3x4(s.calib.Tr));
  const first = s.image(frames[0], 2);
  const cropTop = cropTopRows(config.cropTopPx, first.width);
  if (cropTop >= first.height) throw new InputError(s.imagePath(frames[0], 2), `crop of ${cropTop} rows leaves nothing of ${first.height}`);
  const cam = cameraFromProjection(P, first.width, first.height);
  const cache = new Map<number, Float32Array>();
  const cacheFile = (i: number): string | null => (options.cacheDir ? path.join(options.cacheDir, `${s.id}-${config.depthCompletion ? 'c' : 's'}${W}x${H}`, `${frames[i]}.f32`) : null);

  const image = (i: number): Float32Array => {
    const img = s.image(frames[i], 2);
    return tf.tidy(() => {
      const t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32'); // [H0, W0, 3]
      const cropped = tf.slice(t, [cropTop, 0, 0], [img.height - cropTop, img.width, 3]);
      return tf.image.resizeBilinear(tf.cast(cropped, 'float32') as Tensor3D, [H, W], true).div(255).dataSync() as Float32Array; // [H, W, 3]
    });
  };

  const computeDepth = (i: number): Float32Array => {
    const scan = s.scan(frames[i]);
    const opts = { mode: 'range' as const, minForwardM: 1, crop: { top: cropTop }, resize: { width: W, height: H } };
    if (!config.depthCompletion) return fovDepthImage(scan.points, 4, camFromLidar, cam, { ...opts, maxRangeM: config.maxRangeM, normalize: true }).depth;
    const sparse = fovDepthImage(scan.points, 4, camFromLidar, cam, { ...opts, maxRangeM: config.maxRangeM }).depth; // metres, clipped
    const filled = completeDepth(sparse, W, H, { maxDepthM: config.maxRangeM + 1 }).depth;
    return normalizeDepth(filled, config.maxRangeM);
  };

  const depth = (i: number): Float32Array => {
    const hit = cache.get(i);
    if (hit) return hit;
    const file = cacheFile(i);
    let d: Float32Array;
    if (file && fs.existsSync(file)) {
      const b = fs.readFileSync(file);
      d = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    } else {
      d = computeDepth(i);
      if (file) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(`${file}.tmp`, Buffer.from(d.buffer, d.byteOffset, d.byteLength));
        fs.renameSync(`${file}.tmp`, file);
      }
    }
    cache.set(i, d);
    return d;
  };

  const stack = (idx: ArrayLike<number>, get: (i: number) => Float32Array, ch: number): Tensor4D => {
    const n = idx.length, per = H * W * ch;
    const buf = new Float32Array(n * per);
    for (let k = 0; k < n; k++) buf.set(get(idx[k]), k * per);
    return tf.tensor4d(buf, [n, H, W, ch]);
  };

  return {
    sequence: s.id, frames, positionsXZ, cropTop, image, depth,
    images: (idx) => stack(idx, image, 3),
    depths: (idx) => stack(idx, depth, 1),
  };
}
// #endregion view
