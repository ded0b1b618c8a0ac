/**
 * KITTI velodyne scans (`velodyne/NNNNNN.bin`): a flat little-endian float32 array of
 * x, y, z, reflectance per point, 16 bytes a point, no header.
 *
 * Frame: the velodyne (LiDAR) frame, x forward, y left, z up, metres; reflectance in [0, 1].
 * A file whose length is not a multiple of 16 bytes is rejected, and so are NaN or Inf
 * values unless the caller asks to have them reported (they are never dropped).
 * Assumes a little-endian host.
 */
import { InputError } from '../../core/errors.js';
import { readFileChecked, writeFileChecked } from '../formats/file-io.js';

/** Bytes per point in a KITTI .bin scan: 4 float32 values (x, y, z, reflectance). */
export const VELODYNE_BYTES_PER_POINT = 16;

/** A velodyne scan as read from a .bin file. */
export interface VelodyneScan {
  /** [N * 4] float32: x, y, z (metres, velodyne frame), reflectance per point. */
  points: Float32Array;
  /** N, the number of points. */
  count: number;
  /** The file (or buffer name) the scan came from. */
  file: string;
  /** Present only with `{ nonFinite: 'report' }`: the points holding NaN or Inf values. */
  nonFinite?: {
    /** How many points hold at least one NaN or Inf. */
    count: number;
    /** [count] int32 indices of those points, ascending. */
    indices: Int32Array;
  };
}

/** Options of {@link readVelodyneBin} and {@link parseVelodyne}. */
export interface ReadVelodyneOptions {
  /**
   * What to do with points that hold NaN or Inf: `'throw'` (default) raises an InputError;
   * `'report'` returns all points and lists the bad ones in `nonFinite`.
   */
  nonFinite?: 'throw' | 'report';
}

/**
 * Parses the bytes of a velodyne .bin scan.
 * @param buf - the bytes of the file, [N * 16].
 * @param name - the file name, used in errors and returned as `file`.
 * @param options - see {@link ReadVelodyneOptions}.
 * @returns the points, [N * 4] float32 (x, y, z in metres in the velodyne frame, reflectance).
 * @throws InputError naming `name` when the byte length is 0 or not a multiple of 16, or
 *   (unless `nonFinite: 'report'`) when points hold NaN or Inf.
 */
export function parseVelodyne(buf: Uint8Array, name: string, options: ReadVelodyneOptions = {}): VelodyneScan {
  const mode = options.nonFinite ?? 'throw';
  if (mode !== 'throw' && mode !== 'report') {
    throw new RangeError(`parseVelodyne: nonFinite must be 'throw' or 'report', got '${String(mode)}'`);
  }
  if (buf.byteLength % VELODYNE_BYTES_PER_POINT !== 0) {
    const whole = Math.floor(buf.byteLength / VELODYNE_BYTES_PER_POINT);
    throw new InputError(name, `byte length ${buf.byteLength} is not a multiple of 16 (a KITTI velodyne scan holds `
      + `16 bytes per point: float32 x, y, z, reflectance); ${whole} whole points and ${buf.byteLength % 16} stray bytes: `
      + 'the file is truncated or not a velodyne scan');
  }
  if (buf.byteLength === 0) throw new InputError(name, 'empty velodyne scan (0 bytes; expected 16 bytes per point)');
  const count = buf.byteLength / VELODYNE_BYTES_PER_POINT;
  const points = new Float32Array(count * 4); // [N * 4], a fresh aligned copy
  new Uint8Array(points.buffer).set(buf);
  const bad: number[] = [];
  for (let i = 0; i < count; i++) {
    const o = i * 4;
    if (!(Number.isFinite(points[o]) && Number.isFinite(points[o + 1]) && Number.isFinite(points[o + 2]) && Number.isFinite(points[o + 3]))) {
      bad.push(i);
    }
  }
  if (bad.length === 0) return { points, count, file: name };
  if (mode === 'throw') {
    const i = bad[0];
    const first = Array.from(points.subarray(i * 4, i * 4 + 4)).join(', ');
    throw new InputError(name, `${bad.length} of ${count} points hold NaN or Inf values (first bad point index ${i}: `
      + `[${first}]); pass { nonFinite: 'report' } to read them with their indices`);
  }
  return { points, count, file: name, nonFinite: { count: bad.length, indices: Int32Array.from(bad) } };
}

/**
 * Reads a KITTI velodyne .bin scan.
 * @param file - path of the .bin file.
 * @param options - see {@link ReadVelodyneOptions}.
 * @returns the points, [N * 4] float32 (x, y, z in metres in the velodyne frame, reflectance).
 * @throws InputError naming `file` when it is absent, truncated (length not a multiple of
 *   16 bytes), empty, or (unless `nonFinite: 'report'`) holds NaN or Inf values.
 */
export function readVelodyneBin(file: string, options: ReadVelodyneOptions = {}): VelodyneScan {
  return parseVelodyne(readFileChecked(file, 'a KITTI velodyne scan (.bin, 16 bytes per point)'), file, options);
}

/**
 * Writes points as a KITTI velodyne .bin scan (little-endian float32), creating parent folders.
 * @param file - path of the .bin file.
 * @param points - [N * 4] float32: x, y, z (metres, velodyne frame), reflectance.
 * @throws RangeError when `points.length` is not a multiple of 4 or a value is NaN or Inf.
 */
export function writeVelodyneBin(file: string, points: Float32Array): void {
  if (points.length % 4 !== 0) {
    throw new RangeError(`writeVelodyneBin: points must be a flat array of N x 4 values, got length ${points.length}`);
  }
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i])) {
      throw new RangeError(`writeVelodyneBin: point ${Math.floor(i / 4)} holds ${points[i]}, expected finite values`);
    }
  }
  writeFileChecked(file, new Uint8Array(points.buffer, points.byteOffset, points.byteLength));
}
