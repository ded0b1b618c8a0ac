/**
 * Materials of the synthetic town: an albedo colour for the cameras, a LiDAR reflectivity
 * and a surface pattern. Facade styles come from one small shared palette and are reused
 * across the town, so that colour alone does not identify a place.
 */
import { createRng } from '../../core/rng.js';

/** Surface pattern drawn by the camera shader. */
export const enum Pattern { Plain = 0, Windows = 1, Asphalt = 2, Grass = 3, Foliage = 4 }

/** Fixed material ids (facades start at {@link FACADE_BASE}). */
export const MAT = {
  sky: 0, road: 1, marking: 2, sidewalk: 3, grass: 4, kerb: 5, trunk: 6, crown: 7, pole: 8,
  fence: 9, roofDark: 10, roofRed: 11, roofGrey: 12, carRed: 13, carBlue: 14, carWhite: 15, carBlack: 16, carSilver: 17,
} as const;
/** First facade material id; facade style k has id FACADE_BASE + k. */
export const FACADE_BASE = 20;
/** Number of material slots. */
export const MATERIAL_COUNT = 40;

/** A material table in typed arrays (indexed by material id). */
export interface MaterialTable {
  /** [M * 3] float32 albedo RGB in 0..1. */
  albedo: Float32Array;
  /** [M] float32 LiDAR reflectivity 0..1 at normal incidence. */
  reflectivity: Float32Array;
  /** [M] uint8 {@link Pattern}. */
  pattern: Uint8Array;
  /** [M * 4] float32 window grid per facade: floor height m, window pitch m, window width share, window height share. */
  windows: Float32Array;
}

/**
 * Builds the material table; facade colours and window grids are drawn from `seed`.
 * @param seed - the town seed.
 * @param facadeStyles - number of facade styles (1..16).
 */
export function buildMaterials(seed: number, facadeStyles: number): MaterialTable {
  const albedo = new Float32Array(MATERIAL_COUNT * 3).fill(0.5);
  const reflectivity = new Float32Array(MATERIAL_COUNT).fill(0.3);
  const pattern = new Uint8Array(MATERIAL_COUNT);
  const windows = new Float32Array(MATERIAL_COUNT * 4);
  const set = (id: number, rgb: [number, number, number], refl: number, pat = Pattern.Plain): void => {
    albedo.set(rgb, id * 3); reflectivity[id] = refl; pattern[id] = pat;
  };
  set(MAT.road, [0.22, 0.22, 0.23], 0.18, Pattern.Asphalt);
  set(MAT.marking, [0.85, 0.85, 0.82], 0.65);
  set(MAT.sidewalk, [0.5, 0.48, 0.46], 0.3, Pattern.Asphalt);
  set(MAT.grass, [0.2, 0.36, 0.14], 0.45, Pattern.Grass);
  set(MAT.kerb, [0.62, 0.62, 0.6], 0.35);
  set(MAT.trunk, [0.3, 0.22, 0.15], 0.3);
  set(MAT.crown, [0.16, 0.32, 0.12], 0.5, Pattern.Foliage);
  set(MAT.pole, [0.45, 0.46, 0.48], 0.5);
  set(MAT.fence, [0.38, 0.34, 0.3], 0.3);
  set(MAT.roofDark, [0.2, 0.2, 0.22], 0.15);
  set(MAT.roofRed, [0.45, 0.2, 0.15], 0.25);
  set(MAT.roofGrey, [0.4, 0.4, 0.4], 0.25);
  set(MAT.carRed, [0.55, 0.08, 0.07], 0.6);
  set(MAT.carBlue, [0.1, 0.15, 0.4], 0.6);
  set(MAT.carWhite, [0.8, 0.8, 0.8], 0.75);
  set(MAT.carBlack, [0.06, 0.06, 0.07], 0.4);
  set(MAT.carSilver, [0.55, 0.56, 0.58], 0.7);
  const rng = createRng(seed ^ 0x5eed);
  // Muted facade palette: beige, grey, brick, cream, ... (hue spread small on purpose).
  const base: [number, number, number][] = [
    [0.62, 0.55, 0.45], [0.5, 0.5, 0.5], [0.55, 0.3, 0.22], [0.75, 0.72, 0.62], [0.4, 0.38, 0.36],
    [0.6, 0.6, 0.55], [0.48, 0.4, 0.33], [0.68, 0.62, 0.55],
  ];
  for (let k = 0; k < facadeStyles; k++) {
    const b = base[k % base.length];
    const j = (): number => rng.uniform(-0.05, 0.05);
    set(FACADE_BASE + k, [b[0] + j(), b[1] + j(), b[2] + j()], rng.uniform(0.25, 0.5), Pattern.Windows);
    windows.set([rng.uniform(2.8, 3.6), rng.uniform(2.2, 3.5), rng.uniform(0.35, 0.6), rng.uniform(0.4, 0.6)], (FACADE_BASE + k) * 4);
  }
  return { albedo, reflectivity, pattern, windows };
}

/**
 * Whether a hit on a facade falls on a window pane (same grid the camera draws; the LiDAR mostly
 * gets no return from glass).
 * @param m - material id. @param px - hit point, town frame, metres (py, pz likewise).
 * @param nx - surface normal x (ny, nz likewise).
 * @returns the window's cell key (>= 0) when inside a pane, else -1.
 */
export function windowCell(mats: MaterialTable, m: number, px: number, py: number, pz: number, nx: number, ny: number, nz: number): number {
  if (mats.pattern[m] !== Pattern.Windows || nz >= 0.5 || pz <= 1) return -1;
  const floorM = mats.windows[m * 4], pitch = mats.windows[m * 4 + 1];
  const along = px * -ny + py * nx; // horizontal coordinate along the wall
  const cu = Math.floor(along / pitch), cv = Math.floor(pz / floorM);
  const fu = along / pitch - cu, fv = pz / floorM - cv;
  return fu < mats.windows[m * 4 + 2] && fv > 0.3 && fv < 0.3 + mats.windows[m * 4 + 3] ? ((cu & 0xffff) << 8) | (cv & 0xff) : -1;
}
