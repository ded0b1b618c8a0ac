/**
 * `show(figure, name)`: displays a plotly figure in the notebook and writes it to
 * `figures/<notebook>/<name>.html` (a page that draws it) and `<name>.json` (the spec).
 *
 * The pages load plotly.js from one shared copy, `figures/plotly.js` (plotly.js-dist is
 * 11 MB: inlined, every figure page would be that big). So a page works where it lies in
 * the figures/ tree; copy `figures/plotly.js` along when moving one elsewhere.
 */
import path from 'node:path';
import { figureJson, missingAxisTitles, type Figure } from '../viz/figure.js';
import { figureOutputHtml, figurePageHtml, withSize } from '../viz/figure-html.js';
import { displayBundle } from './display.js';
import { ensurePlotlyCopy, plotlyVersion } from './files.js';
import { writeIfChanged } from '../data/formats/file-io.js';
import { assertFileName, figuresRoot } from './paths.js';
import { session } from './session.js';

/** Where {@link show} wrote a figure. */
export interface ShownFigure {
  /** The page that draws the figure. */
  htmlPath: string;
  /** The figure spec as JSON. */
  jsonPath: string;
}

let outputCount = 0;

/** A path relative to the repository root when it is inside it, with `/` separators. */
function shortPath(p: string): string {
  const rel = path.relative(session().repoRoot, p);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? p : rel).split(path.sep).join('/');
}

/**
 * Writes a figure to figures/ without displaying it (for scripts and the CLI).
 * @param name the figure's file name without extension, kebab-case
 */
export function writeFigure(fig: Figure, name: string): ShownFigure {
  assertFileName(name, 'show: figure name');
  const s = session();
  const plotly = ensurePlotlyCopy(figuresRoot());
  const plotlySrc = path.relative(s.figuresDir, plotly).split(path.sep).join('/');
  const htmlPath = path.join(s.figuresDir, `${name}.html`);
  const jsonPath = path.join(s.figuresDir, `${name}.json`);
  writeIfChanged(jsonPath, `${figureJson(withSize(fig))}\n`);
  writeIfChanged(htmlPath, figurePageHtml(fig, { title: `${s.name}: ${name}`, plotlySrc }));
  return { htmlPath, jsonPath };
}

/**
 * Displays a figure (plotly output in JupyterLab, an HTML fallback elsewhere) and writes
 * `figures/<notebook>/<name>.html` and `.json`. Warns when an axis has no title.
 * @param fig the figure spec (typed arrays allowed)
 * @param name the figure's file name without extension, kebab-case, e.g. `'frames-3d'`
 */
export function show(fig: Figure, name: string): void {
  const missing = missingAxisTitles(fig);
  if (missing.length) console.warn(`show('${name}'): axes without a title (house rule: title with unit): ${missing.join(', ')}`);
  const { htmlPath } = writeFigure(fig, name);
  const spec = JSON.parse(figureJson(withSize(fig))) as Figure;
  const caption = `figure '${name}': ${shortPath(htmlPath)}`;
  displayBundle({
    'application/vnd.plotly.v1+json': { data: spec.data, layout: spec.layout, config: { displaylogo: false, ...(spec.config ?? {}) } },
    'text/html': figureOutputHtml(fig, {
      divId: `i2p-${session().name}-${name}-${++outputCount}`,
      plotlyUrl: `https://cdn.plot.ly/plotly-${plotlyVersion()}.min.js`,
      caption,
    }),
    'text/plain': caption,
  });
}
