/**
 * The KITTI 3D object benchmark on disk:
 * ```
 * <root>/<split>/{image_2/NNNNNN.png, velodyne/NNNNNN.bin, calib/NNNNNN.txt, label_2/NNNNNN.txt}
 * ```
 * with split `training` (labelled) or `testing` (no label_2). Frames are unrelated
 * snapshots; image sizes vary per frame. Projection of velodyne points into image_2:
 * `P2 * R0_rect * Tr_velo_to_cam` (see {@link ObjectCalib}).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { readObjectCalib } from './calib.js';
import type { ObjectCalib } from './calib.js';
import { readCameraImage } from './images.js';
import { readLabels } from './labels.js';
import type { KittiLabel } from './labels.js';
import { readVelodyneBin } from './velodyne.js';
import type { ReadVelodyneOptions, VelodyneScan } from './velodyne.js';
import { listFrameIds, requireFrameFile } from './frame-files.js';
import type { RgbImage } from '../formats/png.js';

/** A split of the object benchmark. */
export type KittiObjectSplit = 'training' | 'testing';

/** A KITTI object-benchmark split rooted at a folder. */
export class KittiObject {
  /** The dataset root, holding `training/` and/or `testing/`. */
  readonly root: string;
  /** The split read. */
  readonly split: KittiObjectSplit;
  /** The split folder, `<root>/<split>`. */
  readonly dir: string;

  /**
   * @param root - the dataset root (e.g. `<data>/kitti-object-sample`).
   * @param split - `training` (default) or `testing`.
   * @throws InputError naming the split folder when it is absent.
   */
  constructor(root: string, split: KittiObjectSplit = 'training') {
    if (split !== 'training' && split !== 'testing') {
      throw new RangeError(`KittiObject: split must be 'training' or 'testing', got '${String(split)}'`);
    }
    this.root = root;
    this.split = split;
    this.dir = path.join(root, split);
    if (!fs.existsSync(this.dir)) {
      throw new InputError(this.dir, `not a KITTI object split: folder absent (expected ${split}/ with image_2, velodyne, calib inside)`);
    }
  }

  /** Ids of frames that have all of image_2, velodyne and calib files, ascending. */
  frameIds(): number[] {
    const velodyne = new Set(listFrameIds(path.join(this.dir, 'velodyne'), '.bin'));
    const calib = new Set(listFrameIds(path.join(this.dir, 'calib'), '.txt'));
    return listFrameIds(path.join(this.dir, 'image_2'), '.png').filter((i) => velodyne.has(i) && calib.has(i));
  }

  /**
   * Reads frame `id`'s calibration.
   * @returns P0..P3, R0_rect, Tr_velo_to_cam, Tr_imu_to_velo (row-major).
   * @throws InputError naming the path and the frames present when absent, or the key when malformed.
   */
  calib(id: number): ObjectCalib {
    return readObjectCalib(requireFrameFile(path.join(this.dir, 'calib'), id, '.txt', 'calib file'));
  }

  /**
   * Reads frame `id`'s velodyne scan.
   * @returns [N * 4] float32 x, y, z (metres, velodyne frame), reflectance.
   */
  scan(id: number, options?: ReadVelodyneOptions): VelodyneScan {
    return readVelodyneBin(requireFrameFile(path.join(this.dir, 'velodyne'), id, '.bin', 'velodyne scan'), options);
  }

  /**
   * Reads frame `id`'s left colour image (image_2).
   * @returns [H * W * 3] uint8 RGB, HWC; sizes vary per frame.
   */
  image(id: number): RgbImage {
    return readCameraImage(requireFrameFile(path.join(this.dir, 'image_2'), id, '.png', 'image_2 image'));
  }

  /**
   * Reads frame `id`'s labels (training split only).
   * @returns the labelled objects, in file order.
   * @throws InputError naming the path when label_2 or the file is absent.
   */
  labels(id: number): KittiLabel[] {
    return readLabels(requireFrameFile(path.join(this.dir, 'label_2'), id, '.txt', 'label file'));
  }
}
