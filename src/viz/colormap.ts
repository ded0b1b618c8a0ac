/**
 * Colour maps for depth images and LiDAR overlays, as plain 8-bit RGB (no plotting library).
 *
 * Sources (both polynomial fits, no lookup table, because matplotlib was not available to
 * generate one):
 * - `turbo`: Google's published polynomial approximation of Turbo (Anton Mikhailov's
 *   colormap; GLSL fit by Ruofei Du, Google AI blog, 2019). Measured against the
 *   256-entry Turbo table: mean channel error about 0.05, up to 0.08 (20/255) inside and
 *   0.13 at t = 0; fine for showing depth, not for reading values back from colours.
 * - `viridis`: Matt Zucker's degree-6 least-squares fit to matplotlib's viridis
 *   (shadertoy WlfXRN); off the table by at most about 0.015 (4/255), at the ends.
 * - `gray`: t * 255.
 */

/** The colour maps available. */
export type ColormapName = 'turbo' | 'viridis' | 'gray';

/** An 8-bit RGB colour, each channel an integer in [0, 255]. */
export type Rgb = [number, number, number];

const TURBO = {
  r4: [0.13572138, 4.6153926, -42.66032258, 132.13108234], r2: [-152.94239396, 59.28637943],
  g4: [0.09140261, 2.19418839, 4.84296658, -14.18503333], g2: [4.27729857, 2.82956604],
  b4: [0.1066733, 12.64194608, -60.58204836, 110.36276771], b2: [-89.90310912, 27.34824973],
};

// c0..c6 for r, g, b: value = c0 + t (c1 + t (c2 + ... + t c6))
const VIRIDIS = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

const to255 = (x: number): number => Math.round(255 * Math.min(1, Math.max(0, x)));

function turbo(t: number): Rgb {
  const t2 = t * t;
  const t3 = t2 * t;
  const ch = (c4: number[], c2: number[]): number => c4[0] + c4[1] * t + c4[2] * t2 + c4[3] * t3 + c2[0] * t2 * t2 + c2[1] * t3 * t2;
  return [to255(ch(TURBO.r4, TURBO.r2)), to255(ch(TURBO.g4, TURBO.g2)), to255(ch(TURBO.b4, TURBO.b2))];
}

function viridis(t: number): Rgb {
  const out: Rgb = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    let v = VIRIDIS[6][k];
    for (let i = 5; i >= 0; i--) v = v * t + VIRIDIS[i][k];
    out[k] = to255(v);
  }
  return out;
}

/**
 * Maps a value in [0, 1] to a colour.
 * @param name - `turbo` (blue -> green -> red), `viridis` (purple -> yellow), or `gray`.
 * @param t - the value; values outside [0, 1] take the colour of the nearer end.
 * @returns [r, g, b], integers in [0, 255].
 * @throws RangeError when `t` is NaN or `name` is unknown.
 */
export function colormap(name: ColormapName, t: number): Rgb {
  if (Number.isNaN(t)) throw new RangeError(`colormap: t is NaN, expected a number in [0, 1]`);
  const x = Math.min(1, Math.max(0, t));
  switch (name) {
    case 'turbo': return turbo(x);
    case 'viridis': return viridis(x);
    case 'gray': { const g = to255(x); return [g, g, g]; }
    default: throw new RangeError(`colormap: unknown name '${String(name)}', expected 'turbo', 'viridis' or 'gray'`);
  }
}

/** Options of {@link depthToRgb}. */
export interface DepthToRgbOptions {
  /** Depth in metres mapped to the end of the colour map; deeper pixels take the end colour. Default: the largest depth in the image. */
  maxM?: number;
  /** Colour map; default `turbo` (near = blue, far = red). */
  colormap?: ColormapName;
  /** Colour of empty pixels (depth 0); default black [0, 0, 0]. */
  emptyRgb?: Rgb;
}

/**
 * Colours a depth image: t = depth / maxM through the colour map; empty pixels (0) get `emptyRgb`.
 * @param depth - [H * W] float32 depth in metres, row-major; 0 = empty.
 * @param width - W in pixels.
 * @param height - H in pixels.
 * @param options - see {@link DepthToRgbOptions}.
 * @returns [H * W * 3] uint8 RGB, HWC.
 * @throws RangeError on a size mismatch, a negative or non-finite depth, or `maxM` <= 0.
 */
export function depthToRgb(depth: Float32Array, width: number, height: number, options: DepthToRgbOptions = {}): Uint8Array {
  if (depth.length !== width * height) throw new RangeError(`depthToRgb: depth has ${depth.length} values, expected ${width}x${height} = ${width * height}`);
  const name = options.colormap ?? 'turbo';
  const empty = options.emptyRgb ?? [0, 0, 0];
  let maxM = options.maxM;
  if (maxM === undefined) {
    maxM = 0;
    for (let i = 0; i < depth.length; i++) if (depth[i] > maxM) maxM = depth[i];
    if (maxM === 0) maxM = 1; // all empty: any positive scale will do
  }
  if (!(maxM > 0) || !Number.isFinite(maxM)) throw new RangeError(`depthToRgb: maxM must be a finite number > 0, got ${maxM}`);
  const out = new Uint8Array(width * height * 3); // [H * W * 3]
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i];
    if (!(d >= 0) || !Number.isFinite(d)) throw new RangeError(`depthToRgb: depth[${i}] (row ${Math.floor(i / width)}, column ${i % width}) is ${d}, expected metres >= 0`);
    const c = d === 0 ? empty : colormap(name, d / maxM);
    out[i * 3] = c[0];
    out[i * 3 + 1] = c[1];
    out[i * 3 + 2] = c[2];
  }
  return out;
}

/**
 * Draws points as filled discs on an RGB image, in place (for LiDAR-on-camera overlays).
 * Convention: pixel centres sit at integer (u, v); a point snaps to the nearest pixel
 * centre and paints the pixels within `radiusPx` of that centre (radius 0 = that pixel). Points off the image, or with
 * non-finite u or v, are not drawn.
 * @param rgb - [H * W * 3] uint8 RGB, HWC; modified in place.
 * @param width - W in pixels.
 * @param height - H in pixels.
 * @param u - [N] column of each point, pixels.
 * @param v - [N] row of each point, pixels.
 * @param colors - [N * 3] uint8 RGB per point, or one [r, g, b] for all.
 * @param radiusPx - disc radius in pixels, >= 0.
 * @returns `rgb`, for chaining.
 */
export function drawPoints(
  rgb: Uint8Array, width: number, height: number,
  u: ArrayLike<number>, v: ArrayLike<number>, colors: ArrayLike<number>, radiusPx = 1,
): Uint8Array {
  if (rgb.length !== width * height * 3) throw new RangeError(`drawPoints: rgb has ${rgb.length} values, expected ${width}x${height}x3`);
  const n = u.length;
  if (v.length !== n) throw new RangeError(`drawPoints: u has ${n} values but v has ${v.length}`);
  const single = colors.length === 3 && n !== 1;
  if (!single && colors.length !== n * 3) throw new RangeError(`drawPoints: colors must hold 3 or N * 3 = ${n * 3} values, got ${colors.length}`);
  if (!(radiusPx >= 0)) throw new RangeError(`drawPoints: radiusPx must be >= 0, got ${radiusPx}`);
  const r = Math.floor(radiusPx);
  const r2 = radiusPx * radiusPx;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(u[i]) || !Number.isFinite(v[i])) continue;
    const cu = Math.round(u[i]);
    const cv = Math.round(v[i]);
    const c = single ? 0 : i * 3;
    for (let dy = -r; dy <= r; dy++) {
      const y = cv + dy;
      if (y < 0 || y >= height) continue;
      for (let dx = -r; dx <= r; dx++) {
        const x = cu + dx;
        if (x < 0 || x >= width || dx * dx + dy * dy > r2) continue;
        const o = (y * width + x) * 3;
        rgb[o] = colors[c];
        rgb[o + 1] = colors[c + 1];
        rgb[o + 2] = colors[c + 2];
      }
    }
  }
  return rgb;
}
