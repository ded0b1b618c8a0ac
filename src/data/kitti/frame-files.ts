/**
 * Frame files in KITTI folders: zero-padded ids (`000042.bin`), listing which frames exist,
 * and errors for a missing frame that say which frames are present.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';

/** Digits in a KITTI frame file name (`000042`). */
export const FRAME_ID_DIGITS = 6;

/**
 * Zero-pads a frame (or sequence) id.
 * @param id - a non-negative integer.
 * @param digits - the minimum width (6 for frames, 2 for sequences).
 * @returns the padded id, e.g. `padId(42, 6) === '000042'`.
 * @throws RangeError when `id` is not a non-negative integer.
 */
export function padId(id: number, digits: number = FRAME_ID_DIGITS): string {
  if (!Number.isInteger(id) || id < 0) throw new RangeError(`frame id: expected a non-negative integer, got ${id}`);
  return String(id).padStart(digits, '0');
}

/**
 * Lists the numeric ids of the files `<digits>.<ext>` in a folder.
 * @param dir - the folder (e.g. `.../sequences/00/velodyne`).
 * @param ext - the extension with its dot (`.bin`, `.png`, `.txt`).
 * @returns the ids, ascending; `[]` when the folder does not exist.
 */
export function listFrameIds(dir: string, ext: string): number[] {
  if (!fs.existsSync(dir)) return [];
  const re = new RegExp(`^(\\d+)${ext.replace('.', '\\.')}$`);
  const ids: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = re.exec(name);
    if (m) ids.push(Number(m[1]));
  }
  return ids.sort((a, b) => a - b);
}

/**
 * Summarises sorted ids as ranges: `[1, 2, 3, 5, 7, 8]` -> `1..3, 5, 7..8`.
 * @param ids - ascending integers.
 * @returns the summary, or `none` when empty.
 */
export function formatIdRanges(ids: ReadonlyArray<number>): string {
  if (ids.length === 0) return 'none';
  const parts: string[] = [];
  let start = ids[0];
  for (let i = 1; i <= ids.length; i++) {
    if (i < ids.length && ids[i] === ids[i - 1] + 1) continue;
    const end = ids[i - 1];
    parts.push(end === start ? `${start}` : `${start}..${end}`);
    if (i < ids.length) start = ids[i];
  }
  return parts.join(', ');
}

/**
 * Returns the path of a frame file, throwing when it does not exist.
 * @param dir - the folder of the frame files.
 * @param id - the frame id.
 * @param ext - the extension with its dot.
 * @param what - what the file is, for the error (e.g. `velodyne scan`).
 * @returns `dir/<6-digit id><ext>`.
 * @throws InputError naming the file, the folder and the frames present (or that the folder is absent).
 */
export function requireFrameFile(dir: string, id: number, ext: string, what: string): string {
  const name = padId(id) + ext;
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return file;
  if (!fs.existsSync(dir)) throw new InputError(file, `no ${what} ${name}: folder ${dir} does not exist`);
  throw new InputError(file, `no ${what} ${name} in ${dir} (frames present: ${formatIdRanges(listFrameIds(dir, ext))})`);
}
