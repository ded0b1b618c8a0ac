/**
 * Plotly figures of notebook 02 (NMF clustering): a grid of small heatmaps (NMF factors,
 * label maps), loss curves over iterations, and scatter panels coloured by cluster.
 * Pure data: nothing here draws or reads files.
 *
 * Convention: a map is [h * w] row-major, pixel (u, v) = (column, row) centred at integer
 * coordinates, v down (as in image-figures.ts). Cluster labels are integers in [0, K).
 * @see notebooks/02-nmf-clustering.ipynb
 */
import { axis, type Figure, type PlotlyLayout, type PlotlyTrace } from './figure.js';
import { plotlyColorscale } from './geometry-figures.js';

/** 20 distinct colours for cluster labels (matplotlib's tab20, dark shades first). */
export const CATEGORY_COLORS: readonly string[] = Object.freeze([
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5',
]);

/**
 * A stepped plotly colour scale for labels 0..k-1: use it with a colour range [-0.5, k - 0.5].
 * @param k number of labels, 1..20
 */
export function categoricalColorscale(k: number): [number, string][] {
  if (!(Number.isInteger(k) && k >= 1 && k <= CATEGORY_COLORS.length)) throw new RangeError(`categoricalColorscale: k must be an integer in [1, ${CATEGORY_COLORS.length}], got ${k}`);
  return Array.from({ length: k }, (_, i) => [[i / k, CATEGORY_COLORS[i]], [(i + 1) / k, CATEGORY_COLORS[i]]] as [number, string][]).flat();
}

/** Options of {@link heatmapGridFigure}. */
export interface HeatmapGridOptions {
  /** Panels per row (default 1). */
  columns?: number;
  /** Colour range [min, max] shared by all panels; default [min, max] over all values. */
  colorRange?: [number, number];
  /** Colour bar title with unit. */
  colorbarTitle: string;
  /** Plotly colour scale: a name or stops (default turbo). */
  colorscale?: string | [number, string][];
  /** Hide the colour bar (e.g. for label maps whose legend is the text). Default false. */
  hideColorbar?: boolean;
  /** Figure title. */
  title?: string;
  /** Figure width, px (default 900). */
  widthPx?: number;
  /** Axis titles of the bottom-left panel (default `['u (column)', 'px']`, `['v (row)', 'px']`). */
  xTitle?: [string, string | undefined];
  yTitle?: [string, string | undefined];
}

function extent(panels: { values: ArrayLike<number> }[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const p of panels) for (let i = 0; i < p.values.length; i++) { const v = p.values[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
  return lo < hi ? [lo, hi] : [lo, lo + 1];
}

/**
 * Many maps of one size in a grid (row-major), one colour scale for all, pixels square.
 * @param panels titles and [h * w] row-major values (any unit; say it in `colorbarTitle`)
 * @param width w, columns of every map
 * @param height h, rows of every map
 * @returns heatmap traces; only the bottom-left panel carries axis titles and tick labels
 */
export function heatmapGridFigure(panels: { title: string; values: ArrayLike<number> }[], width: number, height: number, options: HeatmapGridOptions): Figure {
  if (panels.length === 0) throw new RangeError('heatmapGridFigure: no panels');
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) throw new RangeError(`heatmapGridFigure: width and height must be positive integers, got ${width} x ${height}`);
  panels.forEach((p, i) => {
    if (p.values.length !== width * height) throw new RangeError(`heatmapGridFigure: panel ${i} ('${p.title}'): expected ${height} x ${width} = ${width * height} values, got ${p.values.length}`);
  });
  const cols = options.columns ?? 1;
  if (!(Number.isInteger(cols) && cols >= 1)) throw new RangeError(`heatmapGridFigure: columns must be an integer >= 1, got ${cols}`);
  const rows = Math.ceil(panels.length / cols);
  const widthPx = options.widthPx ?? 900;
  const margin = { l: 70, r: options.hideColorbar ? 30 : 110, t: 60, b: 55 };
  const gapXPx = 16, titlePx = 18, gapYPx = 8;
  const panelW = (widthPx - margin.l - margin.r - (cols - 1) * gapXPx) / cols;
  const panelH = (panelW * height) / width;
  const plotW = widthPx - margin.l - margin.r, plotH = rows * (panelH + titlePx + gapYPx);
  const [cmin, cmax] = options.colorRange ?? extent(panels);
  const layout: PlotlyLayout = {
    title: { text: options.title ?? '' }, width: Math.round(widthPx), height: Math.round(plotH + margin.t + margin.b), margin,
    annotations: [], showlegend: false,
    coloraxis: {
      cmin, cmax, colorscale: options.colorscale ?? plotlyColorscale('turbo'), showscale: !options.hideColorbar,
      colorbar: { title: { text: options.colorbarTitle }, thickness: 14, len: Math.min(1, 400 / plotH), y: 1, yanchor: 'top' },
    },
  };
  const bottomLeft = (rows - 1) * cols;
  const x = Array.from({ length: width }, (_, i) => i), y = Array.from({ length: height }, (_, i) => i);
  const data: PlotlyTrace[] = panels.map((p, i) => {
    const r = Math.floor(i / cols), c = i % cols;
    const k = i === bottomLeft ? '' : String((i < bottomLeft ? i : i - 1) + 2);
    const x0 = (c * (panelW + gapXPx)) / plotW, top = 1 - (r * (panelH + titlePx + gapYPx) + titlePx) / plotH;
    const common = { showgrid: false, zeroline: false, showticklabels: i === bottomLeft };
    layout[`xaxis${k}`] = { ...(i === bottomLeft ? axis(...(options.xTitle ?? ['u (column)', 'px'] as [string, string])) : {}), ...common, anchor: `y${k}`, domain: [x0, Math.min(1, x0 + panelW / plotW)], range: [-0.5, width - 0.5] };
    layout[`yaxis${k}`] = { ...(i === bottomLeft ? axis(...(options.yTitle ?? ['v (row)', 'px'] as [string, string])) : {}), ...common, anchor: `x${k}`, domain: [Math.max(0, top - panelH / plotH), top], range: [height - 0.5, -0.5] };
    (layout.annotations as unknown[]).push({ text: p.title, xref: 'paper', yref: 'paper', x: x0, y: top, xanchor: 'left', yanchor: 'bottom', showarrow: false, font: { size: 12 } });
    const z = y.map((row) => x.map((col) => p.values[row * width + col]));
    return { type: 'heatmap', name: p.title, z, x, y, xaxis: `x${k}`, yaxis: `y${k}`, coloraxis: 'coloraxis', hovertemplate: `${p.title}: (%{x}, %{y}): %{z:.3f}<extra></extra>` };
  });
  return { data, layout };
}

/** Options of {@link lossCurvesFigure}. */
export interface LossCurvesOptions {
  /** Y axis quantity and unit, e.g. `['||V - WH||² / ||V||²', undefined]`. */
  y: [string, string | undefined];
  /** X axis quantity (default `'iteration'`). */
  xTitle?: string;
  /** Logarithmic y axis (default true). */
  logY?: boolean;
  /** Dotted vertical lines with a label, e.g. `[{ x: 50, label: 'paper: 50' }]`. */
  marks?: { x: number; label: string }[];
  title?: string;
  widthPx?: number;
  heightPx?: number;
}

/**
 * One line per series over iterations 0..T-1.
 * @param series names and [T] values per iteration (index = iteration)
 */
export function lossCurvesFigure(series: { name: string; values: ArrayLike<number> }[], options: LossCurvesOptions): Figure {
  if (series.length === 0) throw new RangeError('lossCurvesFigure: no series');
  const data: PlotlyTrace[] = series.map((s) => ({
    type: 'scatter', mode: 'lines', name: s.name, x: Array.from({ length: s.values.length }, (_, i) => i), y: Array.from(s.values),
  }));
  const shapes = (options.marks ?? []).map((m) => ({ type: 'line', x0: m.x, x1: m.x, y0: 0, y1: 1, yref: 'paper', line: { dash: 'dot', color: '#555' } }));
  const annotations = (options.marks ?? []).map((m) => ({ x: m.x, y: 1, yref: 'paper', text: m.label, showarrow: false, xanchor: 'left', yanchor: 'top', font: { size: 11 } }));
  return {
    data,
    layout: {
      title: { text: options.title ?? '' }, width: options.widthPx ?? 800, height: options.heightPx ?? 420,
      xaxis: axis(options.xTitle ?? 'iteration'), yaxis: axis(options.y[0], options.y[1], options.logY === false ? {} : { type: 'log' }),
      shapes, annotations, legend: { x: 1, xanchor: 'right', y: 1 },
    },
  };
}

/** Options of {@link clusterScatterFigure}. */
export interface ClusterScatterOptions {
  x: [string, string | undefined];
  y: [string, string | undefined];
  title?: string;
  /** Circle the points whose label differs from the first panel's (default true). */
  markDisagreement?: boolean;
  widthPx?: number;
  heightPx?: number;
}

/**
 * The same 2-D points in side-by-side panels, coloured by each panel's cluster labels
 * (match the labels first so that equal colours mean the same cluster).
 * @param x [N] first coordinate of every point
 * @param y [N] second coordinate
 * @param panels titles and [N] integer labels in [0, 20)
 */
export function clusterScatterFigure(x: ArrayLike<number>, y: ArrayLike<number>, panels: { title: string; labels: ArrayLike<number> }[], options: ClusterScatterOptions): Figure {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`clusterScatterFigure: x and y must have one entry per point, got ${n} and ${y.length}`);
  if (panels.length === 0) throw new RangeError('clusterScatterFigure: no panels');
  panels.forEach((p, i) => {
    if (p.labels.length !== n) throw new RangeError(`clusterScatterFigure: panel ${i} ('${p.title}'): expected ${n} labels, got ${p.labels.length}`);
    for (let j = 0; j < n; j++) {
      const l = p.labels[j];
      if (!(Number.isInteger(l) && l >= 0 && l < CATEGORY_COLORS.length)) throw new RangeError(`clusterScatterFigure: panel ${i}: label ${l} at ${j} is not an integer in [0, ${CATEGORY_COLORS.length})`);
    }
  });
  const cols = panels.length, gap = 0.06;
  const layout: PlotlyLayout = {
    title: { text: options.title ?? '' }, width: options.widthPx ?? 450 * cols, height: options.heightPx ?? 480,
    showlegend: options.markDisagreement !== false && cols > 1, legend: { orientation: 'h', x: 1, xanchor: 'right', y: -0.2 },
    margin: { l: 70, r: 30, t: 80, b: 100 }, annotations: [],
  };
  const data: PlotlyTrace[] = [];
  panels.forEach((p, i) => {
    const k = i === 0 ? '' : String(i + 1);
    const x0 = i / cols + (i > 0 ? gap / 2 : 0), x1 = (i + 1) / cols - (i < cols - 1 ? gap / 2 : 0);
    layout[`xaxis${k}`] = axis(options.x[0], options.x[1], { domain: [x0, x1], anchor: `y${k}` });
    layout[`yaxis${k}`] = axis(options.y[0], options.y[1], { anchor: `x${k}`, ...(i > 0 ? { matches: 'y' } : {}) });
    (layout.annotations as unknown[]).push({ text: p.title, xref: 'paper', yref: 'paper', x: (x0 + x1) / 2, y: 1.0, xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 13 } });
    data.push({
      type: 'scatter', mode: 'markers', name: p.title, showlegend: false, x: Array.from(x), y: Array.from(y), xaxis: `x${k}`, yaxis: `y${k}`,
      marker: { size: 6, color: Array.from(p.labels, (l) => CATEGORY_COLORS[l]) }, text: Array.from(p.labels, (l) => `cluster ${l}`),
      hovertemplate: '(%{x:.2f}, %{y:.2f}): %{text}<extra></extra>',
    });
    if (i > 0 && options.markDisagreement !== false) {
      const idx = Array.from({ length: n }, (_, j) => j).filter((j) => p.labels[j] !== panels[0].labels[j]);
      data.push({
        type: 'scatter', mode: 'markers', name: `differs from '${panels[0].title}' (${idx.length})`, x: idx.map((j) => x[j]), y: idx.map((j) => y[j]),
        xaxis: `x${k}`, yaxis: `y${k}`, marker: { size: 13, color: 'rgba(0,0,0,0)', line: { color: '#000', width: 1.5 } }, hoverinfo: 'skip',
      });
    }
  });
  return { data, layout };
}
