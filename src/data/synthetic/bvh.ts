/**
 * A bounding volume hierarchy over triangles, in typed arrays, and ray casting against it
 * (Moeller-Trumbore per triangle, slab test per node, nearer child first).
 * Build: median split of triangle centroids along the longest axis, leaves of <= 4 triangles.
 */
import type { TriangleMesh } from './mesh.js';

/** A built BVH. Triangles are reordered into leaf order. */
export interface Bvh {
  /** [N * 6] float32 node bounds min xyz, max xyz. */
  bounds: Float32Array;
  /** [N] int32: inner node: index of the right child (left = node + 1); leaf: first triangle. */
  index: Int32Array;
  /** [N] int32: 0 for an inner node, else the leaf's triangle count. */
  leafCount: Int32Array;
  /** [T * 12] float32 per triangle: vertex a, edge b - a, edge c - a, unit normal. */
  tris: Float32Array;
  /** [T] uint8 material id (leaf order). */
  materials: Uint8Array;
  /** [T] int32 the triangle's index in the input mesh. */
  primitive: Int32Array;
  /** Node count N. */
  nodeCount: number;
}

/** Result of a ray cast (reused between calls to avoid allocation). */
export interface RayHit {
  /** Hit distance along the (unit) ray, metres; Infinity when nothing was hit. */
  t: number;
  /** Triangle index in the input mesh, -1 for the ground plane or a miss. */
  primitive: number;
  /** Material id (0 = sky / miss). */
  material: number;
  /** Unit surface normal, facing the ray origin. */
  nx: number; ny: number; nz: number;
}

/** A fresh miss. */
export function emptyHit(): RayHit {
  return { t: Infinity, primitive: -1, material: 0, nx: 0, ny: 0, nz: 1 };
}

const LEAF = 4;

/**
 * Builds the BVH.
 * @param mesh - triangles with materials.
 */
export function buildBvh(mesh: TriangleMesh): Bvh {
  const T = mesh.count, V = mesh.vertices;
  const cen = new Float32Array(T * 3);
  for (let i = 0; i < T; i++) for (let k = 0; k < 3; k++) cen[i * 3 + k] = (V[i * 9 + k] + V[i * 9 + 3 + k] + V[i * 9 + 6 + k]) / 3;
  const order = new Int32Array(T).map((_, i) => i);
  const maxNodes = Math.max(1, 2 * Math.ceil(T / LEAF) * 2);
  const bounds = new Float32Array(maxNodes * 6), index = new Int32Array(maxNodes), leafCount = new Int32Array(maxNodes);
  let n = 0;
  const build = (lo: number, hi: number): number => {
    const node = n++;
    let a0 = Infinity, a1 = Infinity, a2 = Infinity, b0 = -Infinity, b1 = -Infinity, b2 = -Infinity;
    let c0 = Infinity, c1 = Infinity, c2 = Infinity, d0 = -Infinity, d1 = -Infinity, d2 = -Infinity;
    for (let i = lo; i < hi; i++) {
      const t = order[i];
      for (let v = 0; v < 3; v++) {
        const x = V[t * 9 + v * 3], y = V[t * 9 + v * 3 + 1], z = V[t * 9 + v * 3 + 2];
        if (x < a0) a0 = x; if (y < a1) a1 = y; if (z < a2) a2 = z;
        if (x > b0) b0 = x; if (y > b1) b1 = y; if (z > b2) b2 = z;
      }
      const x = cen[t * 3], y = cen[t * 3 + 1], z = cen[t * 3 + 2];
      if (x < c0) c0 = x; if (y < c1) c1 = y; if (z < c2) c2 = z;
      if (x > d0) d0 = x; if (y > d1) d1 = y; if (z > d2) d2 = z;
    }
    bounds.set([a0, a1, a2, b0, b1, b2], node * 6);
    if (hi - lo <= LEAF) { index[node] = lo; leafCount[node] = hi - lo; return node; }
    const ex = [d0 - c0, d1 - c1, d2 - c2];
    const axis = ex[0] >= ex[1] && ex[0] >= ex[2] ? 0 : ex[1] >= ex[2] ? 1 : 2;
    const sub = Array.from(order.subarray(lo, hi)).sort((p, q) => cen[p * 3 + axis] - cen[q * 3 + axis] || p - q);
    order.set(sub, lo);
    const mid = (lo + hi) >> 1;
    build(lo, mid);
    index[node] = build(mid, hi);
    leafCount[node] = 0;
    return node;
  };
  if (T > 0) build(0, T);
  const tris = new Float32Array(T * 12), materials = new Uint8Array(T);
  for (let i = 0; i < T; i++) {
    const t = order[i], o = t * 9;
    const ax = V[o], ay = V[o + 1], az = V[o + 2];
    const e1x = V[o + 3] - ax, e1y = V[o + 4] - ay, e1z = V[o + 5] - az;
    const e2x = V[o + 6] - ax, e2y = V[o + 7] - ay, e2z = V[o + 8] - az;
    let nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
    const len = Math.hypot(nx, ny, nz) || 1; nx /= len; ny /= len; nz /= len;
    tris.set([ax, ay, az, e1x, e1y, e1z, e2x, e2y, e2z, nx, ny, nz], i * 12);
    materials[i] = mesh.materials[t];
  }
  return { bounds, index, leafCount, tris, materials, primitive: order, nodeCount: n };
}

const stack = new Int32Array(128);

/**
 * Nearest hit of a ray with the BVH's triangles (both faces count).
 * @param o* - ray origin, metres. @param d* - unit direction. @param tMax - farthest distance, metres.
 * @param hit - overwritten when a nearer hit than `hit.t` (and tMax) is found.
 * @returns true when `hit` was updated.
 */
export function intersectBvh(bvh: Bvh, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMax: number, hit: RayHit): boolean {
  if (bvh.nodeCount === 0) return false;
  const B = bvh.bounds, TR = bvh.tris, IDX = bvh.index, LC = bvh.leafCount;
  const ix = 1 / dx, iy = 1 / dy, iz = 1 / dz;
  let best = Math.min(tMax, hit.t), bestTri = -1;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const node = stack[--sp];
    const b = node * 6;
    let t0 = (B[b] - ox) * ix, t1 = (B[b + 3] - ox) * ix;
    let tmin = t0 < t1 ? t0 : t1, tmax = t0 < t1 ? t1 : t0;
    t0 = (B[b + 1] - oy) * iy; t1 = (B[b + 4] - oy) * iy;
    tmin = Math.max(tmin, t0 < t1 ? t0 : t1); tmax = Math.min(tmax, t0 < t1 ? t1 : t0);
    t0 = (B[b + 2] - oz) * iz; t1 = (B[b + 5] - oz) * iz;
    tmin = Math.max(tmin, t0 < t1 ? t0 : t1); tmax = Math.min(tmax, t0 < t1 ? t1 : t0);
    if (!(tmax >= tmin) || tmax < 0 || tmin > best) continue; // NaN-safe: parallel rays give NaN only at slab edges
    const cnt = LC[node];
    if (cnt === 0) {
      const right = IDX[node], left = node + 1;
      // Visit the child nearer along the split direction first: push it last.
      const lc = (B[left * 6] + B[left * 6 + 3]) * dx + (B[left * 6 + 1] + B[left * 6 + 4]) * dy + (B[left * 6 + 2] + B[left * 6 + 5]) * dz;
      const rc = (B[right * 6] + B[right * 6 + 3]) * dx + (B[right * 6 + 1] + B[right * 6 + 4]) * dy + (B[right * 6 + 2] + B[right * 6 + 5]) * dz;
      if (lc <= rc) { stack[sp++] = right; stack[sp++] = left; } else { stack[sp++] = left; stack[sp++] = right; }
      continue;
    }
    for (let i = IDX[node], end = i + cnt; i < end; i++) {
      const o = i * 12;
      const e1x = TR[o + 3], e1y = TR[o + 4], e1z = TR[o + 5], e2x = TR[o + 6], e2y = TR[o + 7], e2z = TR[o + 8];
      const px = dy * e2z - dz * e2y, py = dz * e2x - dx * e2z, pz = dx * e2y - dy * e2x;
      const det = e1x * px + e1y * py + e1z * pz;
      if (det > -1e-9 && det < 1e-9) continue;
      const inv = 1 / det;
      const sx = ox - TR[o], sy = oy - TR[o + 1], sz = oz - TR[o + 2];
      const u = (sx * px + sy * py + sz * pz) * inv;
      if (u < 0 || u > 1) continue;
      const qx = sy * e1z - sz * e1y, qy = sz * e1x - sx * e1z, qz = sx * e1y - sy * e1x;
      const v = (dx * qx + dy * qy + dz * qz) * inv;
      if (v < 0 || u + v > 1) continue;
      const t = (e2x * qx + e2y * qy + e2z * qz) * inv;
      if (t > 1e-4 && t < best) { best = t; bestTri = i; }
    }
  }
  if (bestTri < 0) return false;
  const o = bestTri * 12;
  let nx = TR[o + 9], ny = TR[o + 10], nz = TR[o + 11];
  if (nx * dx + ny * dy + nz * dz > 0) { nx = -nx; ny = -ny; nz = -nz; }
  hit.t = best; hit.primitive = bvh.primitive[bestTri]; hit.material = bvh.materials[bestTri];
  hit.nx = nx; hit.ny = ny; hit.nz = nz;
  return true;
}
