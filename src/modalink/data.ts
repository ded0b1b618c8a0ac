/**
 * The network inputs of a KITTI-layout sequence (real KITTI or the embedded data):
 * camera-2 images cropped and resized, FoV depth images with the same crop and resize
 * (optionally completed), and ground-plane positions from the poses.
 *
 * Convention: the crop cuts round(cropTopPx * W / 1241) rows, i.e. the paper's 165 rows
 * scaled to the image width (41 rows at 310 px, 83 at 620 px). Camera images are stored
 * quantised to 8 bits (round(255 x) / 255) on both paths, so cached and uncached views agree.
 * Decoding a PNG and building a completed depth image cost about 50 + 40 ms per frame: a
 * training step of 4 queries and 24 depth images would spend seconds on them. So, with
 * `cacheDir`, {@link SequenceView.precompute} packs every frame once into two raw files
 * (`<cacheDir>/<key>/images.u8` [N, H, W, 3] uint8 and `depths.f32` [N, H, W] float32), which
 * later views with the same key (data root, sequence, frames, size, crop, completion, range)
 * load instead of decoding anything.
 * @see notebooks/03-place-recognition.ipynb (splits.ts aligns the embedded data's drives)
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { tf, type Tensor3D, type Tensor4D } from '../core/tf.js';
import { InputError } from '../core/errors.js';
import { KittiOdometry } from '../data/kitti/odometry.js';
import type { KittiSequence } from '../data/kitti/odometry-sequence.js';
import type { RgbImage } from '../data/formats/png.js';
import { cameraFromProjection, decomposeProjection, type PinholeCamera } from '../geometry/camera.js';
import { compose, mat4From3x4 } from '../geometry/se3.js';
import { fovDepthImage, normalizeDepth, targetCamera } from '../geometry/depth-image.js';
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
  /** Folder of the packed frame cache (e.g. `.cache/modalink`); none = memory only. */
  cacheDir?: string;
  /** [16] row-major transform applied to every pose first (e.g. {@link syntheticAlignment}: into sequence 00's frame). */
  worldFromPoses?: ArrayLike<number>;
  /**
   * [16] row-major rigid transform in the camera frame, composed before the calibration:
   * depth images are projected with `calibrationError x camFromLidar` (a miscalibrated rig;
   * calibration-robustness.ts). Camera images are unchanged. Part of the packed cache's key.
   */
  calibrationError?: ArrayLike<number>;
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
  /** Intrinsics of the network input (after the crop and the resize): the depth images' camera. */
  readonly camera: PinholeCamera;
  /** @returns [H * W * 3] float32 RGB in [0, 1] (ImageNet normalisation happens in the model) */
  image(i: number): Float32Array;
  /** @returns [H * W] float32 in [0, 1]: min(range, maxRangeM) / maxRangeM, 0 = empty */
  depth(i: number): Float32Array;
  /** @returns [n, H, W, 3] float32 images of view indices `idx` */
  images(idx: ArrayLike<number>): Tensor4D;
  /** @returns [n, H, W, 1] float32 depth images of view indices `idx` */
  depths(idx: ArrayLike<number>): Tensor4D;
  /**
   * Computes every frame's image and depth once and, with `cacheDir`, writes the packed cache;
   * a no-op when it was loaded from disk. `onFrame(done, total)` reports progress.
   * @returns seconds spent (0 when cached)
   */
  precompute(onFrame?: (done: number, total: number) => void): number;
  /** Whether every frame is in memory (packed cache loaded or precomputed). */
  readonly packed: boolean;
}

/** The packed-cache folder name of a view: sequence, size, completion and a hash of the rest. */
export function frameCacheKey(root: string, seq: string, frames: number[], config: Readonly<ModaLinkConfig>, cropTop: number, calibrationError?: ArrayLike<number>): string {
  const id = JSON.stringify({ v: 1, root: path.resolve(root), seq, frames, cropTop, maxRangeM: config.maxRangeM, c: config.depthCompletion, ...(calibrationError ? { e: Array.from(calibrationError) } : {}) });
  const h = createHash('sha1').update(id).digest('hex').slice(0, 10);
  return `${seq}-${config.depthCompletion ? 'c' : 's'}${config.inputWidthPx}x${config.inputHeightPx}-${h}`;
}

// #region modalinkImage
/**
 * A camera image as ModaLink's input: the top `cropTop` rows cut, resized bilinearly (corners
 * aligned) to W x H, quantised to 8 bits.
 * @param img the stored image, uint8 RGB [H0 * W0 * 3]
 * @returns [H * W * 3] uint8 (divide by 255 for the network)
 */
export function modalinkImageU8(img: RgbImage, cropTop: number, W: number, H: number): Uint8Array {
  return tf.tidy(() => {
    const t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32'); // [H0, W0, 3]
    const cropped = tf.slice(t, [cropTop, 0, 0], [img.height - cropTop, img.width, 3]);
    return Uint8Array.from(tf.image.resizeBilinear(tf.cast(cropped, 'float32') as Tensor3D, [H, W], true).round().clipByValue(0, 255).dataSync()); // [H, W, 3]
  });
}
// #endregion modalinkImage

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
  const camFromLidarTrue = compose(decomposeProjection(P).camFromRect, mat4From3x4(s.calib.Tr));
  const camFromLidar = options.calibrationError ? compose(options.calibrationError, camFromLidarTrue) : camFromLidarTrue;
  const first = s.image(frames[0], 2);
  const cropTop = cropTopRows(config.cropTopPx, first.width);
  if (cropTop >= first.height) throw new InputError(s.imagePath(frames[0], 2), `crop of ${cropTop} rows leaves nothing of ${first.height}`);
  const cam = cameraFromProjection(P, first.width, first.height);
  const N = frames.length, per = H * W;
  const dir = options.cacheDir ? path.join(options.cacheDir, frameCacheKey(root, s.id, frames, config, cropTop, options.calibrationError)) : null;
  let packedImages: Uint8Array | null = null, packedDepths: Float32Array | null = null;
  if (dir && fs.existsSync(path.join(dir, 'depths.f32')) && fs.existsSync(path.join(dir, 'images.u8'))) {
    const ib = fs.readFileSync(path.join(dir, 'images.u8')), db = fs.readFileSync(path.join(dir, 'depths.f32'));
    if (ib.byteLength !== N * per * 3 || db.byteLength !== N * per * 4) throw new InputError(dir, `packed cache has the wrong size for ${N} frames of ${W} x ${H}: delete the folder`);
    packedImages = new Uint8Array(ib.buffer, ib.byteOffset, ib.byteLength);
    packedDepths = new Float32Array(db.buffer.slice(db.byteOffset, db.byteOffset + db.byteLength));
  }
  const imageCache = new Map<number, Uint8Array>(), depthCache = new Map<number, Float32Array>();

  const imageU8 = (i: number): Uint8Array => {
    if (packedImages) return packedImages.subarray(i * per * 3, (i + 1) * per * 3);
    const hit = imageCache.get(i);
    if (hit) return hit;
    const u8 = modalinkImageU8(s.image(frames[i], 2), cropTop, W, H);
    imageCache.set(i, u8);
    return u8;
  };
  const image = (i: number): Float32Array => Float32Array.from(imageU8(i), (v) => v / 255);

  const computeDepth = (i: number): Float32Array => {
    const scan = s.scan(frames[i]);
    const opts = { mode: 'range' as const, minForwardM: 1, crop: { top: cropTop }, resize: { width: W, height: H } };
    if (!config.depthCompletion) return fovDepthImage(scan.points, 4, camFromLidar, cam, { ...opts, maxRangeM: config.maxRangeM, normalize: true }).depth;
    const sparse = fovDepthImage(scan.points, 4, camFromLidar, cam, { ...opts, maxRangeM: config.maxRangeM }).depth; // metres, clipped
    const filled = completeDepth(sparse, W, H, { maxDepthM: config.maxRangeM + 1 }).depth;
    return normalizeDepth(filled, config.maxRangeM);
  };

  const depth = (i: number): Float32Array => {
    if (packedDepths) return packedDepths.subarray(i * per, (i + 1) * per);
    const hit = depthCache.get(i);
    if (hit) return hit;
    const d = computeDepth(i);
    depthCache.set(i, d);
    return d;
  };

  const precompute = (onFrame?: (done: number, total: number) => void): number => {
    if (packedImages && packedDepths) return 0;
    const t0 = performance.now();
    const im = new Uint8Array(N * per * 3), de = new Float32Array(N * per);
    for (let i = 0; i < N; i++) {
      im.set(imageU8(i), i * per * 3);
      de.set(depth(i), i * per);
      onFrame?.(i + 1, N);
    }
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      for (const [f, buf] of [['images.u8', im], ['depths.f32', de]] as const) {
        fs.writeFileSync(path.join(dir, `${f}.tmp`), Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
        fs.renameSync(path.join(dir, `${f}.tmp`), path.join(dir, f));
      }
    }
    packedImages = im; packedDepths = de;
    imageCache.clear(); depthCache.clear();
    return (performance.now() - t0) / 1000;
  };

  const stack = (idx: ArrayLike<number>, get: (i: number) => ArrayLike<number>, ch: number, scale: number): Tensor4D => {
    const n = idx.length, len = H * W * ch;
    const buf = new Float32Array(n * len);
    for (let k = 0; k < n; k++) {
      const src = get(idx[k]), off = k * len;
      if (scale === 1) buf.set(src, off);
      else for (let j = 0; j < len; j++) buf[off + j] = src[j] / scale;
    }
    return tf.tensor4d(buf, [n, H, W, ch]);
  };

  return {
    sequence: s.id, frames, positionsXZ, cropTop, camera: targetCamera(cam, { top: cropTop }, { width: W, height: H }), image, depth, precompute,
    images: (idx) => stack(idx, imageU8, 3, 255),
    depths: (idx) => stack(idx, depth, 1, 1),
    get packed() { return packedImages !== null && packedDepths !== null; },
  };
}
// #endregion view
