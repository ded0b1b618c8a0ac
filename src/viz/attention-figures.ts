/**
 * Plotly figures of attention queries (ICLM): each query's heatmap over the pixels drawn over
 * the camera image, its heatmap over the points seen from above, and the keypoint pairs
 * (2D keypoint in the image, 3D keypoint in the cloud) with matching colours. Pure data.
 *
 * Convention: pixel (u, v) = (column, row), pixel centres at integers (image-figures.ts).
 * A heatmap over an h x w feature grid of stride s = W / w is drawn cell (j, i) centred at
 * input pixel (s (j + 0.5) - 0.5, s (i + 0.5) - 0.5), as iclm.ts places keypoints. Points are
 * in the (perturbed) cloud frame, metres; the perturbation turns the cloud about the camera's
 * vertical axis y, so the top view plots x against z.
 * @see notebooks/04-attention-queries.ipynb
 */
import { axis, scene3d, type Figure, type PlotlyLayout, type PlotlyTrace } from './figure.js';
import { CATEGORY_COLORS } from './nmf-figures.js';
import { imageTrace } from './image-figures.js';
import { pointCloudTrace, plotlyColorscale } from './geometry-figures.js';

type ImageInput = Parameters<typeof imageTrace>[0];

/** One query's heatmap panel. */
export interface QueryHeatmapPanel {
  /** Panel title. */
  title: string;
  /** [h * w] (pixels, row-major) or [N] (points) attention weights, summing to 1. */
  weights: ArrayLike<number>;
  /** The query's keypoint: (u, v) px, or (x, y, z) m in the cloud frame. */
  keypoint?: ArrayLike<number>;
}

/** Common options. */
export interface AttentionFigureOptions {
  title?: string;
  /** Figure width, px (default 1000). */
  widthPx?: number;
  /** Panels per row (default 2). */
  columns?: number;
}

/** Domains of a row-major grid of `n` panels with aspect height / width (of the data), leaving room for titles. */
function grid(n: number, cols: number, aspect: number, widthPx: number) {
  const rows = Math.ceil(n / cols), margin = { l: 70, r: 110, t: 60, b: 55 }, gapX = 20, titlePx = 20, gapY = 14;
  const plotW = widthPx - margin.l - margin.r, panelW = (plotW - (cols - 1) * gapX) / cols, panelH = panelW * aspect;
  const plotH = rows * (panelH + titlePx + gapY);
  const domains = Array.from({ length: n }, (_, i) => {
    const r = Math.floor(i / cols), c = i % cols, x0 = (c * (panelW + gapX)) / plotW;
    const top = 1 - (r * (panelH + titlePx + gapY) + titlePx) / plotH;
    return { x: [x0, Math.min(1, x0 + panelW / plotW)], y: [Math.max(0, top - panelH / plotH), top], top, x0 };
  });
  return { domains, height: Math.round(plotH + margin.t + margin.b), margin, bottomLeft: (rows - 1) * cols };
}

/**
 * Each panel: the camera image, one query's pixel heatmap over it (semi-transparent, one colour
 * scale for all panels) and its 2D keypoint as a cross.
 * @param image W x H image (pixels or PNG data URI)
 * @param panels weights [gridW * gridH] per query, keypoint (u, v) px
 * @param gridW w, gridH h: the feature grid the weights live on
 */
export function queryImageHeatmapsFigure(image: ImageInput, panels: QueryHeatmapPanel[], gridW: number, gridH: number, options: AttentionFigureOptions = {}): Figure {
  if (panels.length === 0) throw new RangeError('queryImageHeatmapsFigure: no panels');
  panels.forEach((p, i) => {
    if (p.weights.length !== gridW * gridH) throw new RangeError(`queryImageHeatmapsFigure: panel ${i} ('${p.title}'): expected ${gridH} x ${gridW} = ${gridW * gridH} weights, got ${p.weights.length}`);
  });
  const { width: W, height: H } = image, sx = W / gridW, sy = H / gridH;
  const g = grid(panels.length, options.columns ?? 2, H / W, options.widthPx ?? 1000);
  const cmax = Math.max(...panels.map((p) => Math.max(...Array.from(p.weights))));
  const layout: PlotlyLayout = {
    title: { text: options.title ?? '' }, width: options.widthPx ?? 1000, height: g.height, margin: g.margin, showlegend: false, annotations: [],
    coloraxis: { cmin: 0, cmax, colorscale: plotlyColorscale('turbo'), colorbar: { title: { text: 'attention weight' }, thickness: 14 } },
  };
  const xs = Array.from({ length: gridW }, (_, j) => sx * (j + 0.5) - 0.5), ys = Array.from({ length: gridH }, (_, i) => sy * (i + 0.5) - 0.5);
  const data: PlotlyTrace[] = [];
  panels.forEach((p, i) => {
    const labelled = i === g.bottomLeft, k = labelled ? '' : String((i < g.bottomLeft ? i : i - 1) + 2), d = g.domains[i];
    const common = { showgrid: false, zeroline: false, showticklabels: labelled };
    layout[`xaxis${k}`] = { ...(labelled ? axis('u (column)', 'px') : {}), ...common, anchor: `y${k}`, domain: d.x, range: [-0.5, W - 0.5] };
    layout[`yaxis${k}`] = { ...(labelled ? axis('v (row)', 'px') : {}), ...common, anchor: `x${k}`, domain: d.y, range: [H - 0.5, -0.5] };
    (layout.annotations as unknown[]).push({ text: p.title, xref: 'paper', yref: 'paper', x: d.x0, y: d.top, xanchor: 'left', yanchor: 'bottom', showarrow: false, font: { size: 12 } });
    const z = ys.map((_, r) => xs.map((__, c) => p.weights[r * gridW + c]));
    data.push({ ...imageTrace(image), xaxis: `x${k}`, yaxis: `y${k}` });
    data.push({ type: 'heatmap', name: p.title, x: xs, y: ys, z, opacity: 0.55, coloraxis: 'coloraxis', xaxis: `x${k}`, yaxis: `y${k}`, hovertemplate: '(u, v) = (%{x:.0f}, %{y:.0f}) px: %{z:.4f}<extra></extra>' });
    if (p.keypoint) data.push({ type: 'scatter', mode: 'markers', name: 'keypoint', x: [p.keypoint[0]], y: [p.keypoint[1]], xaxis: `x${k}`, yaxis: `y${k}`, marker: { symbol: 'x-thin', size: 14, line: { width: 3, color: 'white' } } });
  });
  return { data, layout };
}

/**
 * Each panel: the cloud from above (x against z, metres), coloured by one query's weight on
 * each point (0 outside the mask), its 3D keypoint as a cross.
 * @param points [N * 3] metres, cloud frame
 * @param panels weights [N] per query, keypoint (x, y, z) m
 */
export function queryPointHeatmapsFigure(points: ArrayLike<number>, panels: QueryHeatmapPanel[], options: AttentionFigureOptions = {}): Figure {
  const n = points.length / 3;
  if (!Number.isInteger(n)) throw new RangeError(`queryPointHeatmapsFigure: points has ${points.length} values, not a multiple of 3`);
  if (panels.length === 0) throw new RangeError('queryPointHeatmapsFigure: no panels');
  panels.forEach((p, i) => {
    if (p.weights.length !== n) throw new RangeError(`queryPointHeatmapsFigure: panel ${i} ('${p.title}'): expected ${n} weights (one per point), got ${p.weights.length}`);
  });
  const x = Float32Array.from({ length: n }, (_, i) => points[3 * i]), z = Float32Array.from({ length: n }, (_, i) => points[3 * i + 2]);
  const g = grid(panels.length, options.columns ?? 2, 1, options.widthPx ?? 1000);
  const cmax = Math.max(...panels.map((p) => Math.max(...Array.from(p.weights))));
  const layout: PlotlyLayout = {
    title: { text: options.title ?? '' }, width: options.widthPx ?? 1000, height: g.height, margin: g.margin, showlegend: false, annotations: [],
    coloraxis: { cmin: 0, cmax, colorscale: plotlyColorscale('turbo'), colorbar: { title: { text: 'attention weight' }, thickness: 14 } },
  };
  const data: PlotlyTrace[] = [];
  panels.forEach((p, i) => {
    const labelled = i === g.bottomLeft, k = labelled ? '' : String((i < g.bottomLeft ? i : i - 1) + 2), d = g.domains[i];
    layout[`xaxis${k}`] = { ...(labelled ? axis('x_points', 'm') : {}), showticklabels: labelled, anchor: `y${k}`, domain: d.x };
    layout[`yaxis${k}`] = { ...(labelled ? axis('z_points', 'm') : {}), showticklabels: labelled, anchor: `x${k}`, domain: d.y, scaleanchor: `x${k}` };
    (layout.annotations as unknown[]).push({ text: p.title, xref: 'paper', yref: 'paper', x: d.x0, y: d.top, xanchor: 'left', yanchor: 'bottom', showarrow: false, font: { size: 12 } });
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => p.weights[a] - p.weights[b]); // heaviest drawn last
    data.push({ type: 'scattergl', mode: 'markers', name: p.title, x: order.map((j) => x[j]), y: order.map((j) => z[j]), xaxis: `x${k}`, yaxis: `y${k}`,
      marker: { size: 3, color: order.map((j) => p.weights[j]), coloraxis: 'coloraxis' }, hovertemplate: '(x, z) = (%{x:.1f}, %{y:.1f}) m: %{marker.color:.4f}<extra></extra>' });
    if (p.keypoint) data.push({ type: 'scatter', mode: 'markers', name: 'keypoint', x: [p.keypoint[0]], y: [p.keypoint[2]], xaxis: `x${k}`, yaxis: `y${k}`, marker: { symbol: 'x-thin', size: 14, line: { width: 3, color: 'black' } } });
  });
  return { data, layout };
}

/**
 * Keypoint pairs: on top the image with each query's 2D keypoint (a dot) and a segment to its
 * 3D keypoint projected with the ground-truth pose (the L_corr residual); below the cloud in
 * 3D with the 3D keypoints. Query q has colour q in both.
 * @param kp2d [Q * 2] (u, v) px; kp3d [Q * 3] m, cloud frame; projected [Q * 2] px (NaN = behind the camera)
 * @param points [N * 3] m, cloud frame (drawn grey, at most 6000)
 */
export function keypointPairsFigure(image: ImageInput, kp2d: ArrayLike<number>, kp3d: ArrayLike<number>, projected: ArrayLike<number>, points: ArrayLike<number>, options: AttentionFigureOptions = {}): Figure {
  const Q = kp2d.length / 2;
  if (!Number.isInteger(Q) || kp3d.length !== 3 * Q || projected.length !== 2 * Q) {
    throw new RangeError(`keypointPairsFigure: expected kp2d [Q * 2], kp3d [Q * 3], projected [Q * 2]; got ${kp2d.length}, ${kp3d.length}, ${projected.length}`);
  }
  const { width: W, height: H } = image, widthPx = options.widthPx ?? 1000;
  const colors = Array.from({ length: Q }, (_, q) => CATEGORY_COLORS[q % CATEGORY_COLORS.length]);
  const seg: { x: (number | null)[]; y: (number | null)[] } = { x: [], y: [] };
  for (let q = 0; q < Q; q++) if (Number.isFinite(projected[2 * q])) seg.x.push(kp2d[2 * q], projected[2 * q], null), seg.y.push(kp2d[2 * q + 1], projected[2 * q + 1], null);
  const q = Array.from({ length: Q }, (_, i) => i);
  const data: PlotlyTrace[] = [
    imageTrace(image),
    { type: 'scatter', mode: 'lines', name: 'to projected 3D keypoint', x: seg.x, y: seg.y, line: { color: 'white', width: 1 } },
    { type: 'scatter', mode: 'markers', name: '2D keypoints', x: q.map((i) => kp2d[2 * i]), y: q.map((i) => kp2d[2 * i + 1]), marker: { size: 9, color: colors, line: { width: 1, color: 'black' } }, text: q.map(String), hovertemplate: 'query %{text}: (%{x:.1f}, %{y:.1f}) px<extra></extra>' },
    { ...pointCloudTrace(points, 3, { maxPoints: 6000, color: '#9a9a9a', name: 'cloud' }), scene: 'scene' },
    { type: 'scatter3d', mode: 'markers', name: '3D keypoints', scene: 'scene', x: q.map((i) => kp3d[3 * i]), y: q.map((i) => kp3d[3 * i + 1]), z: q.map((i) => kp3d[3 * i + 2]), marker: { size: 6, color: colors, line: { width: 1, color: 'black' } }, text: q.map(String), hovertemplate: 'query %{text}: (%{x:.1f}, %{y:.1f}, %{z:.1f}) m<extra></extra>' },
  ];
  const imgH = ((widthPx - 150) * H) / W, sceneH = 480, total = imgH + sceneH + 140;
  const split = (sceneH + 40) / total;
  return {
    data,
    layout: {
      title: { text: options.title ?? '' }, width: widthPx, height: Math.round(total), margin: { l: 70, r: 80, t: 60, b: 20 }, showlegend: false,
      xaxis: axis('u (column)', 'px', { range: [-0.5, W - 0.5], showgrid: false, zeroline: false, domain: [0, 1] }),
      yaxis: axis('v (row)', 'px', { range: [H - 0.5, -0.5], scaleanchor: 'x', showgrid: false, zeroline: false, domain: [split + 0.02, 1] }),
      scene: { ...scene3d('points', { camera: { eye: { x: 0.01, y: -2.2, z: 0.01 }, up: { x: 0, y: 0, z: 1 } } }), domain: { x: [0, 1], y: [0, split - 0.02] } },
    },
  };
}
