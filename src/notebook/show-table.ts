/**
 * `showTable(table, name)`: displays an arquero table in the notebook and writes
 * `figures/<notebook>/<name>.md` and `<name>.csv`, formatted the same way (see
 * src/viz/table.ts), so the README can cite the file and diffs stay clean.
 */
import path from 'node:path';
import { tableToHtml, type TableFormatOptions, type TableLike } from '../viz/table.js';
import { writeTableFiles, type TableFiles } from '../data/formats/table-files.js';
import { displayBundle } from './display.js';
import { assertFileName } from './paths.js';
import { session } from './session.js';

/** Where {@link showTable} wrote a table (`<name>.md`, `<name>.csv`) and the markdown text. */
export type ShownTable = TableFiles;

/**
 * Writes a table to figures/ without displaying it (for scripts and the CLI).
 * @param table an arquero table (anything with columnNames/numRows/get)
 * @param name the table's file name without extension, kebab-case
 */
export function writeTable(table: TableLike, name: string, options: TableFormatOptions = {}): ShownTable {
  assertFileName(name, 'showTable: table name');
  return writeTableFiles(table, session().figuresDir, name, options);
}

/**
 * Displays a table (HTML, with markdown and plain text alternatives) and writes it as
 * `figures/<notebook>/<name>.md` and `.csv`.
 * @param table an arquero table
 * @param name the table's file name without extension, kebab-case, e.g. `'conventions'`
 * @param options decimals of non-integer number columns (default 3)
 */
export function showTable(table: TableLike, name: string, options: TableFormatOptions = {}): void {
  const { markdownPath, markdown: md } = writeTable(table, name, options);
  const where = path.relative(session().repoRoot, markdownPath).split(path.sep).join('/');
  displayBundle({
    'text/html': `${tableToHtml(table, options)}\n<div style="font:12px sans-serif;color:#666">table '${name}': ${where} (+ .csv)</div>`,
    'text/markdown': md,
    'text/plain': md,
  });
}
