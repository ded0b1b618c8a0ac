/**
 * The HDL-64E-like LiDAR: beams evenly spaced in elevation, a full 360-degree sweep of
 * `columns` azimuth steps, Gaussian range noise, random dropouts, and reflectance from the
 * material's reflectivity and the incidence angle. Ignores motion during the sweep.
 */
import type { Rng } from '../../core/rng.js';
import { emptyHit } from './bvh.js';
import type { LidarConfig } from './config.js';
import { windowCell } from './materials.js';
import { hashU32, normalFromHash, unitFromHash } from './noise.js';
import { castRay, type Scene } from './scene.js';

/** `count` values evenly spaced from `from` to `to` (both included), degrees -> radians, into `out` at `at`. */
function spread(out: Float64Array, at: number, count: number, from: number, to: number): void {
  for (let b = 0; b < count; b++) out[at + b] = (from + (count === 1 ? 0 : b / (count - 1)) * (to - from)) * (Math.PI / 180);
}

/**
 * Beam elevations, top beam first: two evenly spaced blocks like the HDL-64E (upper block
 * about 1/3 degree apart, lower block about 1/2 degree), or one block when `upperBlockBeams` is 0.
 * @returns [beams] float64, radians.
 */
export function beamElevations(cfg: LidarConfig): Float64Array {
  const out = new Float64Array(cfg.beams), up = cfg.upperBlockBeams;
  if (up > 0 && up < cfg.beams) {
    spread(out, 0, up, cfg.elevationMaxDeg, cfg.upperBlockMinDeg);
    spread(out, up, cfg.beams - up, cfg.lowerBlockMaxDeg, cfg.elevationMinDeg);
  } else spread(out, 0, cfg.beams, cfg.elevationMaxDeg, cfg.elevationMinDeg);
  return out;
}

/**
 * One sweep.
 * @param townFromVelo - [16] row-major, velodyne frame -> town frame.
 * @param rng - noise source (per frame).
 * @returns [N * 4] float32 x, y, z (metres, velodyne frame: x forward, y left, z up), reflectance 0..1; N <= beams * columns.
 */
export function simulateSweep(scene: Scene, cfg: LidarConfig, townFromVelo: ArrayLike<number>, rng: Rng): Float32Array {
  const T = townFromVelo, elev = beamElevations(cfg), mats = scene.town.materials, refl = mats.reflectivity;
  const out = new Float32Array(cfg.beams * cfg.columns * 4);
  const hit = emptyHit();
  const ox = T[3], oy = T[7], oz = T[11];
  let n = 0;
  const seed = (rng.next() * 4294967296) >>> 0; // per-sweep noise stream: ray k draws hashU32(seed, 3k + 0..2)
  for (let c = 0; c < cfg.columns; c++) {
    const az = Math.PI - (2 * Math.PI * c) / cfg.columns; // KITTI order: from behind, counter-clockwise seen from above is reversed
    const ca = Math.cos(az), sa = Math.sin(az);
    for (let b = 0; b < cfg.beams; b++) {
      const ce = Math.cos(elev[b]);
      const vx = ce * ca, vy = ce * sa, vz = Math.sin(elev[b]);
      const dx = T[0] * vx + T[1] * vy + T[2] * vz, dy = T[4] * vx + T[5] * vy + T[6] * vz, dz = T[8] * vx + T[9] * vy + T[10] * vz;
      const k = 3 * (c * cfg.beams + b);
      const drop = unitFromHash(hashU32(seed, k)), noise = normalFromHash(hashU32(seed, k + 1)), rnoise = unitFromHash(hashU32(seed, k + 2));
      if (!castRay(scene, ox, oy, oz, dx, dy, dz, cfg.maxRangeM, hit) || drop < cfg.dropout) continue;
      const cosI = Math.abs(hit.nx * dx + hit.ny * dy + hit.nz * dz);
      const r = hit.t + cfg.rangeNoiseM * noise;
      // Grazing returns at long range are weak: kept with probability min(1, (cosI * grazingRangeM / r)^2).
      const g = (cosI * cfg.grazingRangeM) / r;
      if (g * g < rnoise) continue;
      // Glass returns little: a window pane loses the return with probability glassDropout (drop >= dropout here).
      if (drop < cfg.dropout + cfg.glassDropout * (1 - cfg.dropout) && windowCell(mats, hit.material, ox + dx * hit.t, oy + dy * hit.t, oz + dz * hit.t, hit.nx, hit.ny, hit.nz) >= 0) continue;
      out[n++] = vx * r; out[n++] = vy * r; out[n++] = vz * r;
      out[n++] = Math.min(1, Math.max(0, refl[hit.material] * (0.35 + 0.65 * cosI) * (1 + 0.1 * (rnoise - 0.5))));
    }
  }
  return out.slice(0, n);
}
