/**
 * Plotly figures of notebook 03 (place recognition): Recall@N curves, retrieval examples (a
 * query image and its top-k database images, right and wrong marked) and a 2-D scatter of
 * descriptors coloured by a continuous value (e.g. position along the drive).
 * Pure data: nothing here draws or reads files.
 *
 * Convention: recall values are fractions in [0, 1] and are drawn in percent; curve index
 * i is Recall@(i + 1). Images are RGB [H * W * 3] uint8 HWC (colour depth images first,
 * e.g. with colormap.ts `depthToRgb`).
 * @see notebooks/03-place-recognition.ipynb
 */
import { axis, type Figure, type PlotlyLayout, type PlotlyTrace } from './figure.js';
import { imageTrace, type RgbImageLike } from './image-figures.js';

/** Options of {@link recallCurveFigure}. */
export interface RecallCurveOptions {
  title?: string;
  /** Figure width, px (default 800). */
  widthPx?: number;
  /** Figure height, px (default 450). */
  heightPx?: number;
}

// #region curve
/**
 * Recall@N against N, one line per series.
 * @param series names and [Nmax] recall fractions, index i = Recall@(i + 1)
 */
export function recallCurveFigure(series: { name: string; recall: ArrayLike<number>; dash?: string }[], options: RecallCurveOptions = {}): Figure {
  if (series.length === 0) throw new RangeError('recallCurveFigure: no series');
  const data: PlotlyTrace[] = series.map((s, i) => {
    if (s.recall.length === 0) throw new RangeError(`recallCurveFigure: series ${i} ('${s.name}') is empty`);
    for (let k = 0; k < s.recall.length; k++) {
      const r = s.recall[k];
      if (!(r >= 0 && r <= 1)) throw new RangeError(`recallCurveFigure: series ${i} ('${s.name}'): recall[${k}] = ${r} is not a fraction in [0, 1]`);
    }
    return {
      type: 'scatter', mode: 'lines+markers', name: s.name, x: Array.from(s.recall, (_, k) => k + 1), y: Array.from(s.recall, (r) => 100 * r),
      line: s.dash ? { dash: s.dash } : {}, marker: { size: 4 },
    };
  });
  return {
    data,
    layout: {
      title: { text: options.title ?? '' }, width: options.widthPx ?? 800, height: options.heightPx ?? 450,
      xaxis: axis('N, database candidates retrieved', undefined, { dtick: 5 }),
      yaxis: axis('Recall@N', '%', { range: [0, 101] }), legend: { x: 0.01, xanchor: 'left', y: 0.99, yanchor: 'top', bgcolor: 'rgba(255,255,255,0.8)' },
    },
  };
}
// #endregion curve

/** One row of {@link retrievalFigure}: a query and its ranked candidates. */
export interface RetrievalRow {
  /** Row label, e.g. `query 01/120`. */
  title: string;
  /** The query image. */
  query: RgbImageLike;
  /** Candidates, best first: image, whether it is within the threshold, ground distance to the query (m). */
  candidates: { image: RgbImageLike; correct: boolean; distanceM: number }[];
}

/** Options of {@link retrievalFigure}. */
export interface RetrievalFigureOptions {
  title?: string;
  /** Width of one panel, px (default 260). */
  panelWidthPx?: number;
}

// #region retrieval
/**
 * A grid: per row the query image, then its candidates with a green (correct) or red
 * (wrong) frame and a caption `#rank ✓/✗ distance m` (one decimal below 10 m).
 */
export function retrievalFigure(rows: RetrievalRow[], options: RetrievalFigureOptions = {}): Figure {
  if (rows.length === 0) throw new RangeError('retrievalFigure: no rows');
  const k = rows[0].candidates.length;
  if (rows.some((r) => r.candidates.length !== k)) throw new RangeError('retrievalFigure: every row needs the same number of candidates');
  const cols = k + 1, { width: W, height: H } = rows[0].query;
  const pw = options.panelWidthPx ?? 260, ph = Math.round((pw * H) / W) + 34;
  const layout: PlotlyLayout = {
    title: { text: options.title ?? '' }, width: pw * cols + 40, height: ph * rows.length + 90,
    margin: { l: 20, r: 20, t: 70, b: 20 }, showlegend: false, annotations: [], shapes: [],
  };
  const data: PlotlyTrace[] = [];
  const gx = 0.01, gy = 0.3 / rows.length;
  rows.forEach((row, r) => {
    [{ image: row.query, caption: row.title, color: '#333' }, ...row.candidates.map((c, j) => ({
      image: c.image, caption: `#${j + 1} ${c.correct ? '✓' : '✗'} ${c.distanceM.toFixed(c.distanceM < 10 ? 1 : 0)} m`, color: c.correct ? '#1a9850' : '#d73027',
    }))].forEach((p, c) => {
      const i = r * cols + c, key = i === 0 ? '' : String(i + 1);
      const x0 = c / cols + gx, x1 = (c + 1) / cols - gx;
      const y1 = 1 - r / rows.length - gy / 2, y0 = 1 - (r + 1) / rows.length + gy / 2;
      layout[`xaxis${key}`] = { domain: [x0, x1], anchor: `y${key}`, visible: false, range: [-0.5, W - 0.5] };
      layout[`yaxis${key}`] = { domain: [y0, y1], anchor: `x${key}`, visible: false, range: [H - 0.5, -0.5], scaleanchor: `x${key}` };
      data.push({ ...imageTrace(p.image, p.caption), xaxis: `x${key}`, yaxis: `y${key}` });
      (layout.annotations as unknown[]).push({ text: p.caption, xref: 'paper', yref: 'paper', x: (x0 + x1) / 2, y: y1, xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 12, color: p.color } });
      if (c > 0) (layout.shapes as unknown[]).push({ type: 'rect', xref: `x${key}`, yref: `y${key}`, x0: -0.5, x1: W - 0.5, y0: -0.5, y1: H - 0.5, line: { color: p.color, width: 4 } });
    });
  });
  return { data, layout };
}
// #endregion retrieval

/** Options of {@link descriptorScatterFigure}. */
export interface DescriptorScatterOptions {
  /** Axis titles (quantity, unit). */
  x: [string, string | undefined];
  y: [string, string | undefined];
  /** Colour bar title with unit, e.g. `position along the drive (m)`. */
  colorbarTitle: string;
  title?: string;
  widthPx?: number;
  heightPx?: number;
}

// #region scatter
/**
 * Groups of 2-D points (e.g. database and query descriptors projected by PCA), each with its
 * own marker symbol, all coloured by one continuous value on one colour bar.
 * @param groups name, [N] x, [N] y, [N] colour value and an optional plotly marker symbol
 */
export function descriptorScatterFigure(groups: { name: string; x: ArrayLike<number>; y: ArrayLike<number>; color: ArrayLike<number>; symbol?: string }[], options: DescriptorScatterOptions): Figure {
  if (groups.length === 0) throw new RangeError('descriptorScatterFigure: no groups');
  let lo = Infinity, hi = -Infinity;
  groups.forEach((g, i) => {
    if (g.y.length !== g.x.length || g.color.length !== g.x.length) throw new RangeError(`descriptorScatterFigure: group ${i} ('${g.name}'): x, y and color need one entry per point, got ${g.x.length}, ${g.y.length}, ${g.color.length}`);
    for (let j = 0; j < g.color.length; j++) { lo = Math.min(lo, g.color[j]); hi = Math.max(hi, g.color[j]); }
  });
  const data: PlotlyTrace[] = groups.map((g, i) => ({
    type: 'scattergl', mode: 'markers', name: g.name, x: Array.from(g.x), y: Array.from(g.y),
    marker: { size: 5, symbol: g.symbol ?? 'circle', color: Array.from(g.color), colorscale: 'Viridis', cmin: lo, cmax: hi, showscale: i === 0, colorbar: { title: { text: options.colorbarTitle } } },
  }));
  return {
    data,
    layout: {
      title: { text: options.title ?? '' }, width: options.widthPx ?? 800, height: options.heightPx ?? 560,
      xaxis: axis(options.x[0], options.x[1]), yaxis: axis(options.y[0], options.y[1]), legend: { orientation: 'h', y: -0.15 },
    },
  };
}
// #endregion scatter

/** One point of {@link calibrationCurveFigure}: an error magnitude and Recall@1 over directions. */
export interface CalibrationCurvePoint { magnitude: number; recallMean: number; recallStd: number }

// #region calibration
/**
 * Recall@1 against the calibration error of one kind (modalink/calibration-robustness.ts):
 * the mean over directions with the standard deviation as error bars, magnitude 0 = the true
 * calibration, and a dashed line 5 points below the first series' true calibration (the drop the issue asks about).
 * Several models in one figure: each series may carry its own true-calibration Recall@1 (`baseline`), else `baseline`.
 * @param baseline the true calibration's Recall@1 (fraction) of the first series, and of any series without its own
 * @param unit 'cm' (translation) or 'deg' (rotation)
 * @throws RangeError when there is no series or a baseline is not a fraction in [0, 1]
 */
export function calibrationCurveFigure(series: { name: string; points: CalibrationCurvePoint[]; baseline?: number }[], baseline: number, unit: 'cm' | 'deg', options: RecallCurveOptions = {}): Figure {
  if (series.length === 0) throw new RangeError('calibrationCurveFigure: no series');
  const first = series[0].baseline ?? baseline;
  for (const b of [baseline, ...series.map((s) => s.baseline ?? baseline)]) {
    if (!(b >= 0 && b <= 1)) throw new RangeError(`calibrationCurveFigure: baseline ${b} is not a fraction in [0, 1]`);
  }
  const top = Math.max(...series.flatMap((s) => s.points.map((p) => p.magnitude)));
  const data: PlotlyTrace[] = series.map((s) => {
    const pts = [{ magnitude: 0, recallMean: s.baseline ?? baseline, recallStd: 0 }, ...s.points].sort((a, b) => a.magnitude - b.magnitude);
    return {
      type: 'scatter', mode: 'lines+markers', name: s.name, x: pts.map((p) => p.magnitude), y: pts.map((p) => 100 * p.recallMean),
      error_y: { type: 'data', array: pts.map((p) => 100 * p.recallStd), visible: true }, marker: { size: 6 },
    };
  });
  const lineName = series.length > 1 ? `${series[0].name}: true calibration - 5 points` : 'true calibration - 5 points';
  data.push({ type: 'scatter', mode: 'lines', name: lineName, x: [0, top], y: [100 * first - 5, 100 * first - 5], line: { dash: 'dash', color: 'gray' } });
  return {
    data,
    layout: {
      title: { text: options.title ?? '' }, width: options.widthPx ?? 700, height: options.heightPx ?? 420,
      xaxis: axis(unit === 'cm' ? 'calibration error, translation' : 'calibration error, rotation', unit),
      yaxis: axis('Recall@1', '%', { range: [0, 101] }), legend: { x: 0.99, xanchor: 'right', y: 0.01, yanchor: 'bottom', bgcolor: 'rgba(255,255,255,0.8)' },
    },
  };
}
// #endregion calibration
