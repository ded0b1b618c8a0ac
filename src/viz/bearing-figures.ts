/**
 * Plotly figures of the bearing frustum pose (registration/bearing.ts): the polar image of one
 * scan (range bin against bearing, one channel), and the heading scores of one pair against
 * the heading with the true and the chosen heading marked, optionally with a control's scores.
 * Pure data.
 *
 * Convention: bearings and headings in degrees in [0, 360), 0 along the cloud frame's +z, 90
 * along +x (bearing-polar.ts); range bins log-spaced from rangeMinM to rangeMaxM.
 * @see notebooks/05-pose-regression.ipynb (issue 11)
 */
import { axis, type Figure, type PlotlyTrace } from './figure.js';

const DEG = 180 / Math.PI;
const wrap360 = (deg: number): number => ((deg % 360) + 360) % 360;

// #region polarImageFigure
/**
 * One channel of a polar image as a heatmap: rows = range bins (near at the bottom), columns =
 * bearing bins.
 * @param polar [rangeBins * bins * channels] float32, HWC (bearing-polar.ts polarImage)
 * @param channel which channel to draw (0: log(1 + points), 1: share above ground, 2: mean height / 3 m)
 * @param edgesM [rangeBins + 1] range bin edges, metres (for the row labels)
 */
export function polarImageFigure(polar: ArrayLike<number>, rangeBins: number, bins: number, channels: number, channel: number, edgesM: ArrayLike<number>, options: { title?: string; colorbar?: string; widthPx?: number } = {}): Figure {
  if (polar.length !== rangeBins * bins * channels) throw new RangeError(`polarImageFigure: polar has ${polar.length} values, expected ${rangeBins} x ${bins} x ${channels}`);
  if (!(Number.isInteger(channel) && channel >= 0 && channel < channels)) throw new RangeError(`polarImageFigure: channel must be an integer in [0, ${channels}), got ${channel}`);
  if (edgesM.length !== rangeBins + 1) throw new RangeError(`polarImageFigure: expected ${rangeBins + 1} range edges, got ${edgesM.length}`);
  const z = Array.from({ length: rangeBins }, (_, r) => Array.from({ length: bins }, (_, b) => polar[(r * bins + b) * channels + channel]));
  const x = Array.from({ length: bins }, (_, b) => ((b + 0.5) * 360) / bins);
  const y = Array.from({ length: rangeBins }, (_, r) => `${edgesM[r].toFixed(1)}-${edgesM[r + 1].toFixed(1)}`);
  return {
    data: [{ type: 'heatmap', x, y, z, colorscale: 'Viridis', colorbar: { title: { text: options.colorbar ?? '' } } }],
    layout: { title: { text: options.title ?? '' }, width: options.widthPx ?? 900, height: 360, xaxis: axis('bearing', 'deg'), yaxis: axis('range', 'm') },
  };
}
// #endregion polarImageFigure

// #region headingScoresFigure
/**
 * The heading scores of one pair (one per bearing bin) against the heading, with dashed lines at
 * the true heading and at the chosen one; `control` adds a second curve (e.g. the scores with
 * another pair's image).
 * @param scores [bins] scores (bearing.ts BearingNet.scores, one row)
 * @param trueHeadingRad, chosenHeadingRad radians
 */
export function headingScoresFigure(scores: ArrayLike<number>, trueHeadingRad: number, chosenHeadingRad: number, options: { title?: string; control?: { name: string; scores: ArrayLike<number> }; widthPx?: number } = {}): Figure {
  const n = scores.length, x = Array.from({ length: n }, (_, k) => (k * 360) / n);
  if (options.control && options.control.scores.length !== n) throw new RangeError(`headingScoresFigure: control has ${options.control.scores.length} scores, expected ${n}`);
  const all = [...Array.from(scores), ...(options.control ? Array.from(options.control.scores) : [])];
  const lo = Math.min(...all), hi = Math.max(...all);
  const data: PlotlyTrace[] = [
    { type: 'scatter', mode: 'lines', name: 'scores', x, y: Array.from(scores), line: { color: '#1f77b4' } },
    ...(options.control ? [{ type: 'scatter', mode: 'lines', name: options.control.name, x, y: Array.from(options.control.scores), line: { color: '#ff7f0e' } } as PlotlyTrace] : []),
    { type: 'scatter', mode: 'lines', name: 'true heading', x: [wrap360(trueHeadingRad * DEG), wrap360(trueHeadingRad * DEG)], y: [lo, hi], line: { color: '#2ca02c', dash: 'dash' } },
    { type: 'scatter', mode: 'lines', name: 'chosen heading', x: [wrap360(chosenHeadingRad * DEG), wrap360(chosenHeadingRad * DEG)], y: [lo, hi], line: { color: '#d62728', dash: 'dot' } },
  ];
  return { data, layout: { title: { text: options.title ?? '' }, width: options.widthPx ?? 900, height: 360, xaxis: axis('heading', 'deg', { range: [0, 360] }), yaxis: axis('score (scale x mean cosine)') } };
}
// #endregion headingScoresFigure
