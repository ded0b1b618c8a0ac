/**
 * The HDL-64E-like LiDAR: beams evenly spaced in elevation, a full 360-degree sweep of
 * `columns` azimuth steps, Gaussian range noise, random dropouts, and reflectance from the
 * material's reflectivity and the incidence angle. Ignores motion during the sweep.
 */
import type { Rng } from '../../core/rng.js';
import { emptyHit } from './bvh.js';
import type { LidarConfig } from './config.js';
import { castRay, type Scene } from './scene.js';

/**
 * Beam elevations, top beam first.
 * @returns [beams] float64, radians.
 */
export function beamElevations(cfg: LidarConfig): Float64Array {
  const out = new Float64Array(cfg.beams), d2r = Math.PI / 180;
  for (let b = 0; b < cfg.beams; b++) {
    const f = cfg.beams === 1 ? 0 : b / (cfg.beams - 1);
    out[b] = (cfg.elevationMaxDeg + f * (cfg.elevationMinDeg - cfg.elevationMaxDeg)) * d2r;
  }
  return out;
}

/**
 * One sweep.
 * @param townFromVelo - [16] row-major, velodyne frame -> town frame.
 * @param rng - noise source (per frame).
 * @returns [N * 4] float32 x, y, z (metres, velodyne frame: x forward, y left, z up), reflectance 0..1; N <= beams * columns.
 */
export function simulateSweep(scene: Scene, cfg: LidarConfig, townFromVelo: ArrayLike<number>, rng: Rng): Float32Array {
  const T = townFromVelo, elev = beamElevations(cfg), refl = scene.town.materials.reflectivity;
  const out = new Float32Array(cfg.beams * cfg.columns * 4);
  const hit = emptyHit();
  const ox = T[3], oy = T[7], oz = T[11];
  let n = 0;
  for (let c = 0; c < cfg.columns; c++) {
    const az = Math.PI - (2 * Math.PI * c) / cfg.columns; // KITTI order: from behind, counter-clockwise seen from above is reversed
    const ca = Math.cos(az), sa = Math.sin(az);
    for (let b = 0; b < cfg.beams; b++) {
      const ce = Math.cos(elev[b]);
      const vx = ce * ca, vy = ce * sa, vz = Math.sin(elev[b]);
      const dx = T[0] * vx + T[1] * vy + T[2] * vz, dy = T[4] * vx + T[5] * vy + T[6] * vz, dz = T[8] * vx + T[9] * vy + T[10] * vz;
      const drop = rng.next(), noise = rng.normal(), rnoise = rng.next();
      if (!castRay(scene, ox, oy, oz, dx, dy, dz, cfg.maxRangeM, hit) || drop < cfg.dropout) continue;
      const cosI = Math.abs(hit.nx * dx + hit.ny * dy + hit.nz * dz);
      const r = hit.t + cfg.rangeNoiseM * noise;
      // Grazing returns at long range are weak: drop them with a probability that grows with range / cos.
      if (cosI * 60 < r * rnoise * 0.5) continue;
      out[n++] = vx * r; out[n++] = vy * r; out[n++] = vz * r;
      out[n++] = Math.min(1, Math.max(0, refl[hit.material] * (0.35 + 0.65 * cosI) * (1 + 0.1 * (rnoise - 0.5))));
    }
  }
  return out.slice(0, n);
}
