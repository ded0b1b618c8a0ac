/**
 * Plotly traces for 3D geometry: point clouds coloured by a value (subsampled
 * deterministically, so the same cloud always gives the same figure) and a camera's
 * viewing frustum as a wireframe. Pure data: nothing here draws or reads files.
 *
 * Convention: transforms are 4x4 row-major `worldFromX` (see frame-3d.ts); pixel centres
 * at integer (u, v), so the image's outer edges are u = -0.5, W - 0.5 and v = -0.5, H - 0.5;
 * camera frame x right, y down, z forward, metres.
 * @see notebooks/01-camera-geometry.ipynb
 */
import { colormap, type ColormapName } from './colormap.js';
import type { PlotlyTrace } from './figure.js';
import { rigidParts } from './frame-3d.js';

/**
 * A plotly colour scale sampled from one of our colour maps (plotly.js has no built-in
 * Turbo): `[[0, 'rgb(...)'], ..., [1, 'rgb(...)']]`.
 * @param stops number of samples (>= 2, default 11)
 */
export function plotlyColorscale(name: ColormapName = 'turbo', stops = 11): [number, string][] {
  if (!(Number.isInteger(stops) && stops >= 2)) throw new RangeError(`plotlyColorscale: stops must be an integer >= 2, got ${stops}`);
  return Array.from({ length: stops }, (_, k) => {
    const t = k / (stops - 1);
    return [t, `rgb(${colormap(name, t).join(',')})`];
  });
}

/** The intrinsics a frustum needs (a `PinholeCamera` from src/geometry fits). */
export interface FrustumCamera {
  /** Focal lengths, pixels. */
  fx: number; fy: number;
  /** Principal point, pixels (pixel centres at integers). */
  cx: number; cy: number;
  /** Image size, pixels. */
  width: number; height: number;
}

// #region subsample
/**
 * At most `maxPoints` indices of `0..n-1`, evenly spaced: index k is floor(k n / m),
 * m = min(n, maxPoints). No randomness, so the same n gives the same indices.
 * @param n number of items (integer >= 0)
 * @param maxPoints largest number kept (integer >= 1)
 * @returns [m] Int32Array, ascending
 */
export function evenSubsample(n: number, maxPoints: number): Int32Array {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`evenSubsample: n must be an integer >= 0, got ${n}`);
  if (!(Number.isInteger(maxPoints) && maxPoints >= 1)) throw new RangeError(`evenSubsample: maxPoints must be an integer >= 1, got ${maxPoints}`);
  const m = Math.min(n, maxPoints);
  const out = new Int32Array(m);
  for (let k = 0; k < m; k++) out[k] = Math.floor((k * n) / m);
  return out;
}
// #endregion subsample

/** Options of {@link pointCloudTrace}. */
export interface PointCloudTraceOptions {
  /** [N] value per point (depth, height, ...) used as the colour; omit for one colour. */
  values?: ArrayLike<number>;
  /** Colour bar title with unit, e.g. `'depth (m)'`; shown when `values` is given. */
  colorbarTitle?: string;
  /** Plotly colour scale: a name (`'Viridis'`) or stops (default turbo, {@link plotlyColorscale}). */
  colorscale?: string | [number, string][];
  /** Colour range [min, max] of `values`; default fitted by plotly. */
  colorRange?: [number, number];
  /** One colour for all points when `values` is absent (default `'#555555'`). */
  color?: string;
  /** [N] keep only points where mask is non-zero (before subsampling). */
  mask?: ArrayLike<number>;
  /** Most points drawn (default 20 000), picked by {@link evenSubsample}. */
  maxPoints?: number;
  /** [16] row-major transform from the points' frame to the plotted frame (default identity). */
  worldFromPoints?: ArrayLike<number>;
  /** Marker size, px (default 1.5). */
  sizePx?: number;
  /** Trace name (legend). */
  name?: string;
}

/**
 * A point cloud as one `scatter3d` marker trace.
 * @param points [N * stride] float, metres, xyz in channels 0..2
 * @param stride channels per point (>= 3)
 * @returns a trace with at most `maxPoints` points and `customdata` holding each drawn point's index
 */
export function pointCloudTrace(points: ArrayLike<number>, stride: number, options: PointCloudTraceOptions = {}): PlotlyTrace {
  if (!(Number.isInteger(stride) && stride >= 3)) throw new RangeError(`pointCloudTrace: stride must be an integer >= 3, got ${stride}`);
  if (points.length % stride !== 0) throw new RangeError(`pointCloudTrace: points has ${points.length} values, not a multiple of stride ${stride}`);
  const n = points.length / stride;
  const { values, mask } = options;
  if (values && values.length !== n) throw new RangeError(`pointCloudTrace: values has ${values.length} entries, expected one per point (${n})`);
  if (mask && mask.length !== n) throw new RangeError(`pointCloudTrace: mask has ${mask.length} entries, expected one per point (${n})`);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (!mask || mask[i]) kept.push(i);
  const pick = evenSubsample(kept.length, options.maxPoints ?? 20000);
  const T = options.worldFromPoints ? rigidParts(options.worldFromPoints, 'pointCloudTrace: worldFromPoints') : undefined;
  const m = pick.length;
  const x = new Float32Array(m), y = new Float32Array(m), z = new Float32Array(m), idx = new Int32Array(m);
  const c = values ? new Float32Array(m) : undefined;
  for (let k = 0; k < m; k++) {
    const i = kept[pick[k]], j = i * stride;
    const px = points[j], py = points[j + 1], pz = points[j + 2];
    if (T) {
      const r = T.r;
      x[k] = r[0] * px + r[1] * py + r[2] * pz + T.t[0];
      y[k] = r[3] * px + r[4] * py + r[5] * pz + T.t[1];
      z[k] = r[6] * px + r[7] * py + r[8] * pz + T.t[2];
    } else { x[k] = px; y[k] = py; z[k] = pz; }
    idx[k] = i;
    if (c && values) c[k] = values[i];
  }
  const marker: Record<string, unknown> = { size: options.sizePx ?? 1.5 };
  if (c) {
    Object.assign(marker, { color: c, colorscale: options.colorscale ?? plotlyColorscale('turbo'), showscale: true });
    if (options.colorRange) Object.assign(marker, { cmin: options.colorRange[0], cmax: options.colorRange[1] });
    if (options.colorbarTitle) marker.colorbar = { title: { text: options.colorbarTitle }, thickness: 14 };
  } else marker.color = options.color ?? '#555555';
  return {
    type: 'scatter3d', mode: 'markers', name: options.name ?? 'points', x, y, z, customdata: idx, marker,
    hovertemplate: `point %{customdata}: (%{x:.2f}, %{y:.2f}, %{z:.2f}) m<extra>${options.name ?? ''}</extra>`,
  };
}

// #region frustum
/**
 * The four image corners at depth `depthM` in the camera frame: the rays through the
 * outer pixel edges (u = -0.5 and W - 0.5, v = -0.5 and H - 0.5) scaled to z = depthM,
 * x = (u - cx) z / fx, y = (v - cy) z / fy.
 * @returns [4][3] metres, camera frame, in the order top-left, top-right, bottom-right, bottom-left
 */
export function frustumCorners(cam: FrustumCamera, depthM: number): [number, number, number][] {
  if (!(depthM > 0)) throw new RangeError(`frustumCorners: depthM must be > 0, got ${depthM}`);
  if (!(cam.fx > 0 && cam.fy > 0 && cam.width > 0 && cam.height > 0)) {
    throw new RangeError(`frustumCorners: camera needs fx, fy, width, height > 0, got ${JSON.stringify(cam)}`);
  }
  const uv: [number, number][] = [[-0.5, -0.5], [cam.width - 0.5, -0.5], [cam.width - 0.5, cam.height - 0.5], [-0.5, cam.height - 0.5]];
  return uv.map(([u, v]) => [((u - cam.cx) * depthM) / cam.fx, ((v - cam.cy) * depthM) / cam.fy, depthM]);
}
// #endregion frustum

/** Options of {@link frustumTrace}. */
export interface FrustumTraceOptions {
  /** Depth of the far rectangle, metres (default 10). */
  depthM?: number;
  /** Line colour (default `'#ff7f0e'`). */
  color?: string;
  /** Line width, px (default 3). */
  widthPx?: number;
  /** Trace name (legend; default `'frustum'`). */
  name?: string;
}

/**
 * A camera's viewing frustum as one `scatter3d` line trace: four edges from the optical
 * centre to the image corners at `depthM`, and the far rectangle (null breaks the line).
 * @param cam intrinsics and image size
 * @param worldFromCam [16] row-major camera -> plotted frame
 */
export function frustumTrace(cam: FrustumCamera, worldFromCam: ArrayLike<number>, options: FrustumTraceOptions = {}): PlotlyTrace {
  const { r, t } = rigidParts(worldFromCam, 'frustumTrace: worldFromCam');
  const toWorld = (p: number[]): number[] => [0, 1, 2].map((k) => r[3 * k] * p[0] + r[3 * k + 1] * p[1] + r[3 * k + 2] * p[2] + t[k]);
  const corners = frustumCorners(cam, options.depthM ?? 10).map(toWorld);
  const o = t as number[];
  const path: (number[] | null)[] = [];
  for (const c of corners) path.push(o, c, null);              // 4 edges from the centre
  path.push(...corners, corners[0]);                            // far rectangle
  const coord = (k: number): (number | null)[] => path.map((p) => (p ? p[k] : null));
  return {
    type: 'scatter3d', mode: 'lines', name: options.name ?? 'frustum',
    x: coord(0), y: coord(1), z: coord(2), connectgaps: false,
    line: { color: options.color ?? '#ff7f0e', width: options.widthPx ?? 3 },
    hoverinfo: 'skip',
  };
}

/**
 * A path through the origins of a list of poses (e.g. a drive's trajectory).
 * @param worldFromX list of [16] or [12] row-major poses (translation in elements 3, 7, 11)
 */
export function trajectoryTrace(worldFromX: ArrayLike<number>[], options: { name?: string; color?: string; widthPx?: number } = {}): PlotlyTrace {
  for (const [i, T] of worldFromX.entries()) {
    if (T.length !== 12 && T.length !== 16) throw new RangeError(`trajectoryTrace: pose ${i} has ${T.length} numbers, expected 12 or 16`);
  }
  return {
    type: 'scatter3d', mode: 'lines', name: options.name ?? 'trajectory',
    x: worldFromX.map((T) => T[3]), y: worldFromX.map((T) => T[7]), z: worldFromX.map((T) => T[11]),
    line: { color: options.color ?? '#7f7f7f', width: options.widthPx ?? 4 },
  };
}
