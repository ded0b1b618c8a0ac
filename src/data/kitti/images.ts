/**
 * KITTI camera images (`image_2/`, `image_3/` PNGs, 8-bit RGB) and their size check.
 *
 * Sizes: odometry images are fixed per sequence (1241x376 in sequence 00); object-benchmark
 * images vary slightly per frame (1224x370 .. 1242x375), so callers check sizes only where
 * they rely on them.
 */
import { InputError } from '../../core/errors.js';
import { readPng } from '../formats/png.js';
import type { RgbImage } from '../formats/png.js';

/** An expected image size in pixels. */
export interface ImageSize {
  /** Width W in pixels. */
  width: number;
  /** Height H in pixels. */
  height: number;
}

/**
 * Throws unless an image has the expected size.
 * @param img - the image (only `width` and `height` are read).
 * @param width - expected width W in pixels.
 * @param height - expected height H in pixels.
 * @param file - the image's file, named in the error.
 * @throws InputError naming `file`, the expected and the actual size (W x H).
 */
export function expectImageSize(img: ImageSize, width: number, height: number, file: string): void {
  if (img.width !== width || img.height !== height) {
    throw new InputError(file, `image is ${img.width}x${img.height} (WxH), expected ${width}x${height}`);
  }
}

/**
 * Reads a KITTI camera image as 8-bit RGB, optionally checking its size.
 * @param file - path of the PNG (e.g. `sequences/00/image_3/000001.png`).
 * @param size - when given, the size the image must have.
 * @returns [H * W * 3] uint8 RGB, row-major HWC.
 * @throws InputError naming `file` when it is absent, not a PNG, corrupt, or of another size.
 */
export function readCameraImage(file: string, size?: ImageSize): RgbImage {
  const img = readPng(file);
  if (size !== undefined) expectImageSize(img, size.width, size.height, file);
  return img;
}
