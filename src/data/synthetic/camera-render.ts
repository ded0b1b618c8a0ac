/**
 * The colour cameras: one primary ray per pixel; shading = albedo x (ambient + sun diffuse)
 * with procedural textures (facade window grids, asphalt and foliage noise), a sky gradient,
 * distance haze, exposure and Gaussian sensor noise.
 * Pixel (u, v) = (column, row), ray through the pixel centre.
 */
import type { Rng } from '../../core/rng.js';
import type { PinholeCamera } from '../../geometry/camera.js';
import { emptyHit } from './bvh.js';
import type { Lighting } from './drives.js';
import { Pattern, windowCell } from './materials.js';
import { hashU32, normalFromHash } from './noise.js';
import { castRay, type Scene } from './scene.js';

/** Cheap deterministic hash noise in [0, 1) of integer lattice coordinates. */
function hash3(x: number, y: number, z: number): number {
  let h = Math.imul(x | 0, 374761393) ^ Math.imul(y | 0, 668265263) ^ Math.imul(z | 0, 2147483647);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Renders one image.
 * @param townFromCam - [16] row-major camera frame (x right, y down, z forward) -> town frame.
 * @param cam - intrinsics and size.
 * @returns [H * W * 3] uint8 RGB, HWC.
 */
export function renderImage(scene: Scene, townFromCam: ArrayLike<number>, cam: PinholeCamera, light: Lighting, noiseStd: number, rng: Rng): Uint8Array {
  const { width: W, height: H, fx, fy, cx, cy } = cam;
  const M = townFromCam, mats = scene.town.materials;
  const ox = M[3], oy = M[7], oz = M[11];
  const [sx, sy, sz] = light.sun;
  const out = new Uint8Array(W * H * 3);
  const hit = emptyHit();
  const col = [0, 0, 0];
  const seed = (rng.next() * 4294967296) >>> 0; // per-image noise stream: pixel channel i draws hashU32(seed, i)
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const a = (u - cx) / fx, b = (v - cy) / fy, inv = 1 / Math.sqrt(a * a + b * b + 1);
      const dx = (M[0] * a + M[1] * b + M[2]) * inv, dy = (M[4] * a + M[5] * b + M[6]) * inv, dz = (M[8] * a + M[9] * b + M[10]) * inv;
      if (!castRay(scene, ox, oy, oz, dx, dy, dz, 400, hit)) {
        const t = Math.max(0, Math.min(1, dz * 2.5));
        for (let k = 0; k < 3; k++) col[k] = light.skyHorizon[k] * (1 - t) + light.skyZenith[k] * t;
      } else {
        const m = hit.material, px = ox + dx * hit.t, py = oy + dy * hit.t, pz = oz + dz * hit.t;
        let shade = light.ambient + (1 - light.ambient) * Math.max(0, hit.nx * sx + hit.ny * sy + hit.nz * sz);
        let r = mats.albedo[m * 3], g = mats.albedo[m * 3 + 1], bl = mats.albedo[m * 3 + 2];
        const pat = mats.pattern[m];
        if (pat === Pattern.Windows && hit.nz < 0.5) {
          const cell = windowCell(mats, m, px, py, pz, hit.nx, hit.ny, hit.nz);
          if (cell >= 0) {
            const glass = 0.12 + 0.1 * hash3(cell >> 8, cell & 0xff, m);
            r = glass; g = glass * 1.05; bl = glass * 1.2; shade = Math.max(shade, 0.8);
          } else if (pz < 0.4) { r *= 0.7; g *= 0.7; bl *= 0.7; }
        } else if (pat === Pattern.Asphalt || pat === Pattern.Grass || pat === Pattern.Foliage) {
          const s = pat === Pattern.Foliage ? 3 : 5;
          const nz = 0.85 + 0.3 * hash3(Math.floor(px * s), Math.floor(py * s), Math.floor(pz * s));
          r *= nz; g *= nz; bl *= nz;
        }
        const haze = Math.min(0.6, hit.t / 400);
        col[0] = r * shade * (1 - haze) + light.skyHorizon[0] * haze;
        col[1] = g * shade * (1 - haze) + light.skyHorizon[1] * haze;
        col[2] = bl * shade * (1 - haze) + light.skyHorizon[2] * haze;
      }
      const o = (v * W + u) * 3;
      for (let k = 0; k < 3; k++) {
        const val = 255 * col[k] * light.exposure + noiseStd * normalFromHash(hashU32(seed, o + k));
        out[o + k] = val < 0 ? 0 : val > 255 ? 255 : Math.round(val);
      }
    }
  }
  return out;
}
