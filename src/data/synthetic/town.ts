/**
 * The seeded procedural town: a street grid of varied block sizes with some street
 * segments removed (loops, T-junctions, irregular blocks), a ground raster (road, lane
 * markings, sidewalk, grass), kerbs, buildings of varied footprints, heights, roofs and
 * shared facade styles, trees, poles with signs, parked cars, and fenced parks.
 * Town frame: x east, y north, z up, metres, ground at z = 0.
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { TownConfig } from './config.js';
import { buildMaterials, FACADE_BASE, MAT, type MaterialTable } from './materials.js';
import { MeshBuilder, type TriangleMesh } from './mesh.js';

/** The ground material raster. */
export interface GroundMap {
  /** Town x of the raster's left edge, metres. */ x0: number;
  /** Town y of the raster's bottom edge, metres. */ y0: number;
  /** Cell size, metres. */ cellM: number;
  /** Columns (x). */ nx: number;
  /** Rows (y). */ ny: number;
  /** [ny * nx] uint8 material id; outside the raster: grass. */ data: Uint8Array;
}

/** A generated town. */
export interface Town {
  /** [blocksX + 1] x of the north-south streets, metres. */ xs: number[];
  /** [blocksY + 1] y of the east-west streets, metres. */ ys: number[];
  /** [blocksX * (blocksY + 1)] 1 where the street (i, j)-(i + 1, j) exists; index j * blocksX + i. */ hStreet: Uint8Array;
  /** [(blocksX + 1) * blocksY] 1 where the street (i, j)-(i, j + 1) exists; index j * (blocksX + 1) + i. */ vStreet: Uint8Array;
  mesh: TriangleMesh;
  ground: GroundMap;
  materials: MaterialTable;
  config: TownConfig;
}

/** True when every node reachable from node 0 (over existing streets) and every node has >= 2 streets. */
function wellConnected(nx: number, ny: number, h: Uint8Array, v: Uint8Array): boolean {
  const nbrs = (i: number, j: number): [number, number][] => {
    const out: [number, number][] = [];
    if (i > 0 && h[j * (nx - 1) + i - 1]) out.push([i - 1, j]);
    if (i < nx - 1 && h[j * (nx - 1) + i]) out.push([i + 1, j]);
    if (j > 0 && v[(j - 1) * nx + i]) out.push([i, j - 1]);
    if (j < ny - 1 && v[j * nx + i]) out.push([i, j + 1]);
    return out;
  };
  const seen = new Uint8Array(nx * ny);
  const queue: [number, number][] = [[0, 0]];
  seen[0] = 1;
  let count = 1;
  while (queue.length) {
    const [i, j] = queue.pop()!;
    for (const [a, b] of nbrs(i, j)) if (!seen[b * nx + a]) { seen[b * nx + a] = 1; count++; queue.push([a, b]); }
  }
  if (count !== nx * ny) return false;
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) if (nbrs(i, j).length < 2) return false;
  return true;
}

/**
 * Generates the town.
 * @param seed - town seed.
 * @param cfg - town settings.
 */
export function generateTown(seed: number, cfg: TownConfig): Town {
  const rng = createRng(seed);
  const xs = [0], ys = [0];
  for (let i = 0; i < cfg.blocksX; i++) xs.push(xs[i] + rng.uniform(cfg.blockMinM, cfg.blockMaxM));
  for (let j = 0; j < cfg.blocksY; j++) ys.push(ys[j] + rng.uniform(cfg.blockMinM, cfg.blockMaxM));
  const nx = xs.length, ny = ys.length;
  const hStreet = new Uint8Array((nx - 1) * ny).fill(1), vStreet = new Uint8Array(nx * (ny - 1)).fill(1);
  const total = hStreet.length + vStreet.length;
  const target = Math.round(cfg.removedStreetShare * total);
  for (let tries = 0, removed = 0; removed < target && tries < total * 4; tries++) {
    const k = rng.int(total);
    const arr = k < hStreet.length ? hStreet : vStreet, idx = k < hStreet.length ? k : k - hStreet.length;
    if (!arr[idx]) continue;
    arr[idx] = 0;
    if (wellConnected(nx, ny, hStreet, vStreet)) removed++; else arr[idx] = 1;
  }
  const materials = buildMaterials(seed, cfg.facadeStyles);
  const mb = new MeshBuilder();
  const ground = paintGround(xs, ys, hStreet, vStreet, cfg);
  const halfRoad = cfg.roadWidthM / 2, inset = halfRoad + cfg.sidewalkWidthM;
  const objRng = rng.fork();
  // Street furniture along each existing street segment, both sides.
  const segment = (ax: number, ay: number, bx: number, by: number): void => {
    const len = Math.hypot(bx - ax, by - ay), ux = (bx - ax) / len, uy = (by - ay) / len;
    const s0 = inset + 0.5, s1 = len - inset - 0.5;
    if (s1 <= s0) return;
    for (const side of [-1, 1]) {
      const px = -uy * side, py = ux * side; // unit normal pointing to this side
      const at = (s: number, off: number): [number, number] => [ax + ux * s + px * off, ay + uy * s + py * off];
      const yaw = Math.atan2(uy, ux);
      const [kx, ky] = at((s0 + s1) / 2, halfRoad + 0.1);
      mb.box(kx, ky, 0, s1 - s0, 0.2, 0.15, yaw, MAT.kerb);
      for (let s = s0 + objRng.uniform(2, 8); s < s1 - 6; s += objRng.uniform(5.5, 8)) {
        if (objRng.next() >= cfg.parkedCarShare) continue;
        const [cx, cy] = at(s + 2.2, halfRoad - cfg.parkingLaneM / 2);
        const mat = MAT.carRed + objRng.int(5), l = objRng.uniform(3.8, 4.8), w = objRng.uniform(1.7, 1.9);
        mb.box(cx, cy, 0.25, l, w, objRng.uniform(0.65, 0.8), yaw + objRng.uniform(-0.03, 0.03), mat);
        mb.box(cx + ux * objRng.uniform(-0.4, 0.1), cy + uy * objRng.uniform(-0.4, 0.1), 0.95, l * 0.55, w * 0.9, objRng.uniform(0.45, 0.6), yaw, mat);
      }
      for (let s = s0 + objRng.uniform(3, 12); s < s1; s += objRng.uniform(10, 18)) {
        if (objRng.next() < cfg.streetTreeShare) tree(mb, objRng, ...at(s, halfRoad + 1.2));
      }
      for (let s = s0 + objRng.uniform(0, 15); s < s1; s += objRng.uniform(22, 38)) {
        const [qx, qy] = at(s, halfRoad + 0.5);
        const h = objRng.uniform(4, 8);
        mb.box(qx, qy, 0, 0.16, 0.16, h, yaw, MAT.pole);
        if (objRng.next() < 0.4) mb.box(qx, qy, h - 0.6, 0.05, 0.7, 0.7, yaw, MAT.marking);
        else if (objRng.next() < 0.5) mb.box(qx - px * 0.8, qy - py * 0.8, h, 1.8, 0.3, 0.15, yaw + Math.PI / 2, MAT.pole);
      }
    }
  };
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx - 1; i++) if (hStreet[j * (nx - 1) + i]) segment(xs[i], ys[j], xs[i + 1], ys[j]);
  for (let j = 0; j < ny - 1; j++) for (let i = 0; i < nx; i++) if (vStreet[j * nx + i]) segment(xs[i], ys[j], xs[i], ys[j + 1]);
  // Blocks: buildings or parks.
  for (let j = 0; j < ny - 1; j++) for (let i = 0; i < nx - 1; i++) {
    const x0 = xs[i] + inset, x1 = xs[i + 1] - inset, y0 = ys[j] + inset, y1 = ys[j + 1] - inset;
    if (objRng.next() < cfg.parkShare) park(mb, objRng, x0, y0, x1, y1);
    else buildingsInBlock(mb, objRng, x0, y0, x1, y1, cfg);
  }
  // Distant structure: a ring of blocks outside the perimeter streets, so no street faces empty land.
  if (cfg.backdropRows > 0) {
    const X0 = xs[0], X1 = xs[nx - 1], Y0 = ys[0], Y1 = ys[ny - 1], o = 45 * cfg.backdropRows;
    buildingsInBlock(mb, objRng, X0 - o, Y0 - o, X1 + o, Y0 - inset, cfg);
    buildingsInBlock(mb, objRng, X0 - o, Y1 + inset, X1 + o, Y1 + o, cfg);
    buildingsInBlock(mb, objRng, X0 - o, Y0 + inset, X0 - inset, Y1 - inset, cfg);
    buildingsInBlock(mb, objRng, X1 + inset, Y0 + inset, X1 + o, Y1 - inset, cfg);
  }
  return { xs, ys, hStreet, vStreet, mesh: mb.build(), ground, materials, config: cfg };
}

function tree(mb: MeshBuilder, rng: Rng, x: number, y: number): void {
  const h = rng.uniform(2.2, 3.5), r = rng.uniform(1.5, 3), hz = rng.uniform(1.5, 2.8);
  mb.box(x, y, 0, 0.35, 0.35, h + hz, rng.uniform(0, 1.5), MAT.trunk);
  mb.crown(x, y, h + hz, r, hz, rng.uniform(0, 1), MAT.crown);
}

function park(mb: MeshBuilder, rng: Rng, x0: number, y0: number, x1: number, y1: number): void {
  const n = Math.round(((x1 - x0) * (y1 - y0)) / 120);
  for (let k = 0; k < n; k++) tree(mb, rng, rng.uniform(x0 + 3, x1 - 3), rng.uniform(y0 + 3, y1 - 3));
  const h = rng.uniform(0.9, 1.6);
  const fence = (ax: number, ay: number, bx: number, by: number): void => { // with a gate gap in the middle
    const mx = (ax + bx) / 2, my = (ay + by) / 2, len = Math.hypot(bx - ax, by - ay), yaw = Math.atan2(by - ay, bx - ax);
    const seg = len / 2 - 1.5;
    mb.box((ax + mx) / 2 - Math.cos(yaw) * 0.75, (ay + my) / 2 - Math.sin(yaw) * 0.75, 0, seg, 0.06, h, yaw, MAT.fence);
    mb.box((mx + bx) / 2 + Math.cos(yaw) * 0.75, (my + by) / 2 + Math.sin(yaw) * 0.75, 0, seg, 0.06, h, yaw, MAT.fence);
  };
  if (rng.next() < 0.7) { fence(x0, y0, x1, y0); fence(x1, y0, x1, y1); fence(x1, y1, x0, y1); fence(x0, y1, x0, y0); }
}

/** Rows of buildings along the four sides of a block's inner rectangle, each side behind its own front yard. */
function buildingsInBlock(mb: MeshBuilder, rng: Rng, x0: number, y0: number, x1: number, y1: number, cfg: TownConfig): void {
  const W = x1 - x0, H = y1 - y0;
  const dMaxNS = Math.min(18 + cfg.setbackMaxM, H / 2 - 1), dMaxEW = Math.min(18 + cfg.setbackMaxM, W / 2 - 1);
  // Each side: origin, direction along the side, inward normal, usable length, max depth (yard + building).
  const sides: [number, number, number, number, number, number, number, number][] = [
    [x0, y0, 1, 0, 0, 1, W, dMaxNS], [x1, y1, -1, 0, 0, -1, W, dMaxNS],
    [x1, y0 + dMaxNS, 0, 1, -1, 0, H - 2 * dMaxNS, dMaxEW], [x0, y1 - dMaxNS, 0, -1, 1, 0, H - 2 * dMaxNS, dMaxEW],
  ];
  for (const [ox, oy, ux, uy, nx, ny, len, dMax] of sides) {
    const yard = Math.min(rng.uniform(cfg.setbackMinM, cfg.setbackMaxM), Math.max(0, dMax - 6));
    let s = rng.next() < 0.5 ? 0 : rng.uniform(0, 4);
    while (s < len - 6) {
      const f = Math.min(rng.uniform(8, 24), len - s);
      const room = dMax - yard;
      if (room < 5) break;
      const back = yard + (rng.next() < 0.6 ? 0 : rng.uniform(0.5, 2.5)), d = rng.uniform(Math.min(8, room), room) - (back - yard);
      const cx = ox + ux * (s + f / 2) + nx * (back + d / 2), cy = oy + uy * (s + f / 2) + ny * (back + d / 2);
      const yaw = Math.atan2(uy, ux) + (rng.next() < 0.25 ? rng.uniform(-0.08, 0.08) : 0);
      building(mb, rng, cx, cy, f - 0.2, d, yaw, FACADE_BASE + rng.int(cfg.facadeStyles));
      if (yard > 3.5 && rng.next() < 0.35) tree(mb, rng, ox + ux * (s + f * rng.uniform(0.2, 0.8)) + nx * yard / 2, oy + uy * (s + f * rng.uniform(0.2, 0.8)) + ny * yard / 2);
      s += f + (rng.next() < 0.5 ? 0 : rng.uniform(1, 5));
    }
  }
}

function building(mb: MeshBuilder, rng: Rng, cx: number, cy: number, lx: number, ly: number, yaw: number, facade: number): void {
  const floors = 1 + rng.int(rng.next() < 0.3 ? 8 : 4);
  const h = floors * rng.uniform(2.9, 3.4) + rng.uniform(0.3, 1.2);
  const roofKind = rng.next(), roofMat = MAT.roofDark + rng.int(3);
  mb.box(cx, cy, 0, lx, ly, h, yaw, facade, roofKind < 0.5 ? MAT.roofGrey : roofMat);
  if (roofKind < 0.5) {
    if (rng.next() < 0.5) mb.box(cx, cy, h, lx * 0.3, ly * 0.3, rng.uniform(1.5, 3), yaw, MAT.roofGrey); // stair/lift housing
  } else if (roofKind < 0.8) mb.gable(cx, cy, h, lx, ly, rng.uniform(1.8, 4.5), yaw, roofMat, facade);
  else mb.pyramid(cx, cy, h, lx, ly, rng.uniform(1.5, 4), yaw, roofMat);
  if (rng.next() < 0.25) { // an annex behind: L-shaped footprint
    const ca = Math.cos(yaw), sa = Math.sin(yaw), ax = lx * 0.4, ay = ly * 0.5;
    mb.box(cx + ca * (lx / 2 - ax / 2) - sa * (ly / 4), cy + sa * (lx / 2 - ax / 2) + ca * (ly / 4), 0, ax, ay + ly / 2, Math.max(3, h * rng.uniform(0.4, 0.9)), yaw, facade, MAT.roofGrey);
  }
}

/** Paints road, lane markings and sidewalks into a ground raster (0.25 m cells, 40 m margin). */
function paintGround(xs: number[], ys: number[], h: Uint8Array, v: Uint8Array, cfg: TownConfig): GroundMap {
  const cellM = 0.25, margin = 40;
  const x0 = xs[0] - margin, y0 = ys[0] - margin;
  const gnx = Math.ceil((xs[xs.length - 1] + margin - x0) / cellM), gny = Math.ceil((ys[ys.length - 1] + margin - y0) / cellM);
  const data = new Uint8Array(gnx * gny).fill(MAT.grass);
  const fill = (ax: number, ay: number, bx: number, by: number, mat: number, dash = 0): void => {
    const c0 = Math.max(0, Math.floor((ax - x0) / cellM)), c1 = Math.min(gnx - 1, Math.floor((bx - x0) / cellM));
    const r0 = Math.max(0, Math.floor((ay - y0) / cellM)), r1 = Math.min(gny - 1, Math.floor((by - y0) / cellM));
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) {
      if (dash > 0 && ((c + r) * cellM) % 9 > 3) continue; // 3 m dashes every 9 m
      data[r * gnx + c] = mat;
    }
  };
  const nx = xs.length, ny = ys.length, hr = cfg.roadWidthM / 2, sw = hr + cfg.sidewalkWidthM;
  const streets: [number, number, number, number][] = [];
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx - 1; i++) if (h[j * (nx - 1) + i]) streets.push([xs[i], ys[j], xs[i + 1], ys[j]]);
  for (let j = 0; j < ny - 1; j++) for (let i = 0; i < nx; i++) if (v[j * nx + i]) streets.push([xs[i], ys[j], xs[i], ys[j + 1]]);
  const rect = (s: [number, number, number, number], w: number, mat: number, shrink = -w, dash = 0): void => {
    const [ax, ay, bx, by] = s;
    if (ay === by) fill(ax - shrink, ay - w, bx + shrink, ay + w, mat, dash);
    else fill(ax - w, ay - shrink, ax + w, by + shrink, mat, dash);
  };
  for (const s of streets) rect(s, sw, MAT.sidewalk, sw);
  for (const s of streets) rect(s, hr, MAT.road, hr);
  for (const s of streets) rect(s, 0.07, MAT.marking, -sw - 1, 1);
  return { x0, y0, cellM, nx: gnx, ny: gny, data };
}
