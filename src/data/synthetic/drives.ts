/**
 * Drives through the town: sequence 00 is the database drive (it prefers streets it has
 * not driven yet); every later sequence is a query drive that follows part of the database
 * route (reversed on odd sequences, so it drives the other lane in the other direction),
 * then turns off onto streets the database may not have visited. Each drive has its own
 * speed, lane offset and lighting. Right-hand traffic.
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { SyntheticConfig } from './config.js';
import type { Town } from './town.js';

/** Lighting of one drive. */
export interface Lighting {
  /** Unit vector towards the sun, town frame. */ sun: [number, number, number];
  /** Ambient term 0..1. */ ambient: number;
  /** Exposure multiplier. */ exposure: number;
  /** Sky colour at the horizon and at the zenith, RGB 0..1. */ skyHorizon: [number, number, number]; skyZenith: [number, number, number];
}

/** One planned drive: the vehicle pose at each frame. */
export interface DrivePlan {
  /** Sequence number. */ seq: number;
  /** [F] vehicle x, y in the town frame, metres; heading (yaw about z, radians; 0 = east). */
  x: Float64Array; y: Float64Array; yaw: Float64Array;
  /** Mean speed, m/s. */ speedMps: number;
  /** Lateral offset of the drive from the street centre line, to the right of travel, metres. */ laneOffsetM: number;
  lighting: Lighting;
  /** Street-graph nodes visited, in order. */ nodes: number[];
}

interface Graph { pos: [number, number][]; nbrs: number[][] }

function streetGraph(town: Town): Graph {
  const nx = town.xs.length, ny = town.ys.length;
  const pos: [number, number][] = [], nbrs: number[][] = [];
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) { pos.push([town.xs[i], town.ys[j]]); nbrs.push([]); }
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx - 1; i++) if (town.hStreet[j * (nx - 1) + i]) {
    nbrs[j * nx + i].push(j * nx + i + 1); nbrs[j * nx + i + 1].push(j * nx + i);
  }
  for (let j = 0; j < ny - 1; j++) for (let i = 0; i < nx; i++) if (town.vStreet[j * nx + i]) {
    nbrs[j * nx + i].push((j + 1) * nx + i); nbrs[(j + 1) * nx + i].push(j * nx + i);
  }
  return { pos, nbrs };
}

const edgeKey = (a: number, b: number): string => (a < b ? `${a}-${b}` : `${b}-${a}`);

/** Extends a node walk until its length reaches `lengthM`, preferring edges not in `avoid`, never U-turning unless stuck. */
function walk(g: Graph, rng: Rng, start: number[], lengthM: number, avoid: Set<string>): number[] {
  const route = [...start];
  const seen = new Set<string>(avoid);
  for (let k = 1; k < route.length; k++) seen.add(edgeKey(route[k - 1], route[k]));
  let len = 0;
  for (let k = 1; k < route.length; k++) len += Math.hypot(g.pos[route[k]][0] - g.pos[route[k - 1]][0], g.pos[route[k]][1] - g.pos[route[k - 1]][1]);
  while (len < lengthM) {
    const cur = route[route.length - 1], prev = route.length > 1 ? route[route.length - 2] : -1;
    const opts = g.nbrs[cur].filter((n) => n !== prev);
    const fresh = opts.filter((n) => !seen.has(edgeKey(cur, n)));
    const pool = fresh.length ? fresh : opts.length ? opts : g.nbrs[cur];
    const next = pool[rng.int(pool.length)];
    seen.add(edgeKey(cur, next));
    len += Math.hypot(g.pos[next][0] - g.pos[cur][0], g.pos[next][1] - g.pos[cur][1]);
    route.push(next);
  }
  return route;
}

/** Lane polyline of a node route: offset `laneM` to the right of travel, corners rounded. */
function lanePolyline(g: Graph, route: number[], laneM: number): [number, number][] {
  const pts: [number, number][] = [];
  const dir = (a: number, b: number): [number, number] => {
    const dx = g.pos[b][0] - g.pos[a][0], dy = g.pos[b][1] - g.pos[a][1], l = Math.hypot(dx, dy);
    return [dx / l, dy / l];
  };
  const radius = 7;
  for (let k = 0; k < route.length; k++) {
    const p = g.pos[route[k]];
    const din = k > 0 ? dir(route[k - 1], route[k]) : dir(route[k], route[k + 1]);
    const dout = k < route.length - 1 ? dir(route[k], route[k + 1]) : din;
    const rin: [number, number] = [din[1], -din[0]], rout: [number, number] = [dout[1], -dout[0]];
    const dot = din[0] * dout[0] + din[1] * dout[1];
    if (dot > 0.99) { pts.push([p[0] + rin[0] * laneM, p[1] + rin[1] * laneM]); continue; }
    if (dot < -0.99) { // dead-end U-turn: a half circle around the node
      for (let a = 0; a <= 8; a++) {
        const th = (Math.PI * a) / 8;
        pts.push([p[0] + din[0] * 3 * Math.sin(th) + rin[0] * laneM * Math.cos(th), p[1] + din[1] * 3 * Math.sin(th) + rin[1] * laneM * Math.cos(th)]);
      }
      continue;
    }
    const c: [number, number] = [p[0] + (rin[0] + rout[0]) * laneM, p[1] + (rin[1] + rout[1]) * laneM];
    const a: [number, number] = [c[0] - din[0] * radius, c[1] - din[1] * radius], b: [number, number] = [c[0] + dout[0] * radius, c[1] + dout[1] * radius];
    for (let s = 0; s <= 8; s++) { // quadratic Bezier a -> c -> b
      const t = s / 8, w0 = (1 - t) ** 2, w1 = 2 * t * (1 - t), w2 = t * t;
      pts.push([w0 * a[0] + w1 * c[0] + w2 * b[0], w0 * a[1] + w1 * c[1] + w2 * b[1]]);
    }
  }
  return pts;
}

/** Samples a polyline every `stepM` metres (with a smooth +-8 % speed wobble); returns `count` poses. */
function resample(pts: [number, number][], stepM: number, count: number, rng: Rng): { x: Float64Array; y: Float64Array; yaw: Float64Array } {
  const cum = [0];
  for (let k = 1; k < pts.length; k++) cum.push(cum[k - 1] + Math.hypot(pts[k][0] - pts[k - 1][0], pts[k][1] - pts[k - 1][1]));
  const at = (s: number): [number, number] => {
    let k = 1;
    while (k < cum.length - 1 && cum[k] < s) k++;
    const f = (s - cum[k - 1]) / Math.max(1e-9, cum[k] - cum[k - 1]);
    return [pts[k - 1][0] + f * (pts[k][0] - pts[k - 1][0]), pts[k - 1][1] + f * (pts[k][1] - pts[k - 1][1])];
  };
  const x = new Float64Array(count), y = new Float64Array(count), yaw = new Float64Array(count);
  const phase = rng.uniform(0, 2 * Math.PI);
  let s = 2;
  for (let i = 0; i < count; i++) {
    const p = at(s), q = at(s + 1.5), b = at(Math.max(0, s - 1.5));
    x[i] = p[0]; y[i] = p[1]; yaw[i] = Math.atan2(q[1] - b[1], q[0] - b[0]);
    s += stepM * (1 + 0.08 * Math.sin(phase + i / 40));
  }
  return { x, y, yaw };
}

function lighting(rng: Rng): Lighting {
  const az = rng.uniform(0, 2 * Math.PI), el = rng.uniform(0.25, 1.05);
  const warm = rng.uniform(0, 0.12);
  return {
    sun: [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)],
    ambient: rng.uniform(0.3, 0.45), exposure: rng.uniform(0.8, 1.2),
    skyHorizon: [0.78 + warm, 0.8, 0.82 - warm], skyZenith: [0.35 + rng.uniform(-0.05, 0.05), 0.5, 0.78],
  };
}

/**
 * Plans every sequence of a config.
 * @returns one plan per entry of `config.drives.frames`.
 */
export function planDrives(town: Town, config: SyntheticConfig): DrivePlan[] {
  const g = streetGraph(town), d = config.drives;
  const rng = createRng(config.seed ^ 0xd21e5);
  const plans: DrivePlan[] = [];
  let database: number[] = [];
  const laneBase = (config.town.roadWidthM / 2 - config.town.parkingLaneM) / 2; // centre of the driving lane
  d.frames.forEach((frames, seq) => {
    const r = rng.fork();
    const speed = r.uniform(d.speedMinMps, d.speedMaxMps), step = speed / d.frameRateHz;
    const lengthM = frames * step * 1.1 + 60;
    let route: number[];
    if (seq === 0) {
      const start = r.int(g.pos.length);
      route = walk(g, r, [start], lengthM, new Set());
      database = route;
    } else {
      const base = seq % 2 === 1 ? [...database].reverse() : database;
      const from = r.int(Math.max(1, Math.floor(base.length / 2)));
      const share = r.uniform(0.5, 0.85), keep: number[] = [base[from]];
      let len = 0;
      for (let k = from + 1; k < base.length && len < share * lengthM; k++) {
        len += Math.hypot(g.pos[base[k]][0] - g.pos[base[k - 1]][0], g.pos[base[k]][1] - g.pos[base[k - 1]][1]);
        keep.push(base[k]);
      }
      const dbEdges = new Set<string>();
      for (let k = 1; k < database.length; k++) dbEdges.add(edgeKey(database[k - 1], database[k]));
      route = walk(g, r, keep, lengthM, dbEdges);
    }
    const lane = laneBase + r.uniform(-d.laneJitterM, d.laneJitterM);
    const poses = resample(lanePolyline(g, route, lane), step, frames, r);
    plans.push({ seq, ...poses, speedMps: speed, laneOffsetM: lane, lighting: lighting(r), nodes: route });
  });
  return plans;
}
