/**
 * One sequence of the KITTI odometry benchmark: its calibration, poses, timestamps and
 * per-frame files, read lazily from the standard layout:
 * ```
 * <root>/sequences/XX/{calib.txt, times.txt, velodyne/NNNNNN.bin, image_2/, image_3/}
 * <root>/poses/XX.txt            (sequences 00-10 only)
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCameraImage } from './images.js';
import { readOdometryCalib } from './calib.js';
import type { OdometryCalib } from './calib.js';
import { readPoses } from './poses.js';
import { readTimes } from './times.js';
import { readVelodyneBin } from './velodyne.js';
import type { ReadVelodyneOptions, VelodyneScan } from './velodyne.js';
import { listFrameIds, padId, requireFrameFile } from './frame-files.js';
import type { RgbImage } from '../formats/png.js';

/** Kinds of per-frame files in an odometry sequence. */
export type OdometryFrameKind = 'velodyne' | 'image_2' | 'image_3';

/** A colour camera of KITTI: 2 = left, 3 = right. */
export type KittiColorCamera = 2 | 3;

function checkCamera(camera: number): asserts camera is KittiColorCamera {
  if (camera !== 2 && camera !== 3) throw new RangeError(`camera: expected 2 (left colour) or 3 (right colour), got ${camera}`);
}

/** A KITTI odometry sequence; see {@link KittiOdometry.sequence}. */
export class KittiSequence {
  /** The sequence id, zero-padded to 2 digits (`00`). */
  readonly id: string;
  /** The sequence folder, `<root>/sequences/<id>`. */
  readonly dir: string;
  /** The poses file, `<root>/poses/<id>.txt` (may not exist). */
  readonly posesFile: string;
  private cache: { calib?: OdometryCalib; poses?: Float64Array[] | null; times?: Float64Array } = {};

  /**
   * @param root - the dataset root (holding `sequences/` and optionally `poses/`).
   * @param id - the sequence number (0 -> `00`).
   */
  constructor(root: string, id: number) {
    this.id = padId(id, 2);
    this.dir = path.join(root, 'sequences', this.id);
    this.posesFile = path.join(root, 'poses', `${this.id}.txt`);
  }

  /** Calibration from `calib.txt` (P0..P3, Tr = camFromLidar), read on first access. */
  get calib(): OdometryCalib {
    return (this.cache.calib ??= readOdometryCalib(path.join(this.dir, 'calib.txt')));
  }

  /** Ground-truth poses ([12] row-major worldFromCam0 per frame), or undefined when `poses/XX.txt` is absent. */
  get poses(): Float64Array[] | undefined {
    if (this.cache.poses === undefined) this.cache.poses = fs.existsSync(this.posesFile) ? readPoses(this.posesFile) : null;
    return this.cache.poses ?? undefined;
  }

  /** [F] timestamps in seconds from `times.txt`; throws InputError naming the path when it is absent. */
  get times(): Float64Array {
    return (this.cache.times ??= readTimes(path.join(this.dir, 'times.txt')));
  }

  /**
   * Frame ids with a file of the given kind.
   * @param kind - `velodyne`, `image_2` or `image_3`.
   * @returns ids ascending; `[]` when the folder is absent.
   */
  frameIds(kind: OdometryFrameKind): number[] {
    if (kind !== 'velodyne' && kind !== 'image_2' && kind !== 'image_3') {
      throw new RangeError(`frameIds: kind must be 'velodyne', 'image_2' or 'image_3', got '${String(kind)}'`);
    }
    return listFrameIds(path.join(this.dir, kind), kind === 'velodyne' ? '.bin' : '.png');
  }

  /** Path of frame i's scan, `<dir>/velodyne/NNNNNN.bin` (not checked for existence). */
  scanPath(i: number): string {
    return path.join(this.dir, 'velodyne', `${padId(i)}.bin`);
  }

  /** Path of frame i's image from camera 2 or 3, `<dir>/image_C/NNNNNN.png` (not checked). */
  imagePath(i: number, camera: KittiColorCamera): string {
    checkCamera(camera);
    return path.join(this.dir, `image_${camera}`, `${padId(i)}.png`);
  }

  /**
   * Reads frame i's velodyne scan.
   * @returns [N * 4] float32 x, y, z (metres, velodyne frame), reflectance.
   * @throws InputError naming the path and the frames present when the scan is absent.
   */
  scan(i: number, options?: ReadVelodyneOptions): VelodyneScan {
    return readVelodyneBin(requireFrameFile(path.join(this.dir, 'velodyne'), i, '.bin', 'velodyne scan'), options);
  }

  /**
   * Reads frame i's image from camera 2 (left colour) or 3 (right colour).
   * @returns [H * W * 3] uint8 RGB, HWC.
   * @throws InputError naming the path and the frames present when the image is absent.
   */
  image(i: number, camera: KittiColorCamera): RgbImage {
    checkCamera(camera);
    const dir = path.join(this.dir, `image_${camera}`);
    return readCameraImage(requireFrameFile(dir, i, '.png', `image_${camera} image`));
  }
}
