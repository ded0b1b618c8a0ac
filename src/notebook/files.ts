/**
 * The shared plotly.js copy in figures/ that figure pages load. Figure and table files are
 * written with `writeIfChanged` (src/data/formats/file-io.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/** The file name of the shared plotly.js copy in figures/. */
export const PLOTLY_FILE = 'plotly.js';

/** The plotly.js-dist version that is installed (for the notebook-output CDN fallback). */
export function plotlyVersion(): string {
  const req = createRequire(import.meta.url);
  return (req('plotly.js-dist/package.json') as { version: string }).version;
}

/**
 * Makes sure `<figuresRoot>/plotly.js` is the installed plotly.js-dist bundle (copied
 * once; again when the installed one differs in size or is newer).
 * @returns the copy's path
 * @throws Error when plotly.js-dist is not installed
 */
export function ensurePlotlyCopy(figuresRoot: string): string {
  const req = createRequire(import.meta.url);
  let src: string;
  try {
    src = req.resolve('plotly.js-dist/plotly.js');
  } catch {
    throw new Error("show(): the package 'plotly.js-dist' is not installed; run 'npm install'");
  }
  const dst = path.join(figuresRoot, PLOTLY_FILE);
  const s = fs.statSync(src);
  const d = fs.statSync(dst, { throwIfNoEntry: false });
  if (!d || d.size !== s.size || d.mtimeMs < s.mtimeMs) {
    fs.mkdirSync(figuresRoot, { recursive: true });
    const tmp = `${dst}.${process.pid}.tmp`;
    fs.copyFileSync(src, tmp);
    fs.renameSync(tmp, dst);
  }
  return dst;
}
