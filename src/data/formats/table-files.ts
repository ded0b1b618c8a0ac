/**
 * Tables as files: `<name>.md` (the markdown table, then notes as a list) beside
 * `<name>.csv` (the same cells), both formatted by src/viz/table.ts. The evaluation
 * commands, the ablation tables and the notebooks' `showTable` all write through
 * {@link writeTableFiles}, so every table in figures/ and in a run folder has one layout.
 * @see notebooks/00-setup-and-notation.ipynb
 */
import path from 'node:path';
import { tableToCsv, tableToMarkdown, type TableFormatOptions, type TableLike } from '../../viz/table.js';
import { writeIfChanged } from './file-io.js';

/** Options of {@link writeTableFiles}: the number formatting, plus notes. */
export interface TableFileOptions extends TableFormatOptions {
  /** Lines listed under the markdown table, one `- ` item each (how it was made); not in the CSV. Default none. */
  notes?: string[];
}

/** What {@link writeTableFiles} wrote. */
export interface TableFiles {
  /** `<dir>/<name>.md` */
  markdownPath: string;
  /** `<dir>/<name>.csv` */
  csvPath: string;
  /** The text of the .md file (table, then notes). */
  markdown: string;
}

/**
 * Writes a table as `<dir>/<name>.md` and `<dir>/<name>.csv`, making `dir` when needed; a
 * file whose bytes would not change is left alone (see `writeIfChanged`).
 * @param table an arquero table (anything with columnNames/numRows/get)
 * @param dir the output folder
 * @param name the file name without extension, e.g. `'recall'`
 * @param options decimals of non-integer number columns (default 3) and notes under the markdown
 * @returns the two paths and the markdown text
 * @throws InputError naming the file when it cannot be written
 */
export function writeTableFiles(table: TableLike, dir: string, name: string, options: TableFileOptions = {}): TableFiles {
  const { notes = [], ...format } = options;
  const markdownPath = path.join(dir, `${name}.md`);
  const csvPath = path.join(dir, `${name}.csv`);
  const markdown = tableToMarkdown(table, format) + (notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : '');
  writeIfChanged(markdownPath, markdown);
  writeIfChanged(csvPath, tableToCsv(table, format));
  return { markdownPath, csvPath, markdown };
}
