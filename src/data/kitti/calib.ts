/**
 * KITTI calibration files: `sequences/XX/calib.txt` (odometry) and `calib/NNNNNN.txt`
 * (object). Each line is a key, usually followed by ':', then row-major numbers.
 *
 * Convention: every matrix is a row-major Float64Array. `P0..P3` are the 3x4 projection
 * matrices of the rectified cameras (pixels from rectified camera-0 coordinates, metres).
 * Odometry `Tr` and object `Tr_velo_to_cam` are 3x4 rigid transforms camFromLidar
 * (velodyne frame -> camera 0 frame, metres). Object `R0_rect` is the 3x3 rectifying
 * rotation (rectified camera 0 from camera 0). Odometry projection into camera k:
 * `Pk * [Tr; 0 0 0 1]`; object: `P2 * R0_rect * Tr_velo_to_cam`.
 */
import { InputError } from '../../core/errors.js';
import { readTextChecked, writeFileChecked } from '../formats/file-io.js';
import { formatNumbers, parseNumbers, splitLines } from './text-numbers.js';

/** Calibration of a KITTI odometry sequence (all row-major 3x4, Float64Array(12)). */
export interface OdometryCalib {
  /** Projection of rectified camera 0 (left gray), pixels from camera-0 metres. */
  P0: Float64Array;
  /** Projection of camera 1 (right gray). */
  P1: Float64Array;
  /** Projection of camera 2 (left colour). */
  P2: Float64Array;
  /** Projection of camera 3 (right colour). */
  P3: Float64Array;
  /** camFromLidar: velodyne frame -> rectified camera 0 frame, metres. */
  Tr: Float64Array;
}

/** Calibration of a KITTI object frame. */
export interface ObjectCalib {
  /** [12] row-major 3x4 projection of camera 0. */
  P0: Float64Array;
  /** [12] row-major 3x4 projection of camera 1. */
  P1: Float64Array;
  /** [12] row-major 3x4 projection of camera 2 (left colour, image_2). */
  P2: Float64Array;
  /** [12] row-major 3x4 projection of camera 3. */
  P3: Float64Array;
  /** [9] row-major 3x3 rectifying rotation, rectified camera 0 from camera 0. */
  R0_rect: Float64Array;
  /** [12] row-major 3x4 camFromLidar: velodyne -> (unrectified) camera 0, metres. */
  Tr_velo_to_cam: Float64Array;
  /** [12] row-major 3x4 lidarFromImu: IMU -> velodyne, metres. */
  Tr_imu_to_velo: Float64Array;
}

interface CalibEntry { tokens: string[]; lineNo: number }

/** Splits calibration text into key -> numbers tokens; keys lose a trailing ':'. */
function parseCalibEntries(text: string, file: string): Map<string, CalibEntry> {
  const entries = new Map<string, CalibEntry>();
  for (const { lineNo, tokens } of splitLines(text)) {
    let key = tokens[0];
    let rest = tokens.slice(1);
    const colon = key.indexOf(':');
    if (colon >= 0 && colon < key.length - 1) { // `P0:7.18e+02 ...` with no space after ':'
      rest = [key.slice(colon + 1), ...rest];
      key = key.slice(0, colon + 1);
    }
    key = key.replace(/:$/, '');
    if (entries.has(key)) throw new InputError(file, `key '${key}' appears twice (lines ${entries.get(key)!.lineNo} and ${lineNo})`);
    entries.set(key, { tokens: rest, lineNo });
  }
  return entries;
}

/** Reads one key's numbers; `names` lists accepted spellings, the first is the canonical one. */
function take(entries: Map<string, CalibEntry>, file: string, names: string[], count: number): Float64Array {
  const name = names.find((n) => entries.has(n));
  if (name === undefined) {
    const present = [...entries.keys()].join(', ') || 'none';
    throw new InputError(file, `missing key '${names[0]}' (expected a line '${names[0]}: <${count} numbers>'; keys present: ${present})`);
  }
  const { tokens, lineNo } = entries.get(name)!;
  return parseNumbers(tokens, count, file, `key '${name}' (line ${lineNo})`);
}

/**
 * Parses the text of an odometry calib.txt.
 * @param text - the file's text: lines `P0: <12 numbers>` .. `P3:`, `Tr: <12 numbers>`.
 * @param file - the file name, for errors.
 * @returns P0..P3 and Tr, each [12] float64, row-major 3x4.
 * @throws InputError naming `file` and the key when a key is missing, repeated, holds the
 *   wrong count of numbers (expected vs got), or a token is not a number.
 */
export function parseOdometryCalib(text: string, file: string): OdometryCalib {
  const e = parseCalibEntries(text, file);
  return {
    P0: take(e, file, ['P0'], 12), P1: take(e, file, ['P1'], 12), P2: take(e, file, ['P2'], 12),
    P3: take(e, file, ['P3'], 12), Tr: take(e, file, ['Tr'], 12),
  };
}

/**
 * Reads a KITTI odometry `sequences/XX/calib.txt`.
 * @param file - path of calib.txt.
 * @returns P0..P3 and Tr (camFromLidar), each [12] float64, row-major 3x4.
 * @throws InputError naming `file` (and the key) when it is absent or malformed.
 */
export function readOdometryCalib(file: string): OdometryCalib {
  return parseOdometryCalib(readTextChecked(file, 'a KITTI odometry calib.txt'), file);
}

/**
 * Parses the text of an object-benchmark calib file. Also accepts the tracking-benchmark
 * spellings `R_rect`, `Tr_velo_cam`, `Tr_imu_velo`; blank lines are ignored.
 * @param text - the file's text.
 * @param file - the file name, for errors.
 * @returns P0..P3 [12], R0_rect [9], Tr_velo_to_cam [12], Tr_imu_to_velo [12], row-major.
 * @throws InputError naming `file` and the key, as {@link parseOdometryCalib}.
 */
export function parseObjectCalib(text: string, file: string): ObjectCalib {
  const e = parseCalibEntries(text, file);
  return {
    P0: take(e, file, ['P0'], 12), P1: take(e, file, ['P1'], 12), P2: take(e, file, ['P2'], 12),
    P3: take(e, file, ['P3'], 12),
    R0_rect: take(e, file, ['R0_rect', 'R_rect'], 9),
    Tr_velo_to_cam: take(e, file, ['Tr_velo_to_cam', 'Tr_velo_cam'], 12),
    Tr_imu_to_velo: take(e, file, ['Tr_imu_to_velo', 'Tr_imu_velo'], 12),
  };
}

/**
 * Reads a KITTI object `calib/NNNNNN.txt`.
 * @param file - path of the calib file.
 * @returns see {@link parseObjectCalib}.
 * @throws InputError naming `file` (and the key) when it is absent or malformed.
 */
export function readObjectCalib(file: string): ObjectCalib {
  return parseObjectCalib(readTextChecked(file, 'a KITTI object calib file'), file);
}

/**
 * Writes an odometry calib.txt in KITTI's layout (`P0: ...` .. `Tr: ...`), creating folders.
 * @param file - path of calib.txt.
 * @param calib - P0..P3 and Tr, each 12 numbers, row-major 3x4.
 * @throws RangeError when a matrix does not hold 12 finite numbers.
 */
export function writeOdometryCalib(file: string, calib: OdometryCalib): void {
  const keys = ['P0', 'P1', 'P2', 'P3', 'Tr'] as const;
  const lines = keys.map((k) => {
    const m = calib[k];
    if (m === undefined || m.length !== 12) throw new RangeError(`writeOdometryCalib: ${k} must hold 12 numbers, got ${m?.length}`);
    return `${k}: ${formatNumbers(m)}`;
  });
  writeFileChecked(file, lines.join('\n') + '\n');
}

/**
 * Extends a KITTI 3x4 matrix to 4x4 by appending the row 0 0 0 1.
 * @param a - [12] row-major 3x4 (e.g. `Tr`, a pose).
 * @returns [16] float64, row-major 4x4.
 */
export function mat4FromKitti12(a: ArrayLike<number>): Float64Array {
  if (a.length !== 12) throw new RangeError(`mat4FromKitti12: expected 12 numbers, got ${a.length}`);
  const m = new Float64Array(16);
  for (let i = 0; i < 12; i++) m[i] = a[i];
  m[15] = 1;
  return m;
}

/**
 * Embeds a 3x3 rotation (e.g. `R0_rect`) in a 4x4 homogeneous matrix with zero translation.
 * @param r9 - [9] row-major 3x3.
 * @returns [16] float64, row-major 4x4.
 */
export function mat4FromR0(r9: ArrayLike<number>): Float64Array {
  if (r9.length !== 9) throw new RangeError(`mat4FromR0: expected 9 numbers, got ${r9.length}`);
  const m = new Float64Array(16);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m[r * 4 + c] = r9[r * 3 + c];
  m[15] = 1;
  return m;
}
