/**
 * Plotly figures of registration poses (GPDM, PRM, results): the in-frustum classification of
 * one pair seen from above with hits, misses and false alarms coloured, camera poses drawn in
 * the same top view, paired per-pair errors (frustum pose vs final pose) and the RTE / RRE
 * histograms with the success thresholds. Pure data.
 *
 * Convention: points are in the perturbed cloud frame, metres; poses are `camFromPoints`,
 * [16] row-major (cloud -> camera, camera x right, y down, z forward). The perturbation turns
 * the cloud about the camera's vertical axis y, so the top view plots x against z. A camera's
 * centre in the cloud frame is c = -R^T t, its viewing direction R^T (0, 0, 1) (the third row
 * of R), and the edges of its horizontal field of view the rays through the image's left and
 * right borders u = -0.5 and u = W - 0.5 (pixel centres at integers).
 * @see notebooks/05-pose-regression.ipynb
 */
import { axis, type Figure, type PlotlyLayout, type PlotlyTrace } from './figure.js';
import { evenSubsample } from './geometry-figures.js';

// #region frustumConfusion
/** Per-point outcome of an in-frustum classification against the truth. */
export const FRUSTUM_CLASSES = Object.freeze(['true negative', 'hit', 'miss', 'false alarm'] as const);

/** Counts and rates of a classification (precision / recall / IoU are NaN when undefined: 0 / 0). */
export interface FrustumConfusion {
  /** [N] per point: 0 true negative, 1 hit (TP), 2 miss (FN), 3 false alarm (FP); see {@link FRUSTUM_CLASSES}. */
  classes: Uint8Array;
  tp: number; fp: number; fn: number; tn: number;
  /** tp / (tp + fp). */ precision: number;
  /** tp / (tp + fn). */ recall: number;
  /** tp / (tp + fp + fn), the overlap of the predicted and the true in-frustum sets. */ iou: number;
}

/**
 * Compares predicted in-frustum flags with the truth, point by point.
 * @param predicted [N] 1 (or any value > 0.5) = predicted inside
 * @param truth [N] 1 (or any value > 0.5) = truly inside
 * @throws RangeError when the lengths differ
 */
export function frustumConfusion(predicted: ArrayLike<number>, truth: ArrayLike<number>): FrustumConfusion {
  if (predicted.length !== truth.length) throw new RangeError(`frustumConfusion: predicted has ${predicted.length} points, truth ${truth.length}`);
  const classes = new Uint8Array(predicted.length);
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] > 0.5, t = truth[i] > 0.5;
    classes[i] = p && t ? 1 : t ? 2 : p ? 3 : 0;
    if (p && t) tp++; else if (t) fn++; else if (p) fp++; else tn++;
  }
  return { classes, tp, fp, fn, tn, precision: tp / (tp + fp), recall: tp / (tp + fn), iou: tp / (tp + fp + fn) };
}
// #endregion frustumConfusion

/** A camera pose to draw in the top view. */
export interface TopViewCamera {
  /** Legend name. */
  name: string;
  /** [16] row-major camFromPoints. */
  camFromPoints: ArrayLike<number>;
  /** Line colour (default by order). */
  color?: string;
  /** Plotly dash style (`'solid'`, `'dash'`, `'dot'`). */
  dash?: string;
}

/** Options of the top-view figures. */
export interface TopViewOptions {
  title?: string;
  /** Figure width, px (default 800); the height follows the data's aspect. */
  widthPx?: number;
  /** Intrinsics [9] row-major and image width W (px): with both, the field-of-view edges are drawn. */
  K?: ArrayLike<number>;
  imageWidthPx?: number;
  /** Length of the drawn viewing direction and field-of-view edges, metres (default 15). */
  rayLengthM?: number;
  /** At most this many points drawn (evenly subsampled; default 8000). */
  maxPoints?: number;
  /** Show only +-halfWidthM metres around the first camera's centre (default: the whole cloud). */
  halfWidthM?: number;
}

const CAMERA_COLORS = ['#111111', '#e377c2', '#17becf', '#bcbd22'];

/**
 * Centre, viewing direction and field-of-view edges of a camera in the cloud frame, top view.
 * @param camFromPoints [16] row-major
 * @returns centre (x, z) m, and per ray (axis, left edge, right edge) a unit (x, z) direction
 */
export function cameraTopView(camFromPoints: ArrayLike<number>, K?: ArrayLike<number>, imageWidthPx?: number): { centre: [number, number]; rays: [number, number][] } {
  if (camFromPoints.length !== 16) throw new RangeError(`cameraTopView: expected camFromPoints [16], got ${camFromPoints.length} values`);
  const T = camFromPoints, R = (r: number, c: number) => T[4 * r + c];
  // c = -R^T t; a camera-frame direction d maps to R^T d in the cloud frame
  const centre = [0, 1, 2].map((j) => -(R(0, j) * T[3] + R(1, j) * T[7] + R(2, j) * T[11]));
  const toCloud = (d: number[]): [number, number] => {
    const x = R(0, 0) * d[0] + R(1, 0) * d[1] + R(2, 0) * d[2], z = R(0, 2) * d[0] + R(1, 2) * d[1] + R(2, 2) * d[2];
    const n = Math.hypot(x, z) || 1;
    return [x / n, z / n];
  };
  const rays: [number, number][] = [toCloud([0, 0, 1])];
  if (K && imageWidthPx) for (const u of [-0.5, imageWidthPx - 0.5]) rays.push(toCloud([(u - K[2]) / K[0], 0, 1]));
  return { centre: [centre[0], centre[2]], rays };
}

function cameraTraces(cams: TopViewCamera[], o: TopViewOptions): PlotlyTrace[] {
  const L = o.rayLengthM ?? 15;
  return cams.flatMap((cam, i) => {
    const color = cam.color ?? CAMERA_COLORS[i % CAMERA_COLORS.length], { centre: [cx, cz], rays } = cameraTopView(cam.camFromPoints, o.K, o.imageWidthPx);
    const x: (number | null)[] = [], y: (number | null)[] = [];
    rays.forEach(([dx, dz], r) => { const l = r === 0 ? L : 0.8 * L; x.push(cx, cx + l * dx, null); y.push(cz, cz + l * dz, null); });
    return [
      { type: 'scatter', mode: 'lines', name: `${cam.name}: view`, legendgroup: cam.name, showlegend: false, x, y, line: { color, width: 2, dash: cam.dash ?? 'solid' }, hoverinfo: 'skip' },
      { type: 'scatter', mode: 'markers', name: cam.name, legendgroup: cam.name, x: [cx], y: [cz], marker: { size: 11, color, symbol: 'circle', line: { width: 1, color: 'white' } },
        hovertemplate: `${cam.name}: centre (x, z) = (%{x:.2f}, %{y:.2f}) m<extra></extra>` },
    ];
  });
}

function topViewLayout(title: string, cams: TopViewCamera[], o: TopViewOptions): PlotlyLayout {
  const widthPx = o.widthPx ?? 800, h = o.halfWidthM;
  if (h !== undefined && !(h > 0 && Number.isFinite(h))) throw new RangeError(`top view: halfWidthM must be a finite number > 0, got ${h}`);
  const c = h !== undefined && cams.length > 0 ? cameraTopView(cams[0].camFromPoints).centre : null;
  return {
    title: { text: title }, width: widthPx, height: Math.round(widthPx * 0.8),
    xaxis: axis('x_points', 'm', c ? { range: [c[0] - h!, c[0] + h!] } : {}), yaxis: axis('z_points', 'm', { scaleanchor: 'x', ...(c ? { range: [c[1] - h!, c[1] + h!] } : {}) }),
    legend: { x: 1, xanchor: 'right', y: 1, bgcolor: 'rgba(255,255,255,0.7)' },
  };
}

function topViewXZ(points: ArrayLike<number>, fn: string): { n: number; x: Float32Array; z: Float32Array } {
  const n = points.length / 3;
  if (!Number.isInteger(n)) throw new RangeError(`${fn}: points has ${points.length} values, not a multiple of 3`);
  return { n, x: Float32Array.from({ length: n }, (_, i) => points[3 * i]), z: Float32Array.from({ length: n }, (_, i) => points[3 * i + 2]) };
}

// #region frustumClassificationFigure
/**
 * The cloud from above (x against z), each point coloured by its outcome: hit (predicted and
 * truly in the frustum), miss (truly in, not predicted), false alarm (predicted, not truly in),
 * true negative (faded). Optional camera poses drawn on top.
 * @param points [N * 3] metres, cloud frame
 * @param predicted [N] predicted in-frustum flags (> 0.5 = in); truth [N] true flags
 * @param cameras poses to draw (e.g. truth, frustum pose, final pose)
 */
export function frustumClassificationFigure(points: ArrayLike<number>, predicted: ArrayLike<number>, truth: ArrayLike<number>, cameras: TopViewCamera[] = [], options: TopViewOptions = {}): Figure {
  const { n, x, z } = topViewXZ(points, 'frustumClassificationFigure');
  if (predicted.length !== n || truth.length !== n) {
    throw new RangeError(`frustumClassificationFigure: expected predicted and truth [${n}] (one per point), got ${predicted.length} and ${truth.length}`);
  }
  const c = frustumConfusion(predicted, truth);
  const keep = Array.from(evenSubsample(n, options.maxPoints ?? 8000));
  const style = [
    { color: '#c8c8c8', size: 2, opacity: 0.35 }, { color: '#2ca02c', size: 4, opacity: 0.9 },
    { color: '#ff7f0e', size: 4, opacity: 0.9 }, { color: '#d62728', size: 4, opacity: 0.9 },
  ];
  const counts = [c.tn, c.tp, c.fn, c.fp];
  const data: PlotlyTrace[] = FRUSTUM_CLASSES.map((name, k) => {
    const idx = keep.filter((i) => c.classes[i] === k);
    return { type: 'scattergl', mode: 'markers', name: `${name} (${counts[k]})`, x: idx.map((i) => x[i]), y: idx.map((i) => z[i]),
      marker: { size: style[k].size, color: style[k].color, opacity: style[k].opacity }, hovertemplate: `${name}: (x, z) = (%{x:.1f}, %{y:.1f}) m<extra></extra>` };
  });
  return { data: [...data, ...cameraTraces(cameras, options)], layout: topViewLayout(options.title ?? '', cameras, options) };
}
// #endregion frustumClassificationFigure

/**
 * Camera poses in the top view over the grey cloud: centre (dot), viewing direction and, with
 * K and the image width, the horizontal field-of-view edges.
 * @param points [N * 3] metres, cloud frame
 * @param cameras one or more poses
 */
export function cameraPosesTopViewFigure(points: ArrayLike<number>, cameras: TopViewCamera[], options: TopViewOptions = {}): Figure {
  if (cameras.length === 0) throw new RangeError('cameraPosesTopViewFigure: no cameras');
  const { n, x, z } = topViewXZ(points, 'cameraPosesTopViewFigure');
  const keep = Array.from(evenSubsample(n, options.maxPoints ?? 8000));
  const cloud: PlotlyTrace = { type: 'scattergl', mode: 'markers', name: 'cloud', x: keep.map((i) => x[i]), y: keep.map((i) => z[i]),
    marker: { size: 2, color: '#9a9a9a', opacity: 0.5 }, hoverinfo: 'skip' };
  return { data: [cloud, ...cameraTraces(cameras, options)], layout: topViewLayout(options.title ?? '', cameras, options) };
}

/** Options of {@link pairedErrorsFigure}. */
export interface PairedErrorsOptions {
  /** Quantity and unit of the x and y axes, e.g. `['RTE of the frustum pose', 'm']`. */
  x: [string, string | undefined];
  y: [string, string | undefined];
  title?: string;
  /** A success threshold drawn as dotted lines on both axes (same unit). */
  threshold?: number;
  /** Hover label per point (e.g. the pair index). */
  labels?: string[];
  /** Legend name of the dots (default 'pairs'). */
  pointsName?: string;
  widthPx?: number;
}

// #region pairedErrorsFigure
/**
 * One dot per pair: an error before (x) against after (y), with the diagonal y = x; dots below
 * it improved. Axes share one range starting at 0.
 * @param before [n] errors (e.g. frustum pose RTE, m); after [n] the same pairs' errors after
 */
export function pairedErrorsFigure(before: ArrayLike<number>, after: ArrayLike<number>, options: PairedErrorsOptions): Figure {
  if (before.length !== after.length || before.length === 0) throw new RangeError(`pairedErrorsFigure: expected two non-empty arrays of one length, got ${before.length} and ${after.length}`);
  const xs = Array.from(before), ys = Array.from(after);
  const bad = [...xs, ...ys].findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`pairedErrorsFigure: value ${bad % xs.length} of ${bad < xs.length ? 'before' : 'after'} is not finite`);
  const hi = 1.05 * Math.max(...xs, ...ys, options.threshold ?? 0, 1e-9);
  const data: PlotlyTrace[] = [
    { type: 'scatter', mode: 'lines', name: 'y = x', x: [0, hi], y: [0, hi], line: { color: '#888', dash: 'dash', width: 1 } },
    { type: 'scatter', mode: 'markers', name: options.pointsName ?? 'pairs', x: xs, y: ys, marker: { size: 7, color: '#1f77b4', opacity: 0.75 },
      ...(options.labels ? { text: options.labels, hovertemplate: '%{text}: (%{x:.3f}, %{y:.3f})<extra></extra>' } : {}) },
  ];
  if (options.threshold !== undefined) {
    const t = options.threshold;
    data.push({ type: 'scatter', mode: 'lines', name: `threshold ${t}`, x: [t, t, null, 0, hi], y: [0, hi, null, t, t], line: { color: '#2ca02c', dash: 'dot', width: 1 } });
  }
  return {
    data,
    layout: {
      title: { text: options.title ?? '' }, width: options.widthPx ?? 620, height: options.widthPx ?? 620,
      xaxis: axis(options.x[0], options.x[1], { range: [0, hi] }), yaxis: axis(options.y[0], options.y[1], { range: [0, hi], scaleanchor: 'x' }),
      legend: { x: 1, xanchor: 'right', y: 0, yanchor: 'bottom', bgcolor: 'rgba(255,255,255,0.7)' },
    },
  };
}
// #endregion pairedErrorsFigure

/** One method's per-pair errors. */
export interface PoseErrorSeries { name: string; rteM: ArrayLike<number>; rreDeg: ArrayLike<number> }

/** Options of {@link poseErrorHistogramsFigure}. */
export interface PoseErrorHistogramOptions {
  title?: string;
  /** Success thresholds drawn as dashed lines (default 2 m and 5 deg, the papers'). */
  maxRteM?: number; maxRreDeg?: number;
  /** Bins per panel (default 20; one bin width for all series of a panel). */
  bins?: number;
  widthPx?: number;
}

// #region poseErrorHistogramsFigure
/**
 * Side by side: the RTE histogram (m) and the RRE histogram (deg) of each method, overlaid, with
 * the success thresholds as dashed vertical lines.
 * @param series per method, [n] RTE in metres and [n] RRE in degrees (finite)
 */
export function poseErrorHistogramsFigure(series: PoseErrorSeries[], options: PoseErrorHistogramOptions = {}): Figure {
  if (series.length === 0) throw new RangeError('poseErrorHistogramsFigure: no series');
  series.forEach((s) => {
    if (s.rteM.length !== s.rreDeg.length || s.rteM.length === 0) throw new RangeError(`poseErrorHistogramsFigure: series '${s.name}': expected rteM and rreDeg of one non-zero length, got ${s.rteM.length} and ${s.rreDeg.length}`);
    for (const [f, v] of [['rteM', s.rteM], ['rreDeg', s.rreDeg]] as const) {
      if (Array.from(v).some((e) => !Number.isFinite(e))) throw new RangeError(`poseErrorHistogramsFigure: series '${s.name}': ${f} has a non-finite value`);
    }
  });
  const bins = options.bins ?? 20, maxRte = options.maxRteM ?? 2, maxRre = options.maxRreDeg ?? 5, colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b'];
  const span = (f: 'rteM' | 'rreDeg', t: number) => Math.max(t, ...series.flatMap((s) => Array.from(s[f])));
  const hiT = span('rteM', maxRte), hiR = span('rreDeg', maxRre);
  const data: PlotlyTrace[] = series.flatMap((s, i) => [
    { type: 'histogram', name: s.name, legendgroup: s.name, x: Array.from(s.rteM), xbins: { start: 0, end: hiT * 1.0001, size: hiT / bins }, marker: { color: colors[i % colors.length] }, opacity: 0.55 },
    { type: 'histogram', name: s.name, legendgroup: s.name, showlegend: false, x: Array.from(s.rreDeg), xbins: { start: 0, end: hiR * 1.0001, size: hiR / bins }, xaxis: 'x2', yaxis: 'y2', marker: { color: colors[i % colors.length] }, opacity: 0.55 },
  ]);
  const line = (x: number, xref: string) => ({ type: 'line', xref, yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color: '#2ca02c', dash: 'dash', width: 2 } });
  return {
    data,
    layout: {
      title: { text: options.title ?? '' }, barmode: 'overlay', width: options.widthPx ?? 1000, height: 480, margin: { t: 70, b: 120 },
      xaxis: axis('RTE', 'm', { domain: [0, 0.47], range: [0, hiT * 1.02] }), yaxis: axis('pairs'),
      xaxis2: axis('RRE (sum of |Euler angles|)', 'deg', { domain: [0.53, 1], range: [0, hiR * 1.02] }), yaxis2: axis('pairs', undefined, { anchor: 'x2' }),
      shapes: [line(maxRte, 'x'), line(maxRre, 'x2')],
      annotations: [
        { text: `success: RTE < ${maxRte} m`, x: maxRte, xref: 'x', y: 1, yref: 'paper', showarrow: false, xanchor: 'left', font: { size: 11, color: '#2ca02c' } },
        { text: `RRE < ${maxRre} deg`, x: maxRre, xref: 'x2', y: 1, yref: 'paper', showarrow: false, xanchor: 'left', font: { size: 11, color: '#2ca02c' } },
      ],
      legend: { orientation: 'h', x: 0, y: -0.3 },
    },
  };
}
// #endregion poseErrorHistogramsFigure
