/**
 * Plotly figures of images: a camera image, projected points drawn over it, depth images
 * as heatmaps with a metres colour bar, a grid of depth images (e.g. the steps of depth
 * completion) and histograms. Pure data: nothing here draws or reads files.
 *
 * Convention: pixel (u, v) = (column, row) with pixel centres at integer coordinates, so
 * an image spans u in [-0.5, W - 0.5], v in [-0.5, H - 0.5]; v grows downwards (the y
 * axis is reversed) and one pixel is as wide as it is tall (`scaleanchor`). Images are
 * row-major HWC; depth images [H * W] float32, metres, 0 = empty (drawn as a gap).
 * @see notebooks/01-camera-geometry.ipynb
 */
import { axis, type Figure, type PlotlyLayout, type PlotlyTrace } from './figure.js';
import { evenSubsample, plotlyColorscale } from './geometry-figures.js';

/** An RGB image: [H * W * 3] uint8 HWC, as `readPng`/`KittiSequence.image` return. */
export interface RgbImageLike {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

/** Size and margins of an image figure. */
export interface ImageFigureSize {
  /** Figure width, px (default 900). */
  widthPx?: number;
  /** Extra height for titles, axes and colour bars, px (default 110). */
  marginPx?: number;
}

function checkSize(what: string, n: number, width: number, height: number, channels: number): void {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`${what}: width and height must be positive integers, got ${width} x ${height}`);
  }
  if (n !== width * height * channels) throw new RangeError(`${what}: expected ${height} x ${width}${channels > 1 ? ` x ${channels}` : ''} = ${width * height * channels} values, got ${n}`);
}

/**
 * Axes and size for an image of W x H pixels: u to the right, v down, square pixels.
 * @param title figure title
 * @returns a layout with `xaxis` "u (px)", `yaxis` "v (px)" (reversed) and width/height in px
 */
export function imageLayout(width: number, height: number, title: string, size: ImageFigureSize = {}): PlotlyLayout {
  const widthPx = size.widthPx ?? 900, marginPx = size.marginPx ?? 110;
  const plotW = widthPx - 150; // room for the y title and a colour bar
  return {
    title: { text: title },
    xaxis: axis('u (column)', 'px', { range: [-0.5, width - 0.5], constrain: 'domain', showgrid: false, zeroline: false }),
    yaxis: axis('v (row)', 'px', { range: [height - 0.5, -0.5], scaleanchor: 'x', constrain: 'domain', showgrid: false, zeroline: false }),
    width: widthPx,
    height: Math.round((plotW * height) / width + marginPx),
    margin: { l: 70, r: 80, t: 50, b: 50 },
  };
}

/**
 * An RGB image as a plotly `image` trace, pixel (col, row) centred at (col, row).
 * @param image [H * W * 3] uint8 HWC, or `{ source }`: a `data:image/png;base64,...` URI of a W x H PNG (much smaller JSON)
 */
export function imageTrace(image: RgbImageLike | { source: string; width: number; height: number }, name = 'image'): PlotlyTrace {
  if ('source' in image) {
    if (!image.source.startsWith('data:image/')) throw new RangeError(`imageTrace: source must be a data:image/... URI, got '${image.source.slice(0, 30)}...'`);
    return { type: 'image', name, source: image.source, x0: 0, y0: 0, dx: 1, dy: 1, hoverinfo: 'x+y' };
  }
  const { data, width: W, height: H } = image;
  checkSize('imageTrace', data.length, W, H, 3);
  const z: number[][][] = [];
  for (let r = 0; r < H; r++) {
    const row: number[][] = [];
    for (let c = 0, o = r * W * 3; c < W; c++, o += 3) row.push([data[o], data[o + 1], data[o + 2]]);
    z.push(row);
  }
  return { type: 'image', name, z, x0: 0, y0: 0, dx: 1, dy: 1, hoverinfo: 'x+y+z' };
}

/** Options of {@link imageWithPointsFigure}. */
export interface ImageWithPointsOptions extends ImageFigureSize {
  /** Colour bar title with unit (default `'depth (m)'`). */
  colorbarTitle?: string;
  /** Colour range [min, max]; default fitted by plotly. */
  colorRange?: [number, number];
  /** Most points drawn (default 15 000, evenly spaced). */
  maxPoints?: number;
  /** Marker size, px (default 3). */
  markerSizePx?: number;
  /** Figure title. */
  title?: string;
}

/**
 * A camera image with projected points drawn over it, coloured by a value.
 * @param image the image (pixels or a PNG data URI, see {@link imageTrace})
 * @param u [N] column of each point, px
 * @param v [N] row of each point, px
 * @param values [N] colour value of each point (e.g. depth in metres)
 * @returns the figure: an image trace and one `scattergl` trace
 */
export function imageWithPointsFigure(
  image: Parameters<typeof imageTrace>[0], u: ArrayLike<number>, v: ArrayLike<number>, values: ArrayLike<number>,
  options: ImageWithPointsOptions = {},
): Figure {
  const n = u.length;
  if (v.length !== n || values.length !== n) throw new RangeError(`imageWithPointsFigure: u, v, values must have one entry per point, got ${n}, ${v.length}, ${values.length}`);
  const pick = evenSubsample(n, options.maxPoints ?? 15000);
  const take = (a: ArrayLike<number>): Float32Array => Float32Array.from(pick, (i) => a[i]);
  const marker: Record<string, unknown> = {
    size: options.markerSizePx ?? 3, color: take(values), colorscale: plotlyColorscale('turbo'), showscale: true,
    colorbar: { title: { text: options.colorbarTitle ?? 'depth (m)' }, thickness: 14 },
  };
  if (options.colorRange) Object.assign(marker, { cmin: options.colorRange[0], cmax: options.colorRange[1] });
  return {
    data: [imageTrace(image), {
      type: 'scattergl', mode: 'markers', name: 'points', x: take(u), y: take(v), marker,
      hovertemplate: '(u, v) = (%{x:.1f}, %{y:.1f}) px: %{marker.color:.2f}<extra></extra>',
    }],
    layout: { ...imageLayout(image.width, image.height, options.title ?? 'projected points', options), showlegend: false },
  };
}

/** Options of depth heatmaps. */
export interface DepthHeatmapOptions extends ImageFigureSize {
  /** Colour bar title with unit (default `'depth (m)'`). */
  colorbarTitle?: string;
  /** Colour range [min, max] in the image's unit; default [0, largest value]. */
  colorRange?: [number, number];
  /** Plotly colour scale: a name (`'Reds'`) or stops (default turbo, see `plotlyColorscale`). */
  colorscale?: string | [number, string][];
  /** Draw every k-th row and column only (default 1); keeps big images' JSON small. */
  pixelStep?: number;
  /** Figure title. */
  title?: string;
}

/**
 * The `z`, `x`, `y` arrays of a depth heatmap: empty pixels (0) become null (gaps).
 * @param depth [H * W] float, row-major, 0 = empty
 */
export function depthHeatmapData(depth: ArrayLike<number>, width: number, height: number, pixelStep = 1): { z: (number | null)[][]; x: number[]; y: number[] } {
  checkSize('depthHeatmapData', depth.length, width, height, 1);
  if (!(Number.isInteger(pixelStep) && pixelStep >= 1)) throw new RangeError(`depthHeatmapData: pixelStep must be an integer >= 1, got ${pixelStep}`);
  const x: number[] = [], y: number[] = [];
  for (let c = 0; c < width; c += pixelStep) x.push(c);
  for (let r = 0; r < height; r += pixelStep) y.push(r);
  const z = y.map((r) => x.map((c) => { const d = depth[r * width + c]; return d > 0 ? Math.round(d * 1000) / 1000 : null; }));
  return { z, x, y };
}

function maxOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m || 1;
}

/**
 * A depth image as a heatmap (pixel (col, row) centred at (col, row)), empty pixels blank.
 * @param depth [H * W] float32, metres (or normalised), 0 = empty
 */
export function depthImageFigure(depth: ArrayLike<number>, width: number, height: number, options: DepthHeatmapOptions = {}): Figure {
  const { z, x, y } = depthHeatmapData(depth, width, height, options.pixelStep ?? 1);
  const [zmin, zmax] = options.colorRange ?? [0, maxOf(depth)];
  return {
    data: [{
      type: 'heatmap', name: 'depth', z, x, y, zmin, zmax, colorscale: options.colorscale ?? plotlyColorscale('turbo'), hoverongaps: false,
      colorbar: { title: { text: options.colorbarTitle ?? 'depth (m)' }, thickness: 14 },
      hovertemplate: '(u, v) = (%{x}, %{y}) px: %{z:.2f}<extra></extra>',
    }],
    layout: { ...imageLayout(width, height, options.title ?? 'depth image', options), plot_bgcolor: '#000000' },
  };
}

/**
 * Several depth images of one size stacked in rows, one colour scale for all
 * (e.g. each step of depth completion).
 * @param panels titles and [H * W] depth images, metres, 0 = empty
 */
export function depthImageGrid(panels: { title: string; depth: ArrayLike<number> }[], width: number, height: number, options: DepthHeatmapOptions = {}): Figure {
  if (panels.length === 0) throw new RangeError('depthImageGrid: no panels');
  const step = options.pixelStep ?? 1;
  const zmax = options.colorRange?.[1] ?? Math.max(...panels.map((p) => maxOf(p.depth)));
  const zmin = options.colorRange?.[0] ?? 0;
  const n = panels.length, gap = 0.35 / n;
  const widthPx = options.widthPx ?? 900;
  const panelH = ((widthPx - 150) * height) / width;
  const layout: PlotlyLayout = {
    title: { text: options.title ?? 'depth images' }, width: widthPx, height: Math.round(n * panelH * 1.3 + 90),
    margin: { l: 70, r: 80, t: 60, b: 50 }, plot_bgcolor: '#000000', paper_bgcolor: '#ffffff', annotations: [],
    coloraxis: { cmin: zmin, cmax: zmax, colorscale: options.colorscale ?? plotlyColorscale('turbo'), colorbar: { title: { text: options.colorbarTitle ?? 'depth (m)' }, thickness: 14 } },
  };
  const data: PlotlyTrace[] = panels.map((p, i) => {
    const k = i === n - 1 ? '' : String(i + 2); // the bottom panel uses xaxis/yaxis: its u title is the figure's
    const top = 1 - i / n, bottom = 1 - (i + 1) / n + gap;
    layout[`xaxis${k}`] = i === n - 1
      ? axis('u (column)', 'px', { anchor: 'y', range: [-0.5, width - 0.5], constrain: 'domain', showgrid: false, zeroline: false })
      : { anchor: `y${k}`, matches: 'x', range: [-0.5, width - 0.5], constrain: 'domain', showgrid: false, zeroline: false, showticklabels: false };
    layout[`yaxis${k}`] = axis('v', 'px', { domain: [bottom, top], range: [height - 0.5, -0.5], scaleanchor: `x${k}`, constrain: 'domain', showgrid: false, zeroline: false });
    (layout.annotations as unknown[]).push({ text: p.title, xref: 'paper', yref: 'paper', x: 0, y: top, yanchor: 'bottom', xanchor: 'left', showarrow: false, font: { size: 12 } });
    const { z, x, y } = depthHeatmapData(p.depth, width, height, step);
    return { type: 'heatmap', name: p.title, z, x, y, xaxis: `x${k}`, yaxis: `y${k}`, coloraxis: 'coloraxis', hoverongaps: false, hovertemplate: `${p.title}: (%{x}, %{y}) px, %{z:.2f}<extra></extra>` };
  });
  return { data, layout };
}

/** Options of {@link histogramFigure}. */
export interface HistogramOptions {
  /** What the x axis measures and its unit, e.g. `['azimuth', 'deg']`. */
  x: [string, string | undefined];
  /** Y axis title (default `'points'`; with `normalize: 'percent'` `'share of points (%)'`). */
  yTitle?: string;
  /** Bin width in the x unit; default chosen by plotly. */
  binSize?: number;
  /** Range [start, end] of the bins. */
  binRange?: [number, number];
  /** `'percent'`: each series sums to 100 (compare shapes); default counts. */
  normalize?: 'percent';
  /** Figure title. */
  title?: string;
  /** Figure size, px (default 800 x 420). */
  widthPx?: number; heightPx?: number;
}

/**
 * Overlaid histograms, one per series.
 * @param series names and values (any unit; say it in `options.x`)
 */
export function histogramFigure(series: { name: string; values: ArrayLike<number> }[], options: HistogramOptions): Figure {
  if (series.length === 0) throw new RangeError('histogramFigure: no series');
  const xbins = options.binSize || options.binRange
    ? { ...(options.binSize ? { size: options.binSize } : {}), ...(options.binRange ? { start: options.binRange[0], end: options.binRange[1] } : {}) }
    : undefined;
  const data: PlotlyTrace[] = series.map((s) => ({
    type: 'histogram', name: s.name, x: Float32Array.from(s.values), opacity: series.length > 1 ? 0.6 : 1,
    ...(xbins ? { xbins } : {}), ...(options.normalize ? { histnorm: 'percent' } : {}),
  }));
  return {
    data,
    layout: {
      title: { text: options.title ?? '' }, barmode: 'overlay',
      xaxis: axis(options.x[0], options.x[1]),
      yaxis: axis(options.yTitle ?? (options.normalize ? 'share of points (%)' : 'points')),
      width: options.widthPx ?? 800, height: options.heightPx ?? 420, legend: { x: 1, xanchor: 'right', y: 1 },
    },
  };
}
