/**
 * Strict parsing and formatting of the whitespace-separated decimal numbers in KITTI text
 * files (calib.txt, poses, times.txt, label_2). A token that is not a plain decimal number
 * (`abc`, `nan`, `0x10`, `1,5`) is an error that names the file, the line and the token;
 * nothing is read as NaN or skipped.
 */
import { InputError } from '../../core/errors.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One non-empty line of a text file, split into tokens. */
export interface TextLine {
  /** 1-based line number in the file. */
  lineNo: number;
  /** The whitespace-separated tokens of the line. */
  tokens: string[];
}

/**
 * Splits text into lines of whitespace-separated tokens.
 * @param text - the file's text (LF or CRLF line ends).
 * @param keepBlank - when true, blank lines are kept (with no tokens) except after the last
 *   non-blank line; when false they are dropped.
 * @returns the lines, each with its 1-based line number.
 */
export function splitLines(text: string, keepBlank = false): TextLine[] {
  const lines = text.split(/\r?\n/).map((l, i) => ({ lineNo: i + 1, tokens: l.trim().split(/\s+/).filter((t) => t !== '') }));
  while (lines.length > 0 && lines[lines.length - 1].tokens.length === 0) lines.pop();
  return keepBlank ? lines : lines.filter((l) => l.tokens.length > 0);
}

/**
 * Parses one decimal number token.
 * @param token - the text of the number.
 * @param where - the file, for the error.
 * @param context - what the token is (e.g. `line 3, key 'P2', number 5`), for the error.
 * @returns the number.
 * @throws InputError naming `where`, `context` and the token when it is not a decimal number.
 */
export function parseNumberToken(token: string, where: string, context: string): number {
  if (!DECIMAL.test(token)) throw new InputError(where, `${context}: '${token}' is not a number`);
  return Number(token);
}

/**
 * Parses a list of decimal tokens, checking their count.
 * @param tokens - the number tokens.
 * @param expected - the count that must be present.
 * @param where - the file, for errors.
 * @param context - what the tokens are (e.g. `line 2` or `key 'Tr' (line 5)`), for errors.
 * @returns [expected] float64 values.
 * @throws InputError naming `where` and `context`, with the expected and got counts, or the bad token.
 */
export function parseNumbers(tokens: ReadonlyArray<string>, expected: number, where: string, context: string): Float64Array {
  if (tokens.length !== expected) {
    throw new InputError(where, `${context}: expected ${expected} numbers, got ${tokens.length}`);
  }
  const out = new Float64Array(expected);
  for (let i = 0; i < expected; i++) out[i] = parseNumberToken(tokens[i], where, `${context}, number ${i + 1}`);
  return out;
}

/**
 * Formats numbers the way KITTI files do (`7.188560000000e+02`), space-separated.
 * @param values - the numbers to write.
 * @param digits - digits after the decimal point (12 keeps float64 values to ~1e-12 relative).
 * @returns one line of text, without a line end.
 * @throws RangeError when a value is not finite.
 */
export function formatNumbers(values: ArrayLike<number>, digits = 12): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) throw new RangeError(`formatNumbers: value ${i} is ${x}, expected a finite number`);
    parts.push(x.toExponential(digits).replace(/e([+-])(\d)$/, (_m, sign: string, d: string) => `e${sign}0${d}`));
  }
  return parts.join(' ');
}
