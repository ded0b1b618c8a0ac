/**
 * Named spans of source code, so notebooks can show the library's code instead of
 * pasting a copy (d2l style). A region is the lines between
 *
 *     // #region name
 *     ...
 *     // #endregion        (optionally `// #endregion name`)
 *
 * Regions may nest; the marker lines of inner regions are left out of the shown text.
 * @see notebooks/00-setup-and-notation.ipynb
 */

/** One region of a source file. */
export interface SourceRegion {
  /** The region's name. */
  name: string;
  /** 1-based line of the `#region` marker. */
  startLine: number;
  /** 1-based line of the `#endregion` marker. */
  endLine: number;
  /** The lines inside, without marker lines, common indentation removed, no trailing blank lines. */
  text: string;
}

const OPEN = /^\s*\/\/\s*#region\s+(\S(?:.*\S)?)\s*$/;
const OPEN_BARE = /^\s*\/\/\s*#region\s*$/;
const CLOSE = /^\s*\/\/\s*#endregion(?:\s+(\S(?:.*\S)?))?\s*$/;

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() ? l.slice(cut) : ''));
}

/**
 * Parses every region of a file.
 * @param source the file's text
 * @param file the file's name, for error messages
 * @throws Error on an unnamed, unclosed, unopened, mismatched or duplicate region
 */
export function parseRegions(source: string, file = 'source'): SourceRegion[] {
  const lines = source.split(/\r?\n/);
  const stack: { name: string; line: number }[] = [];
  const found: SourceRegion[] = [];
  const isMarker = (l: string): boolean => OPEN.test(l) || OPEN_BARE.test(l) || CLOSE.test(l);
  lines.forEach((l, i) => {
    const lineNo = i + 1;
    if (OPEN_BARE.test(l)) throw new Error(`${file}:${lineNo}: '#region' needs a name`);
    const open = OPEN.exec(l);
    if (open) { stack.push({ name: open[1], line: lineNo }); return; }
    const close = CLOSE.exec(l);
    if (!close) return;
    const top = stack.pop();
    if (!top) throw new Error(`${file}:${lineNo}: '#endregion' without a matching '#region'`);
    if (close[1] && close[1] !== top.name) {
      throw new Error(`${file}:${lineNo}: '#endregion ${close[1]}' closes region '${top.name}' (opened at line ${top.line})`);
    }
    if (found.some((r) => r.name === top.name)) {
      throw new Error(`${file}:${top.line}: duplicate region '${top.name}'`);
    }
    const body = dedent(lines.slice(top.line, i).filter((x) => !isMarker(x)));
    while (body.length && !body[body.length - 1].trim()) body.pop();
    while (body.length && !body[0].trim()) body.shift();
    found.push({ name: top.name, startLine: top.line, endLine: lineNo, text: body.join('\n') });
  });
  if (stack.length) {
    const open = stack[stack.length - 1];
    throw new Error(`${file}:${open.line}: region '${open.name}' is never closed ('// #endregion' missing)`);
  }
  return found.sort((a, b) => a.startLine - b.startLine);
}

/** The names of a file's regions, in file order. */
export function listRegions(source: string, file = 'source'): string[] {
  return parseRegions(source, file).map((r) => r.name);
}

/**
 * One region of a file.
 * @param source the file's text
 * @param name the region's name
 * @param file the file's name, for the error message
 * @throws Error naming the file and listing the regions it has when `name` is not one
 */
export function findRegion(source: string, name: string, file = 'source'): SourceRegion {
  const regions = parseRegions(source, file);
  const hit = regions.find((r) => r.name === name);
  if (!hit) {
    const have = regions.length ? regions.map((r) => `'${r.name}'`).join(', ') : 'none (add `// #region name` ... `// #endregion`)';
    throw new Error(`${file}: no region '${name}'; regions in this file: ${have}`);
  }
  return hit;
}
