/**
 * File formats that are not KITTI-specific: PNG images (8-bit RGB) and NumPy .npy arrays,
 * plus the checked read/write helpers the readers share.
 */
export { readPng, writePng, decodePng, encodePng } from './png.js';
export type { RgbImage } from './png.js';
export { readNpy, writeNpy, decodeNpy, encodeNpy, npyDtypeOf } from './npy.js';
export type { NpyArray, NpyData, NpyDtype } from './npy.js';
export { readFileChecked, readTextChecked, writeFileChecked } from './file-io.js';
