/**
 * A query of global localization: one camera-2 photo prepared for both networks (ModaLink's
 * cropped, resized input; the registration model's centre crop and its intrinsics), with its
 * true pose in the map's world when one is known (for errors only; the chain never reads it).
 * @see notebooks/06-global-localization.ipynb
 */
import { InputError } from '../core/errors.js';
import type { RgbImage } from '../data/formats/png.js';
import { readPng } from '../data/formats/png.js';
import { KittiOdometry } from '../data/kitti/odometry.js';
import { centreCropPairImage, resizePairImage } from '../data/pairs/build-pair.js';
import type { PairConfig } from '../data/pairs/config.js';
import { sourceImageScale } from '../data/pairs/pair-dataset.js';
import type { Mat3, Mat4 } from '../geometry/matrix.js';
import type { ModaLinkConfig } from '../modalink/config.js';
import { cropTopRows, modalinkImageU8 } from '../modalink/data.js';
import { cameraTwoPoses } from './map.js';

/** One query, ready for the chain. */
export interface LocalizationQuery {
  /** Name in tables: `SS/NNNNNN` (sequence / frame) or the file's name. */
  readonly id: string;
  /** [H * W * 3] uint8: ModaLink's input (modalinkImageU8). */
  readonly modalinkImage: Uint8Array;
  /** [cropHeight * cropWidth * 3] float32 in [0, 1]: the registration model's centre crop. */
  readonly registrationImage: Float32Array;
  /** [9] row-major intrinsics of the crop, pixels. */
  readonly K: Mat3;
  /** [16] row-major true worldFromCam (camera 2), map world; absent when unknown. */
  readonly worldFromCam?: Mat4;
  /** Seconds spent decoding and preparing the image. */
  readonly prepareSeconds: number;
}

/**
 * Prepares a decoded photo: ModaLink's crop and resize, the registration model's resize and centre crop.
 * @param img uint8 RGB, taken with the camera of projection P2
 * @param P2 [12] row-major 3 x 4 projection at the stored resolution
 * @param sourceScale the stored images' scale relative to full KITTI (1 for real KITTI)
 * @param name the image's file (errors name it)
 */
export function prepareQueryImage(img: RgbImage, P2: ArrayLike<number>, modalink: Readonly<ModaLinkConfig>, pairs: Readonly<PairConfig>, sourceScale: number, name: string): Pick<LocalizationQuery, 'modalinkImage' | 'registrationImage' | 'K'> {
  const cropTop = cropTopRows(modalink.cropTopPx, img.width);
  if (cropTop >= img.height) throw new InputError(name, `ModaLink's crop of ${cropTop} rows leaves nothing of ${img.height}`);
  const crop = centreCropPairImage(resizePairImage(img, P2, pairs, sourceScale, name), pairs);
  return { modalinkImage: modalinkImageU8(img, cropTop, modalink.inputWidthPx, modalink.inputHeightPx), registrationImage: crop.image, K: crop.K };
}

/** Where queries come from: frames of a KITTI-layout sequence (with poses for errors), or one PNG file. */
export type QuerySource =
  | { kind: 'sequence'; root: string; sequence: number | string; frame: number; worldFromPoses?: ArrayLike<number> }
  | { kind: 'file'; file: string; mapRoot: string; mapSequence: number | string };

// #region loadQuery
/**
 * Reads and prepares one query. A file must be a camera-2 photo of the map's rig: the map's P2
 * and image scale are used, and its size must be the map's images' size.
 * @throws InputError naming the file for a missing or unreadable image, or a size other than the map's
 */
export function loadQuery(src: QuerySource, modalink: Readonly<ModaLinkConfig>, pairs: Readonly<PairConfig>): LocalizationQuery {
  const t0 = performance.now();
  if (src.kind === 'sequence') {
    const s = new KittiOdometry(src.root).sequence(src.sequence);
    const img = s.image(src.frame, 2);
    const prepared = prepareQueryImage(img, s.calib.P2, modalink, pairs, sourceImageScale(src.root), s.imagePath(src.frame, 2));
    const truth = s.poses ? cameraTwoPoses(src.root, src.sequence, [src.frame], src.worldFromPoses)[0] : undefined;
    return { id: `${s.id}/${String(src.frame).padStart(6, '0')}`, ...prepared, ...(truth ? { worldFromCam: truth } : {}), prepareSeconds: (performance.now() - t0) / 1000 };
  }
  const map = new KittiOdometry(src.mapRoot).sequence(src.mapSequence);
  const ref = map.image(map.frameIds('image_2')[0], 2);
  const img = readPng(src.file);
  if (img.width !== ref.width || img.height !== ref.height) {
    throw new InputError(src.file, `expected a camera-2 photo of the map's rig, ${ref.width} x ${ref.height} (as ${map.imagePath(map.frameIds('image_2')[0], 2)}), got ${img.width} x ${img.height}`);
  }
  const prepared = prepareQueryImage(img, map.calib.P2, modalink, pairs, sourceImageScale(src.mapRoot), src.file);
  const id = src.file.split(/[\\/]/).pop() ?? src.file;
  return { id, ...prepared, prepareSeconds: (performance.now() - t0) / 1000 };
}
// #endregion loadQuery
