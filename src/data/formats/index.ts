/**
 * File formats that are not KITTI-specific: PNG images (8-bit RGB), NumPy .npy arrays and
 * tables as .md + .csv, plus the checked read/write helpers they share.
 */
export { readPng, writePng, decodePng, encodePng } from './png.js';
export type { RgbImage } from './png.js';
export { readNpy, writeNpy, decodeNpy, encodeNpy, npyDtypeOf } from './npy.js';
export type { NpyArray, NpyData, NpyDtype } from './npy.js';
export { readFileChecked, readTextChecked, writeFileChecked, writeIfChanged } from './file-io.js';
export { writeTableFiles } from './table-files.js';
export type { TableFileOptions, TableFiles } from './table-files.js';
