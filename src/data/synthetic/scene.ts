/**
 * The ray-castable scene: the town's triangles in a BVH plus the ground plane z = 0
 * whose material comes from the ground raster.
 */
import { buildBvh, emptyHit, intersectBvh, type Bvh, type RayHit } from './bvh.js';
import { MAT } from './materials.js';
import type { Town } from './town.js';

/** A town ready for ray casting. */
export interface Scene {
  town: Town;
  bvh: Bvh;
}

/** Builds the BVH of a town. */
export function buildScene(town: Town): Scene {
  return { town, bvh: buildBvh(town.mesh) };
}

const GRASS: number = MAT.grass;

/** Ground material at town (x, y). */
export function groundMaterial(town: Town, x: number, y: number): number {
  const g = town.ground;
  const c = Math.floor((x - g.x0) / g.cellM), r = Math.floor((y - g.y0) / g.cellM);
  return c < 0 || r < 0 || c >= g.nx || r >= g.ny ? GRASS : g.data[r * g.nx + c];
}

/**
 * Casts one ray into the scene (triangles and ground plane).
 * @param o* - origin, town frame, metres. @param d* - unit direction. @param tMax - metres.
 * @param hit - reset and filled; `hit.t` = Infinity on a miss.
 * @returns true on a hit closer than tMax.
 */
export function castRay(scene: Scene, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMax: number, hit: RayHit): boolean {
  hit.t = Infinity; hit.primitive = -1; hit.material = 0;
  if (dz < 0 && oz > 0) {
    const t = -oz / dz;
    if (t < tMax) {
      hit.t = t; hit.material = groundMaterial(scene.town, ox + dx * t, oy + dy * t);
      hit.nx = 0; hit.ny = 0; hit.nz = 1;
    }
  }
  intersectBvh(scene.bvh, ox, oy, oz, dx, dy, dz, tMax, hit);
  return hit.t < tMax;
}

export { emptyHit };
