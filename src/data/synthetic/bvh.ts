/**
 * A bounding volume hierarchy over triangles, in flat typed arrays, and ray casting against it.
 * Build: binned surface-area heuristic (SAH, 16 bins per axis), nodes in depth-first order
 * (left child = node + 1). Traversal: both children's slab tests at the parent, nearer child
 * first, the farther one on a fixed stack with its entry distance (skipped once a nearer hit is
 * found); Moeller-Trumbore per triangle; no allocation per ray.
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

/** Largest leaf; SAH may stop splitting earlier. */
const MAX_LEAF = 4;
const BINS = 16;
/** Cost of one node visit relative to one triangle test (SAH). */
const TRAVERSAL_COST = 1.2;

const area = (x: number, y: number, z: number): number => (x < 0 ? 0 : x * y + y * z + z * x);

// #region build
/**
 * Builds the BVH (binned SAH).
 * @param mesh - triangles with materials.
 */
export function buildBvh(mesh: TriangleMesh): Bvh {
  const T = mesh.count, V = mesh.vertices;
  const cen = new Float32Array(T * 3), tb = new Float32Array(T * 6); // centroids; triangle bounds
  for (let i = 0; i < T; i++) {
    for (let k = 0; k < 3; k++) {
      const a = V[i * 9 + k], b = V[i * 9 + 3 + k], c = V[i * 9 + 6 + k];
      cen[i * 3 + k] = (a + b + c) / 3;
      tb[i * 6 + k] = Math.min(a, b, c); tb[i * 6 + 3 + k] = Math.max(a, b, c);
    }
  }
  const order = new Int32Array(T).map((_, i) => i);
  const maxNodes = Math.max(1, 2 * T);
  const bounds = new Float32Array(maxNodes * 6), index = new Int32Array(maxNodes), leafCount = new Int32Array(maxNodes);
  const binCount = new Int32Array(BINS), binBox = new Float64Array(BINS * 6), rightArea = new Float64Array(BINS);
  let n = 0;
  const build = (lo: number, hi: number): void => {
    const node = n++;
    let a0 = Infinity, a1 = Infinity, a2 = Infinity, b0 = -Infinity, b1 = -Infinity, b2 = -Infinity;
    let c0 = Infinity, c1 = Infinity, c2 = Infinity, d0 = -Infinity, d1 = -Infinity, d2 = -Infinity;
    for (let i = lo; i < hi; i++) {
      const t = order[i], q = t * 6;
      if (tb[q] < a0) a0 = tb[q]; if (tb[q + 1] < a1) a1 = tb[q + 1]; if (tb[q + 2] < a2) a2 = tb[q + 2];
      if (tb[q + 3] > b0) b0 = tb[q + 3]; if (tb[q + 4] > b1) b1 = tb[q + 4]; if (tb[q + 5] > b2) b2 = tb[q + 5];
      const x = cen[t * 3], y = cen[t * 3 + 1], z = cen[t * 3 + 2];
      if (x < c0) c0 = x; if (y < c1) c1 = y; if (z < c2) c2 = z;
      if (x > d0) d0 = x; if (y > d1) d1 = y; if (z > d2) d2 = z;
    }
    const o6 = node * 6;
    bounds[o6] = a0; bounds[o6 + 1] = a1; bounds[o6 + 2] = a2; bounds[o6 + 3] = b0; bounds[o6 + 4] = b1; bounds[o6 + 5] = b2;
    const count = hi - lo;
    const leaf = (): void => { index[node] = lo; leafCount[node] = count; };
    if (count <= 1) { leaf(); return; }
    // Binned SAH over the three axes.
    const cmin = [c0, c1, c2], cext = [d0 - c0, d1 - c1, d2 - c2];
    let bestCost = Infinity, bestAxis = -1, bestSplit = 0;
    for (let axis = 0; axis < 3; axis++) {
      if (!(cext[axis] > 1e-9)) continue;
      const scale = BINS / cext[axis], base = cmin[axis];
      binCount.fill(0);
      for (let k = 0; k < BINS; k++) { binBox.fill(Infinity, k * 6, k * 6 + 3); binBox.fill(-Infinity, k * 6 + 3, k * 6 + 6); }
      for (let i = lo; i < hi; i++) {
        const t = order[i];
        const k = Math.min(BINS - 1, ((cen[t * 3 + axis] - base) * scale) | 0), q = t * 6, w = k * 6;
        binCount[k]++;
        for (let e = 0; e < 3; e++) {
          if (tb[q + e] < binBox[w + e]) binBox[w + e] = tb[q + e];
          if (tb[q + 3 + e] > binBox[w + 3 + e]) binBox[w + 3 + e] = tb[q + 3 + e];
        }
      }
      // Sweep from the right: area and count of bins k..BINS-1.
      let r0 = Infinity, r1 = Infinity, r2 = Infinity, s0 = -Infinity, s1 = -Infinity, s2 = -Infinity;
      for (let k = BINS - 1; k > 0; k--) {
        const w = k * 6;
        r0 = Math.min(r0, binBox[w]); r1 = Math.min(r1, binBox[w + 1]); r2 = Math.min(r2, binBox[w + 2]);
        s0 = Math.max(s0, binBox[w + 3]); s1 = Math.max(s1, binBox[w + 4]); s2 = Math.max(s2, binBox[w + 5]);
        rightArea[k] = area(s0 - r0, s1 - r1, s2 - r2);
      }
      let l0 = Infinity, l1 = Infinity, l2 = Infinity, m0 = -Infinity, m1 = -Infinity, m2 = -Infinity, nl = 0;
      for (let k = 0; k < BINS - 1; k++) { // split between bin k and k + 1
        const w = k * 6;
        l0 = Math.min(l0, binBox[w]); l1 = Math.min(l1, binBox[w + 1]); l2 = Math.min(l2, binBox[w + 2]);
        m0 = Math.max(m0, binBox[w + 3]); m1 = Math.max(m1, binBox[w + 4]); m2 = Math.max(m2, binBox[w + 5]);
        nl += binCount[k];
        const nr = count - nl;
        if (nl === 0 || nr === 0) continue;
        const cost = area(m0 - l0, m1 - l1, m2 - l2) * nl + rightArea[k + 1] * nr;
        if (cost < bestCost) { bestCost = cost; bestAxis = axis; bestSplit = k; }
      }
    }
    const parentArea = area(b0 - a0, b1 - a1, b2 - a2);
    const splitCost = TRAVERSAL_COST + bestCost / Math.max(parentArea, 1e-12);
    if (count <= MAX_LEAF && (bestAxis < 0 || splitCost >= count)) { leaf(); return; }
    let mid: number;
    if (bestAxis >= 0) { // partition by bin
      const scale = BINS / cext[bestAxis], base = cmin[bestAxis];
      let i = lo, j = hi - 1;
      while (i <= j) {
        const k = Math.min(BINS - 1, ((cen[order[i] * 3 + bestAxis] - base) * scale) | 0);
        if (k <= bestSplit) i++;
        else { const t = order[i]; order[i] = order[j]; order[j] = t; j--; }
      }
      mid = i;
    } else mid = (lo + hi) >> 1; // all centroids coincide: split by position in the list
    if (mid <= lo || mid >= hi) mid = (lo + hi) >> 1;
    build(lo, mid);
    index[node] = n;
    build(mid, hi);
    leafCount[node] = 0;
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
  return { bounds: bounds.slice(0, n * 6), index: index.slice(0, n), leafCount: leafCount.slice(0, n), tris, materials, primitive: order, nodeCount: n };
}
// #endregion build

const STACK = 256;
const stackNode = new Int32Array(STACK), stackT = new Float64Array(STACK);

// #region traverse
/**
 * Nearest hit of a ray with the BVH's triangles (both faces count).
 * @param o* - ray origin, metres. @param d* - unit direction. @param tMax - farthest distance, metres.
 * @param hit - overwritten when a nearer hit than `hit.t` (and tMax) is found.
 * @returns true when `hit` was updated.
 */
export function intersectBvh(bvh: Bvh, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMax: number, hit: RayHit): boolean {
  if (bvh.nodeCount === 0) return false;
  const B = bvh.bounds, TR = bvh.tris, IDX = bvh.index, LC = bvh.leafCount;
  // Inverse direction; an exactly axis-parallel component becomes a tiny one (no 0 * Infinity = NaN).
  const ix = 1 / (dx > -1e-12 && dx < 1e-12 ? 1e-12 : dx), iy = 1 / (dy > -1e-12 && dy < 1e-12 ? 1e-12 : dy), iz = 1 / (dz > -1e-12 && dz < 1e-12 ? 1e-12 : dz);
  // Slab test with the near plane chosen by the direction's sign: t = bound * inv - origin * inv.
  const qx = ox * ix, qy = oy * iy, qz = oz * iz;
  const nx0 = ix < 0 ? 3 : 0, ny0 = iy < 0 ? 4 : 1, nz0 = iz < 0 ? 5 : 2;
  const fx0 = 3 - nx0, fy0 = 5 - ny0, fz0 = 7 - nz0;
  let best = tMax < hit.t ? tMax : hit.t, bestTri = -1;
  let t0 = Infinity;
  {
    let tn = B[nx0] * ix - qx, tf = B[fx0] * ix - qx;
    const tyn = B[ny0] * iy - qy, tyf = B[fy0] * iy - qy, tzn = B[nz0] * iz - qz, tzf = B[fz0] * iz - qz;
    if (tyn > tn) tn = tyn; if (tzn > tn) tn = tzn; if (tn < 0) tn = 0;
    if (tyf < tf) tf = tyf; if (tzf < tf) tf = tzf; if (tf > best) tf = best;
    t0 = tn <= tf ? tn : Infinity;
  }
  if (t0 === Infinity) return false;
  let node = 0, sp = 0;
  for (;;) {
    const cnt = LC[node];
    if (cnt === 0) {
      const left = node + 1, right = IDX[node];
      const bl = left * 6, br = right * 6;
      let tl = Infinity, tr = Infinity;
      {
        let tn = B[bl + nx0] * ix - qx, tf = B[bl + fx0] * ix - qx;
        const tyn = B[bl + ny0] * iy - qy, tyf = B[bl + fy0] * iy - qy, tzn = B[bl + nz0] * iz - qz, tzf = B[bl + fz0] * iz - qz;
        if (tyn > tn) tn = tyn; if (tzn > tn) tn = tzn; if (tn < 0) tn = 0;
        if (tyf < tf) tf = tyf; if (tzf < tf) tf = tzf; if (tf > best) tf = best;
        tl = tn <= tf ? tn : Infinity;
      }
      {
        let tn = B[br + nx0] * ix - qx, tf = B[br + fx0] * ix - qx;
        const tyn = B[br + ny0] * iy - qy, tyf = B[br + fy0] * iy - qy, tzn = B[br + nz0] * iz - qz, tzf = B[br + fz0] * iz - qz;
        if (tyn > tn) tn = tyn; if (tzn > tn) tn = tzn; if (tn < 0) tn = 0;
        if (tyf < tf) tf = tyf; if (tzf < tf) tf = tzf; if (tf > best) tf = best;
        tr = tn <= tf ? tn : Infinity;
      }
      if (tl !== Infinity) {
        if (tr !== Infinity) {
          if (tl <= tr) { stackNode[sp] = right; stackT[sp++] = tr; node = left; } else { stackNode[sp] = left; stackT[sp++] = tl; node = right; }
        } else node = left;
        continue;
      }
      if (tr !== Infinity) { node = right; continue; }
    } else {
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
        const rx = sy * e1z - sz * e1y, ry = sz * e1x - sx * e1z, rz = sx * e1y - sy * e1x;
        const v = (dx * rx + dy * ry + dz * rz) * inv;
        if (v < 0 || u + v > 1) continue;
        const t = (e2x * rx + e2y * ry + e2z * rz) * inv;
        if (t > 1e-4 && t < best) { best = t; bestTri = i; }
      }
    }
    // Pop the next node that can still hold a nearer hit.
    do { if (sp === 0) { node = -1; break; } node = stackNode[--sp]; } while (stackT[sp] > best);
    if (node < 0) break;
  }
  if (bestTri < 0) return false;
  const o = bestTri * 12;
  let nx = TR[o + 9], ny = TR[o + 10], nz = TR[o + 11];
  if (nx * dx + ny * dy + nz * dz > 0) { nx = -nx; ny = -ny; nz = -nz; }
  hit.t = best; hit.primitive = bvh.primitive[bestTri]; hit.material = bvh.materials[bestTri];
  hit.nx = nx; hit.ny = ny; hit.nz = nz;
  return true;
}
// #endregion traverse
