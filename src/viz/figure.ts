/**
 * Plotly figure specs as plain data: the `Figure` type and small helpers for axis titles
 * with units. Nothing here draws; `show()` in src/notebook displays a figure and writes it
 * to figures/, and `figureHtml()` turns it into a page.
 *
 * Convention: every axis title carries its unit in parentheses, `"depth (m)"`, so a
 * figure read out of context still says what it measures.
 * @see notebooks/00-setup-and-notation.ipynb
 */

/** One plotly trace (`{type: 'scatter', x, y, ...}`); typed arrays are allowed for data. */
export type PlotlyTrace = { type?: string; name?: string } & Record<string, unknown>;

/** A plotly layout object. */
export type PlotlyLayout = Record<string, unknown>;

/** A plotly figure: what `Plotly.newPlot(div, data, layout, config)` takes. */
export interface Figure {
  /** The traces, drawn in order. */
  data: PlotlyTrace[];
  /** Titles, axes, size (`width`/`height` in px), legend. */
  layout: PlotlyLayout;
  /** Plotly config (`displaylogo`, `responsive`, ...); optional. */
  config?: Record<string, unknown>;
}

/** A plotly axis spec with a title. */
export type AxisSpec = { title: { text: string } } & Record<string, unknown>;

/**
 * Axis title text with its unit: `axisTitle('depth', 'm')` is `"depth (m)"`.
 * @param quantity what the axis measures
 * @param unit the unit (`m`, `deg`, `px`, `s`); omit for dimensionless counts
 */
export function axisTitle(quantity: string, unit?: string): string {
  if (!quantity.trim()) throw new Error('axisTitle: quantity must be a non-empty string');
  return unit ? `${quantity} (${unit})` : quantity;
}

/**
 * A plotly axis with a titled quantity and unit, merged with extra axis settings.
 * @param quantity what the axis measures
 * @param unit the unit, or undefined for a count
 * @param extra other plotly axis fields (`range`, `type: 'log'`, ...)
 */
export function axis(quantity: string, unit?: string, extra: Record<string, unknown> = {}): AxisSpec {
  return { ...extra, title: { text: axisTitle(quantity, unit) } };
}

/** Options of {@link scene3d}. */
export interface Scene3dOptions {
  /** Length unit of the axes (default `m`). */
  unit?: string;
  /** Axis ranges in that unit; an axis left out is fitted to the data. */
  ranges?: { x?: [number, number]; y?: [number, number]; z?: [number, number] };
  /** Where the viewer stands, in plotly's scene units (e.g. `{ eye: { x: 1.2, y: -2, z: 0.8 } }`). */
  camera?: Record<string, unknown>;
}

/**
 * A 3D scene layout whose axes are titled `x_<frame> (m)`, `y_<frame> (m)`, `z_<frame> (m)`
 * and share one scale (`aspectmode: 'data'`), so that right angles look right.
 * @param frame name of the frame the coordinates are in, e.g. `'world'`
 */
export function scene3d(frame: string, options: Scene3dOptions = {}): Record<string, unknown> {
  const { unit = 'm', ranges = {}, camera } = options;
  const ax = (name: 'x' | 'y' | 'z'): AxisSpec => axis(`${name}_${frame}`, unit, ranges[name] ? { range: ranges[name] } : {});
  return { xaxis: ax('x'), yaxis: ax('y'), zaxis: ax('z'), aspectmode: 'data', ...(camera ? { camera } : {}) };
}

function titleText(t: unknown): string | undefined {
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return undefined;
}

/**
 * Lists the axes of a figure that have no title (house rule: every axis has a title
 * with a unit). 2D figures are checked for `xaxis`/`yaxis`, figures with 3D traces for
 * `scene.xaxis/yaxis/zaxis`; pies, tables and images-only figures are not checked.
 * @returns paths such as `layout.xaxis.title`; empty when all are titled
 */
export function missingAxisTitles(fig: Figure): string[] {
  const types = new Set(fig.data.map((t) => t.type ?? 'scatter'));
  const missing: string[] = [];
  const is3d = [...types].some((t) => ['scatter3d', 'surface', 'mesh3d', 'cone', 'streamtube'].includes(t));
  const is2d = [...types].some((t) => ['scatter', 'scattergl', 'bar', 'histogram', 'heatmap', 'box', 'violin', 'contour'].includes(t));
  if (is2d) {
    for (const ax of ['xaxis', 'yaxis']) {
      if (!titleText((fig.layout[ax] as Record<string, unknown> | undefined)?.title)) missing.push(`layout.${ax}.title`);
    }
  }
  if (is3d) {
    const scene = (fig.layout.scene ?? {}) as Record<string, Record<string, unknown> | undefined>;
    for (const ax of ['xaxis', 'yaxis', 'zaxis']) {
      if (!titleText(scene[ax]?.title)) missing.push(`layout.scene.${ax}.title`);
    }
  }
  return missing;
}

/**
 * The figure as JSON text: typed arrays become plain arrays, keys keep their order, so
 * the same figure always gives the same text.
 * @param indent spaces of indentation (0 = one line)
 */
export function figureJson(fig: Figure, indent = 0): string {
  return JSON.stringify(fig, (_k, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView)
    ? Array.from(v as unknown as ArrayLike<number | bigint>, Number)
    : v), indent || undefined);
}
