/**
 * KITTI odometry timestamps (`sequences/XX/times.txt`): one number per line, the time of
 * each frame in seconds since the first frame of the sequence.
 */
import { InputError } from '../../core/errors.js';
import { readTextChecked, writeFileChecked } from '../formats/file-io.js';
import { formatNumbers, parseNumbers, splitLines } from './text-numbers.js';

/**
 * Parses the text of a times.txt.
 * @param text - one number per line; a final line end is optional.
 * @param file - the file name, for errors.
 * @returns [F] float64 timestamps in seconds, one per frame.
 * @throws InputError naming `file` and the line number on a blank line inside the file, a
 *   line with more than one number, or a token that is not a number.
 */
export function parseTimes(text: string, file: string): Float64Array {
  const lines = splitLines(text, true);
  if (lines.length === 0) throw new InputError(file, 'no timestamps (expected one number in seconds per line)');
  const out = new Float64Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const { lineNo, tokens } = lines[i];
    if (tokens.length === 0) throw new InputError(file, `line ${lineNo} is blank (expected one timestamp in seconds per line)`);
    out[i] = parseNumbers(tokens, 1, file, `line ${lineNo}`)[0];
  }
  return out;
}

/**
 * Reads a KITTI odometry times.txt.
 * @param file - path of times.txt.
 * @returns [F] float64 timestamps in seconds.
 * @throws InputError naming `file` and the line number when it is absent or malformed.
 */
export function readTimes(file: string): Float64Array {
  return parseTimes(readTextChecked(file, 'a KITTI times.txt (one number a line)'), file);
}

/**
 * Writes timestamps in KITTI's layout (`1.037359e-01`, one a line), creating folders.
 * @param file - path of times.txt.
 * @param timesS - [F] timestamps in seconds.
 * @param digits - digits after the decimal point (KITTI uses 6).
 * @throws RangeError when a value is not finite.
 */
export function writeTimes(file: string, timesS: ArrayLike<number>, digits = 6): void {
  let text = '';
  for (let i = 0; i < timesS.length; i++) text += formatNumbers([timesS[i]], digits) + '\n';
  writeFileChecked(file, text);
}
