/**
 * The realism table: {@link scanStats} of generated scans and of real KITTI scans, side by
 * side, at KITTI's full image size (1241 x 376) so pixel coverage compares like with like.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readOdometryCalib } from '../kitti/calib.js';
import { readVelodyneBin } from '../kitti/velodyne.js';
import { renderScan, type SyntheticWorld } from './frame.js';
import { meanStats, scanStats, type ScanStats } from './realism.js';
import { KITTI_IMAGE, kittiCalib } from './rig.js';

/** One row of the realism table. */
export interface RealismRow {
  /** What was measured, e.g. `real KITTI 00 (10 scans)`. */ label: string;
  /** Mean statistics per scan. */ mean: ScanStats;
  /** Smallest and largest per-scan values of points and in-image share. */
  pointsRange: [number, number]; inImageRange: [number, number];
}

function row(label: string, all: ScanStats[]): RealismRow {
  const pts = all.map((s) => s.points), inI = all.map((s) => s.inImageShare);
  return { label, mean: meanStats(all), pointsRange: [Math.min(...pts), Math.max(...pts)], inImageRange: [Math.min(...inI), Math.max(...inI)] };
}

/**
 * Statistics of generated scans at full size: `perSequence` frames spread evenly over each sequence.
 * @param world - a built world ({@link buildWorld}); its camera scale does not matter (full-size calib is used).
 */
export function syntheticRealism(world: SyntheticWorld, perSequence = 5, label = `synthetic ${world.config.name}`): RealismRow {
  const calib = kittiCalib(1), all: ScanStats[] = [];
  world.plans.forEach((plan) => {
    const F = plan.x.length;
    for (let k = 0; k < perSequence; k++) {
      const f = Math.min(F - 1, Math.floor(((k + 0.5) * F) / perSequence));
      all.push(scanStats(renderScan(world, plan.seq, f), calib.Tr, calib.P2, KITTI_IMAGE.width, KITTI_IMAGE.height));
    }
  });
  return row(`${label} (${all.length} scans)`, all);
}

/**
 * Statistics of real KITTI scans of one sequence (camera 2, full size).
 * @param root - a KITTI odometry root. @param seq - sequence id, e.g. `00`.
 * @returns undefined when the sequence's velodyne folder is absent.
 */
export function realKittiRealism(root: string, seq = '00'): RealismRow | undefined {
  const dir = path.join(root, 'sequences', seq), vel = path.join(dir, 'velodyne');
  if (!fs.existsSync(vel)) return undefined;
  const calib = readOdometryCalib(path.join(dir, 'calib.txt'));
  const all = fs.readdirSync(vel).filter((f) => f.endsWith('.bin')).sort()
    .map((f) => scanStats(readVelodyneBin(path.join(vel, f)).points, calib.Tr, calib.P2, KITTI_IMAGE.width, KITTI_IMAGE.height));
  return all.length ? row(`real KITTI ${seq} (${all.length} scans)`, all) : undefined;
}

/** The rows as a markdown table (deterministic formatting). */
export function realismTable(rows: RealismRow[]): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const lines = [
    '| data (1241 x 376, camera 2) | points per scan (min-max) | in image (min-max) | pixels covered | depth histogram 0-10/10-20/20-40/40-80/80+ m (%) |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const m = r.mean;
    lines.push(`| ${r.label} | ${Math.round(m.points)} (${r.pointsRange[0]}-${r.pointsRange[1]}) | ${pct(m.inImageShare)} (${pct(r.inImageRange[0])}-${pct(r.inImageRange[1])}) | ${pct(m.pixelCoverage)} | ${m.depthHistogram.map((h) => (100 * h).toFixed(0)).join('/')} |`);
  }
  return lines.join('\n');
}
