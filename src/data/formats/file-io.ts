/**
 * Checked file reads and writes for the format readers: a missing file, a folder where a
 * file was expected, or an unwritable path becomes an {@link InputError} that names the
 * path and what kind of file was expected, instead of a bare `ENOENT`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';

/**
 * Reads a whole file into memory.
 * @param file - path of the file (relative paths resolve against the working directory).
 * @param what - what the file should hold, for the error message (e.g. `a KITTI velodyne scan (.bin)`).
 * @returns the bytes of the file.
 * @throws InputError naming `file` and `what` when the file is absent, a folder, or unreadable.
 */
export function readFileChecked(file: string, what: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InputError(file, `file not found (expected ${what})`);
  }
  if (stat.isDirectory()) throw new InputError(file, `is a folder (expected ${what})`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new InputError(file, `cannot read ${what}: ${(e as Error).message}`);
  }
}

/**
 * Reads a text file as UTF-8.
 * @param file - path of the file.
 * @param what - what the file should hold, for the error message.
 * @returns the text of the file.
 * @throws InputError naming `file` and `what` when the file is absent or unreadable.
 */
export function readTextChecked(file: string, what: string): string {
  return readFileChecked(file, what).toString('utf8');
}

/**
 * Writes a file, creating its parent folders first.
 * @param file - path of the file to create or overwrite.
 * @param data - bytes or text (text is written as UTF-8).
 * @throws InputError naming `file` when the folder cannot be created or the file written.
 */
export function writeFileChecked(file: string, data: Uint8Array | string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  } catch (e) {
    throw new InputError(file, `cannot write: ${(e as Error).message}`);
  }
}

/**
 * Writes `text` to `file` unless it already holds exactly that text (so an unchanged figure
 * or table keeps its mtime and nothing downstream redraws it); makes the parent folders and
 * replaces the file atomically (a temporary file, then a rename).
 * @returns true when the file was written
 * @throws InputError naming `file` when the folder cannot be made or the file written.
 */
export function writeIfChanged(file: string, text: string): boolean {
  try {
    if (fs.readFileSync(file, 'utf8') === text) return false;
  } catch { /* missing: write it */ }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    throw new InputError(file, `cannot write: ${(e as Error).message}`);
  }
  return true;
}
