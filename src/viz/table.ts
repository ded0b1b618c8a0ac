/**
 * Arquero tables as deterministic text: markdown (for the README and notebook outputs),
 * CSV (for other tools) and an HTML table (notebook display). The same table and options
 * always give the same bytes, so tables written to figures/ diff cleanly.
 *
 * Number formatting, per column: a column whose numbers are all integers prints them as
 * integers; otherwise every number in it gets the same fixed number of decimals (default
 * 3), so a column lines up. `-0.000` prints as `0.000`; NaN as `NaN`; infinities as `inf`
 * and `-inf`; null and undefined as an empty cell.
 * @see notebooks/00-setup-and-notation.ipynb
 */

/** The part of an arquero `ColumnTable` that these functions read. */
export interface TableLike {
  columnNames(): string[];
  numRows(): number;
  get(column: string, row?: number): unknown;
}

/** Options of the table formatters. */
export interface TableFormatOptions {
  /** Decimals for non-integer number columns: one number for all, or per column name (default 3, range 0..20). */
  decimals?: number | Record<string, number>;
}

/** Default decimals of non-integer number columns. */
export const DEFAULT_DECIMALS = 3;

function decimalsFor(col: string, options: TableFormatOptions): number {
  const d = options.decimals;
  const v = typeof d === 'number' ? d : d?.[col] ?? DEFAULT_DECIMALS;
  if (!(Number.isInteger(v) && v >= 0 && v <= 20)) {
    throw new Error(`table format: decimals for column '${col}' must be an integer in [0, 20], got ${v}`);
  }
  return v;
}

/**
 * Formats one number with fixed decimals (or as an integer when `decimals` is null).
 * @param decimals null = integer column
 */
export function formatNumber(v: number, decimals: number | null): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  const s = decimals === null ? String(v) : v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

function formatValue(v: unknown, decimals: number | null): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v, decimals);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`;
  return JSON.stringify(v);
}

/** A table's cells as strings, column by column, and which columns are numeric. */
export interface FormattedTable {
  columns: string[];
  /** True for columns whose non-empty values are all numbers (right-aligned in markdown). */
  numeric: boolean[];
  /** rows[r][c] */
  rows: string[][];
}

/** Formats every cell of a table (see the module doc for the number rules). */
export function formatTable(table: TableLike, options: TableFormatOptions = {}): FormattedTable {
  const columns = table.columnNames();
  const n = table.numRows();
  const rows: string[][] = Array.from({ length: n }, () => []);
  const numeric: boolean[] = [];
  for (const col of columns) {
    const values = Array.from({ length: n }, (_, r) => table.get(col, r));
    const present = values.filter((v) => v !== null && v !== undefined);
    const nums = present.filter((v): v is number => typeof v === 'number');
    numeric.push(present.length > 0 && nums.length === present.length);
    const allInt = nums.every((v) => Number.isInteger(v) || !Number.isFinite(v));
    const decimals = allInt ? null : decimalsFor(col, options);
    values.forEach((v, r) => rows[r].push(formatValue(v, decimals)));
  }
  return { columns, numeric, rows };
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * The table as a GitHub markdown table, columns padded to one width, numeric columns
 * right-aligned. Ends with a newline.
 */
export function tableToMarkdown(table: TableLike, options: TableFormatOptions = {}): string {
  const f = formatTable(table, options);
  const head = f.columns.map(mdCell);
  const body = f.rows.map((row) => row.map(mdCell));
  const widths = head.map((h, c) => Math.max(3, h.length, ...body.map((row) => row[c].length)));
  const pad = (s: string, c: number): string => (f.numeric[c] ? s.padStart(widths[c]) : s.padEnd(widths[c]));
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const rule = widths.map((w, c) => (f.numeric[c] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(head.map((h, c) => pad(h, c))), line(rule), ...body.map((row) => line(row.map(pad)))].join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV (RFC 4180 quoting, `\n` line ends, a header row). Ends with a newline. */
export function tableToCsv(table: TableLike, options: TableFormatOptions = {}): string {
  const f = formatTable(table, options);
  return [f.columns, ...f.rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** The table as an HTML `<table>` with the same cell text as the markdown. */
export function tableToHtml(table: TableLike, options: TableFormatOptions = {}): string {
  const f = formatTable(table, options);
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const align = (c: number): string => (f.numeric[c] ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = f.columns.map((h, c) => `<th${align(c)}>${esc(h)}</th>`).join('');
  const body = f.rows.map((row) => `<tr>${row.map((s, c) => `<td${align(c)}>${esc(s)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
