/**
 * `showSource(file, region)`: prints a `// #region <name>` span of the library's source
 * as a TypeScript code block, so notebooks teach the code the library runs instead of a
 * pasted copy that drifts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRegion, listRegions, type SourceRegion } from '../viz/source-region.js';
import { displayBundle } from './display.js';
import { repoRoot } from './paths.js';

/**
 * Reads a region of a file under src/.
 * @param file path relative to src/, e.g. `'geometry/projection.ts'`
 * @param region the region's name
 * @throws Error when the file is missing or has no such region (the message lists the regions it has)
 */
export function readSourceRegion(file: string, region: string): SourceRegion {
  const srcDir = path.join(repoRoot(), 'src');
  const full = path.resolve(srcDir, file);
  if (path.isAbsolute(file) || !full.startsWith(srcDir + path.sep)) {
    throw new Error(`showSource: file must be a path relative to src/, e.g. 'geometry/projection.ts'; got '${file}'`);
  }
  if (!fs.existsSync(full)) throw new Error(`showSource: no file src/${file} (under ${srcDir})`);
  return findRegion(fs.readFileSync(full, 'utf8'), region, `src/${file}`);
}

/** The names of the regions in a file under src/ (path relative to src/). */
export function sourceRegions(file: string): string[] {
  const full = path.join(repoRoot(), 'src', file);
  return listRegions(fs.readFileSync(full, 'utf8'), `src/${file}`);
}

/**
 * Shows a region of library source as a markdown code block headed by its file and lines.
 * @param file path relative to src/, e.g. `'geometry/projection.ts'`
 * @param region the name after `// #region`
 */
export function showSource(file: string, region: string): void {
  const r = readSourceRegion(file, region);
  const head = `// src/${file}, lines ${r.startLine + 1}-${r.endLine - 1} (#region ${region})`;
  displayBundle({
    'text/markdown': `\`\`\`typescript\n${head}\n${r.text}\n\`\`\`\n`,
    'text/plain': `${head}\n${r.text}\n`,
  });
}
