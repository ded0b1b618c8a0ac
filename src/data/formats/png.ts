/**
 * PNG images as 8-bit RGB, through the pngjs sync API.
 *
 * Convention: images are HWC, row-major, 3 channels: the value of channel c at pixel
 * (u, v) = (column, row) is `data[(v * width + u) * 3 + c]`. On reading, alpha is dropped
 * (not composited), gray and palette images are expanded to RGB, and 16-bit channels are
 * rescaled to 8 bits (so this reader is not for 16-bit depth PNGs).
 */
import { PNG } from 'pngjs';
import { InputError } from '../../core/errors.js';
import { readFileChecked, writeFileChecked } from './file-io.js';

/** An 8-bit RGB image. */
export interface RgbImage {
  /** [H * W * 3] uint8, RGB, row-major HWC. */
  data: Uint8Array;
  /** Width W in pixels (number of columns). */
  width: number;
  /** Height H in pixels (number of rows). */
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Decodes a PNG held in memory.
 * @param buf - the bytes of a PNG file.
 * @param name - the file name or label used in error messages.
 * @returns the image as 8-bit RGB, [H * W * 3] HWC.
 * @throws InputError naming `name` when the bytes are not a PNG or the PNG is corrupt.
 */
export function decodePng(buf: Uint8Array, name = '<png buffer>'): RgbImage {
  const head = buf.subarray(0, 8);
  if (head.length < 8 || PNG_SIGNATURE.some((b, i) => head[i] !== b)) {
    throw new InputError(name, `not a PNG file: first bytes are [${hex(head)}], expected the PNG signature [${hex(PNG_SIGNATURE)}]`);
  }
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  } catch (e) {
    throw new InputError(name, `corrupt PNG (${buf.byteLength} bytes): ${(e as Error).message}`);
  }
  const { width, height } = png;
  const rgba = png.data; // [H * W * 4] RGBA, always 8-bit after pngjs's normalisation
  if (rgba.length !== width * height * 4) {
    throw new InputError(name, `decoded ${rgba.length} bytes, expected ${width}x${height}x4 RGBA`);
  }
  const data = new Uint8Array(width * height * 3); // [H * W * 3]
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    data[q] = rgba[p];
    data[q + 1] = rgba[p + 1];
    data[q + 2] = rgba[p + 2];
  }
  return { data, width, height };
}

/**
 * Encodes an RGB image as a PNG (8-bit, colour type 2, no alpha).
 * @param rgb - [H * W * 3] uint8, RGB, row-major HWC.
 * @param width - W in pixels.
 * @param height - H in pixels.
 * @returns the bytes of the PNG file.
 * @throws RangeError when `rgb.length` is not `width * height * 3`.
 */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`encodePng: width and height must be positive integers, got ${width}x${height}`);
  }
  if (rgb.length !== width * height * 3) {
    throw new RangeError(`encodePng: rgb has ${rgb.length} values, expected ${width}x${height}x3 = ${width * height * 3}`);
  }
  const png = new PNG({ width, height, inputHasAlpha: false, colorType: 2, inputColorType: 2 });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  return PNG.sync.write(png, { inputHasAlpha: false, colorType: 2, inputColorType: 2 });
}

/**
 * Reads a PNG file as 8-bit RGB.
 * @param file - path of the .png file.
 * @returns the image, [H * W * 3] HWC.
 * @throws InputError naming `file` when it is absent, not a PNG, or corrupt.
 */
export function readPng(file: string): RgbImage {
  return decodePng(readFileChecked(file, 'a PNG image'), file);
}

/**
 * Writes an RGB image as a PNG file, creating parent folders.
 * @param file - path of the .png file to write.
 * @param rgb - [H * W * 3] uint8, RGB, row-major HWC.
 * @param width - W in pixels.
 * @param height - H in pixels.
 */
export function writePng(file: string, rgb: Uint8Array, width: number, height: number): void {
  writeFileChecked(file, encodePng(rgb, width, height));
}
