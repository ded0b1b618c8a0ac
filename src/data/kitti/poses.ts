/**
 * KITTI odometry ground-truth poses (`poses/XX.txt`): one line per frame, 12 numbers, the
 * row-major 3x4 matrix [R | t] of worldFromCam0 at that frame.
 *
 * Frames: "world" is camera 0's frame at frame 0 of the sequence (x right, y down,
 * z forward), metres. Pose i maps points in camera 0's frame at frame i into the world.
 * Use {@link mat4FromKitti12} for a 4x4 matrix.
 */
import { InputError } from '../../core/errors.js';
import { readTextChecked, writeFileChecked } from '../formats/file-io.js';
import { formatNumbers, parseNumbers, splitLines } from './text-numbers.js';

/**
 * Parses the text of a KITTI poses file.
 * @param text - one line of 12 numbers per frame; a final line end is optional.
 * @param file - the file name, for errors.
 * @returns one [12] float64 row-major 3x4 worldFromCam0 per frame, in frame order.
 * @throws InputError naming `file` and the line number on a blank line inside the file,
 *   a line without 12 numbers (expected vs got), or a token that is not a number.
 */
export function parsePoses(text: string, file: string): Float64Array[] {
  const lines = splitLines(text, true);
  if (lines.length === 0) throw new InputError(file, 'no poses (expected one line of 12 numbers per frame)');
  return lines.map(({ lineNo, tokens }) => {
    if (tokens.length === 0) throw new InputError(file, `line ${lineNo} is blank (expected 12 numbers per frame, one frame a line)`);
    return parseNumbers(tokens, 12, file, `line ${lineNo}`);
  });
}

/**
 * Reads a KITTI odometry poses file.
 * @param file - path of `poses/XX.txt`.
 * @returns one [12] float64 row-major 3x4 worldFromCam0 per frame (metres).
 * @throws InputError naming `file` and the line number when it is absent or malformed.
 */
export function readPoses(file: string): Float64Array[] {
  return parsePoses(readTextChecked(file, 'a KITTI poses file (12 numbers a line)'), file);
}

/**
 * Writes poses in KITTI's layout, one line of 12 numbers per frame, creating folders.
 * @param file - path of the poses file.
 * @param poses - per frame, 12 numbers: row-major 3x4 worldFromCam0 (or the first 12 of a 4x4).
 * @throws RangeError when a pose holds fewer than 12 numbers or a non-finite value.
 */
export function writePoses(file: string, poses: ReadonlyArray<ArrayLike<number>>): void {
  const lines = poses.map((p, i) => {
    if (p.length !== 12 && p.length !== 16) throw new RangeError(`writePoses: pose ${i} holds ${p.length} numbers, expected 12 (3x4) or 16 (4x4)`);
    return formatNumbers(Array.from(p).slice(0, 12));
  });
  writeFileChecked(file, lines.map((l) => l + '\n').join(''));
}
