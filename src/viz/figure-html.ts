/**
 * Figures as HTML text: a standalone page (what figures/<notebook>/<name>.html holds) and
 * a fragment for notebook outputs that have no plotly renderer (classic notebook,
 * nbconvert HTML).
 *
 * Pages load plotly.js from a script URL given by the caller (`show()` uses one shared
 * copy, figures/plotly.js, next to the notebook folders: the plotly.js-dist bundle is
 * 11 MB, too big to inline in every figure). The spec is embedded as JSON in a
 * `<script type="application/json">` block, with `<` escaped so no string can close it.
 * When plotly has drawn, the page sets `data-rendered="1"` on `<body>` (or `data-error`),
 * which the PNG renderer waits for.
 */
import { figureJson, type Figure } from './figure.js';

/** Default page size when the layout gives none, px. */
export const DEFAULT_FIGURE_SIZE_PX = { width: 900, height: 600 } as const;

/** Options of {@link figurePageHtml}. */
export interface FigurePageOptions {
  /** Page title (the figure's name). */
  title: string;
  /** URL of plotly.js, relative to the page or absolute (e.g. `../plotly.js`). */
  plotlySrc: string;
}

/** JSON safe to embed in a `<script>` element. */
export function scriptSafeJson(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sizeOf(fig: Figure): { width: number; height: number } {
  const w = fig.layout.width, h = fig.layout.height;
  return {
    width: typeof w === 'number' && w > 0 ? w : DEFAULT_FIGURE_SIZE_PX.width,
    height: typeof h === 'number' && h > 0 ? h : DEFAULT_FIGURE_SIZE_PX.height,
  };
}

/** The figure with an explicit width and height, so the page and its PNG have a fixed size. */
export function withSize(fig: Figure): Figure {
  return { ...fig, layout: { ...fig.layout, ...sizeOf(fig) } };
}

/**
 * A standalone HTML page that draws the figure (same input, same bytes).
 * @returns the page text
 */
export function figurePageHtml(fig: Figure, options: FigurePageOptions): string {
  const sized = withSize(fig);
  const { width, height } = sizeOf(fig);
  const config = { displaylogo: false, ...(fig.config ?? {}) };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)}</title>
<script src="${escapeHtml(options.plotlySrc)}"></script>
<style>body{margin:0;background:#fff}#figure{width:${width}px;height:${height}px}</style>
</head>
<body>
<div id="figure"></div>
<script type="application/json" id="figure-spec">${scriptSafeJson(figureJson({ ...sized, config }))}</script>
<script>
(function () {
  var spec = JSON.parse(document.getElementById('figure-spec').textContent);
  if (typeof Plotly === 'undefined') {
    document.body.setAttribute('data-error', 'plotly.js did not load from ${escapeHtml(options.plotlySrc)}');
    return;
  }
  Plotly.newPlot('figure', spec.data, spec.layout, spec.config).then(function () {
    document.body.setAttribute('data-rendered', '1');
  }, function (e) { document.body.setAttribute('data-error', String(e)); });
})();
</script>
</body>
</html>
`;
}

/** Options of {@link figureOutputHtml}. */
export interface FigureOutputOptions {
  /** Id of the div (unique within the notebook page). */
  divId: string;
  /** Where to load plotly.js from when the page has no `Plotly` yet (a CDN URL). */
  plotlyUrl: string;
  /** A line shown under the figure, e.g. where its file is. */
  caption?: string;
}

/**
 * An HTML fragment for a notebook output: a div, the spec, and a loader that uses the
 * page's `Plotly` or fetches it from `plotlyUrl` (needs the network; JupyterLab uses the
 * plotly mime renderer instead and never runs this).
 */
export function figureOutputHtml(fig: Figure, options: FigureOutputOptions): string {
  const { width, height } = sizeOf(fig);
  const id = options.divId.replace(/[^A-Za-z0-9_-]/g, '_');
  const spec = scriptSafeJson(figureJson({ ...withSize(fig), config: { displaylogo: false, ...(fig.config ?? {}) } }));
  const caption = options.caption ? `\n<div style="font:12px sans-serif;color:#666">${escapeHtml(options.caption)}</div>` : '';
  return `<div id="${id}" style="width:${width}px;height:${height}px"></div>${caption}
<script type="text/javascript">
(function () {
  var spec = ${spec};
  function draw() { window.Plotly.newPlot('${id}', spec.data, spec.layout, spec.config); }
  if (window.Plotly) { draw(); return; }
  var s = document.createElement('script');
  s.src = ${JSON.stringify(options.plotlyUrl)};
  s.onload = draw;
  document.head.appendChild(s);
})();
</script>`;
}
