/**
 * Coordinate frames as plotly 3D traces: three axis lines from the frame's origin,
 * x red, y green, z blue (the RGB = XYZ habit of most robotics viewers), plus a label.
 *
 * Convention: `worldFromFrame` is a 4x4 rigid transform, row-major, that maps points
 * written in the frame into the world frame. Its rotation columns are the frame's axes
 * written in world coordinates and its last column is the frame's origin in the world.
 * @see notebooks/00-setup-and-notation.ipynb
 */
import type { PlotlyTrace } from './figure.js';
import { orthonormalityError } from '../geometry/so3.js';

/** Colours of the x, y and z axes. */
export const AXIS_COLORS = { x: '#d62728', y: '#2ca02c', z: '#1f77b4' } as const;

/** Options of {@link frame3d}. */
export interface Frame3dOptions {
  /** Length of each axis line, metres (default 1; > 0). */
  lengthM?: number;
  /** Line width, px (default 6). */
  widthPx?: number;
  /** Show the label as text at the origin (default true). */
  showLabel?: boolean;
  /** Where the label sits relative to the origin, a plotly `textposition` (default `'top center'`). */
  labelPosition?: string;
  /** Give the frame a legend entry (default false: the label at the origin names it). */
  showLegend?: boolean;
}

/** Tolerance on the bottom row [0 0 0 1]. */
const RIGID_TOL = 1e-6;
/** Tolerance on R^T R = I (see `orthonormalityError` in src/geometry/so3.ts). */
const ORTHONORMAL_TOL = 1e-4;

/**
 * Checks that `m` is a 4x4 row-major rigid transform and returns its rotation and origin.
 * @param m [16] row-major, rotation dimensionless, translation in metres
 * @throws Error naming `what` and the failing condition
 */
export function rigidParts(m: ArrayLike<number>, what = 'worldFromFrame'): { r: number[]; t: [number, number, number] } {
  if (m.length !== 16) throw new Error(`${what}: expected a 4x4 row-major matrix (16 numbers), got ${m.length}`);
  for (let i = 0; i < 16; i++) {
    if (!Number.isFinite(m[i])) throw new Error(`${what}: element ${i} (row ${i >> 2}, col ${i & 3}) is ${m[i]}`);
  }
  const bottom = [m[12], m[13], m[14], m[15]];
  if (Math.abs(bottom[0]) + Math.abs(bottom[1]) + Math.abs(bottom[2]) + Math.abs(bottom[3] - 1) > RIGID_TOL) {
    throw new Error(`${what}: bottom row must be [0, 0, 0, 1], got [${bottom.join(', ')}]`);
  }
  const r = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
  const e = orthonormalityError(r);
  if (e > ORTHONORMAL_TOL) throw new Error(`${what}: rotation is not orthonormal (|R^T R - I|_max = ${e} > ${ORTHONORMAL_TOL})`);
  return { r, t: [m[3], m[7], m[11]] };
}

/**
 * Plotly traces that draw a coordinate frame: one line per axis from the origin to
 * origin + lengthM * axis, x red, y green, z blue, grouped in the legend under `label`.
 * @param worldFromFrame [16] row-major float, rotation + translation in metres, maps frame -> world
 * @param label the frame's name (legend group and text at the origin)
 * @returns 3 `scatter3d` line traces (x, y, z) and, when `showLabel`, a text trace
 */
export function frame3d(worldFromFrame: ArrayLike<number>, label: string, options: Frame3dOptions = {}): PlotlyTrace[] {
  const { lengthM = 1, widthPx = 6, showLabel = true, showLegend = false, labelPosition = 'top center' } = options;
  if (!(lengthM > 0)) throw new Error(`frame3d(${label}): lengthM must be > 0, got ${lengthM}`);
  const { r, t } = rigidParts(worldFromFrame, `frame3d(${label}): worldFromFrame`);
  // #region frame-axes
  const traces: PlotlyTrace[] = (['x', 'y', 'z'] as const).map((name, k) => ({
    type: 'scatter3d',
    mode: 'lines',
    name: `${label} ${name}`,
    legendgroup: label, // clicking the legend entry toggles all three axes
    showlegend: showLegend && k === 0,
    // column k of R is the frame's k-th axis in world coordinates
    x: [t[0], t[0] + lengthM * r[k]],
    y: [t[1], t[1] + lengthM * r[3 + k]],
    z: [t[2], t[2] + lengthM * r[6 + k]],
    line: { color: AXIS_COLORS[name], width: widthPx },
    hovertemplate: `${label} ${name}-axis<extra></extra>`,
  }));
  // #endregion
  if (showLabel) {
    traces.push({
      type: 'scatter3d', mode: 'text+markers', name: label, legendgroup: label, showlegend: false,
      x: [t[0]], y: [t[1]], z: [t[2]], text: [label], textposition: labelPosition,
      marker: { size: 3, color: '#333333' },
      hovertemplate: `${label} origin (%{x:.2f}, %{y:.2f}, %{z:.2f}) m<extra></extra>`,
    });
  }
  return traces;
}
