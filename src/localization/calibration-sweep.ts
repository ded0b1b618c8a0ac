/**
 * Calibration robustness of global localization (issue 13, item 4): the map's rig calibration
 * camFromLidar is wrong by a small rigid error E (1-10 cm, 0.1-1 deg along seeded directions, as
 * ModaLink's own study, modalink/calibration-robustness.ts), so the map's depth images are
 * projected with E camFromLidar (new ModaLink descriptors) and its registration clouds and LiDAR
 * origin are moved by E; the queries and every pose stay true. Measured for registration alone
 * (the oracle: against the nearest scan) and for the whole chain.
 * @see notebooks/06-global-localization.ipynb
 */
import fs from 'node:fs';
import * as aq from 'arquero';
import { writeTableFiles } from '../data/formats/table-files.js';
import { transformPoint, transformPoints, type Mat4 } from '../geometry/se3.js';
import { createResidentDatabase } from '../metrics/resident-database.js';
import { createSequenceView } from '../modalink/data.js';
import { describeView } from '../modalink/evaluate.js';
import { CALIBRATION_LEVELS, calibrationError, seededDirections, type CalibrationErrorKind } from '../modalink/calibration-robustness.js';
import type { ModaLinkModel } from '../modalink/model.js';
import { validateLocalizationConfig, type LocalizationConfig } from './config.js';
import { evaluateQuery, summarizeLocalization, type QueryOutcome } from './evaluate.js';
import type { LocalizationModels } from './localize.js';
import type { LocalizationMap } from './map.js';

// #region miscalibratedMap
/**
 * The same map built with a miscalibrated rig: descriptors of depth images projected with
 * `error x camFromLidar` (the packed cache keys on the error), each registration cloud and the
 * LiDAR origin moved by `error` (the clouds live in the camera frame: E camFromLidar p = E (camFromLidar p);
 * the voxel grid and the subsample happen before, in the LiDAR frame, so they are unchanged). Poses stay true.
 * The caller disposes the returned map (its index), not the original's.
 * @param error [16] row-major rigid transform in the camera frame
 * @param worldFromPoses the transform the map was built with (syntheticAlignment's), for the view's positions
 */
export function miscalibratedMap(map: LocalizationMap, modalink: ModaLinkModel, error: Mat4, cacheDir?: string, worldFromPoses?: ArrayLike<number>): LocalizationMap {
  const view = createSequenceView(map.root, map.sequence, modalink.config, { frames: map.frames, cacheDir, calibrationError: error, worldFromPoses });
  if (cacheDir) view.precompute();
  const descriptors = describeView(modalink, view, 'depth');
  const index = createResidentDatabase(descriptors, modalink.descriptorSize);
  const o = transformPoint(error, map.lidarOriginCam);
  return {
    ...map, descriptors, index, clouds: map.clouds.map((c) => transformPoints(error, c, 3)), lidarOriginCam: [o[0], o[1], o[2]],
    dispose() { index.dispose(); },
  };
}
// #endregion miscalibratedMap

/** One measurement of the sweep. */
export interface LocalizationCalibrationRow {
  kind: CalibrationErrorKind | 'none'; magnitude: number; unit: 'cm' | 'deg' | ''; direction: number; queries: number;
  /** Share within successM / successDeg, percent: the configured chain, registration alone (oracle), retrieval alone. */
  chainPct: number; oraclePct: number; retrievalPct: number;
}

/** Options of {@link localizationCalibrationSweep}. */
export interface LocalizationCalibrationOptions {
  models: LocalizationModels; map: LocalizationMap;
  queryRoot: string; querySequence: number | string; queryFrames: number[]; queryWorldFromPoses?: ArrayLike<number>;
  /** The map's own transform into the world (as it was built). */ mapWorldFromPoses?: ArrayLike<number>;
  /** Directions per magnitude (default 2), drawn from `seed` (default 0). */ directions?: number; seed?: number;
  /** Magnitudes per kind (default the issue's: 1, 2, 5, 10 cm; 0.1, 0.2, 0.5, 1 deg). */ levels?: Partial<Record<CalibrationErrorKind, readonly number[]>>;
  cacheDir?: string; config?: Partial<LocalizationConfig>;
  onRow?: (row: LocalizationCalibrationRow, done: number, total: number) => void;
}

// #region sweep
/** Runs the sweep (magnitude 0 first: the true calibration). */
export function localizationCalibrationSweep(o: LocalizationCalibrationOptions): LocalizationCalibrationRow[] {
  const config = validateLocalizationConfig(o.config);
  const dirs = seededDirections(o.seed ?? 0, o.directions ?? 2);
  const levels = { ...CALIBRATION_LEVELS, ...o.levels };
  const jobs: { kind: CalibrationErrorKind | 'none'; magnitude: number; direction: number }[] = [{ kind: 'none', magnitude: 0, direction: 0 }];
  for (const kind of ['translation', 'rotation'] as const) for (const magnitude of levels[kind]) dirs.forEach((_, d) => jobs.push({ kind, magnitude, direction: d }));
  return jobs.map((job, i) => {
    const map = job.kind === 'none' ? o.map : miscalibratedMap(o.map, o.models.modalink, calibrationError(job.kind, job.magnitude, dirs[job.direction]), o.cacheDir, o.mapWorldFromPoses);
    try {
      const outcomes: QueryOutcome[] = o.queryFrames.map((frame) => evaluateQuery(o.models, map, { kind: 'sequence', root: o.queryRoot, sequence: o.querySequence, frame, worldFromPoses: o.queryWorldFromPoses }, config));
      const rows = summarizeLocalization(outcomes, config), pct = (label: RegExp): number => rows.find((r) => label.test(r.method))?.['within 2 m / 5 deg %'] ?? NaN;
      const row: LocalizationCalibrationRow = {
        kind: job.kind, magnitude: job.magnitude, unit: job.kind === 'translation' ? 'cm' : job.kind === 'rotation' ? 'deg' : '', direction: job.direction,
        queries: rows[0].queries, chainPct: rows[0]['within 2 m / 5 deg %'], oraclePct: pct(/^oracle/), retrievalPct: pct(/^retrieval alone/),
      };
      o.onRow?.(row, i + 1, jobs.length);
      return row;
    } finally {
      if (map !== o.map) map.dispose();
    }
  });
}
// #endregion sweep

/** Mean and standard deviation over directions per kind and magnitude, percent. */
export function summarizeLocalizationCalibration(rows: readonly LocalizationCalibrationRow[]): { kind: string; magnitude: number; unit: string; directions: number; 'chain %': number; 'chain std': number; 'oracle %': number; 'oracle std': number }[] {
  const groups = new Map<string, LocalizationCalibrationRow[]>();
  for (const r of rows) groups.set(`${r.kind}|${r.magnitude}`, [...(groups.get(`${r.kind}|${r.magnitude}`) ?? []), r]);
  const stat = (v: number[]): [number, number] => { const m = v.reduce((s, x) => s + x, 0) / v.length; return [m, Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length)]; };
  return [...groups.values()].map((g) => {
    const [cm, cs] = stat(g.map((r) => r.chainPct)), [om, os] = stat(g.map((r) => r.oraclePct));
    return { kind: g[0].kind, magnitude: g[0].magnitude, unit: g[0].unit, directions: g.length, 'chain %': cm, 'chain std': cs, 'oracle %': om, 'oracle std': os };
  });
}

/** Writes `calibration.md` / `.csv` (every row) and `calibration-summary.md` / `.csv` into outDir. */
export function writeLocalizationCalibration(rows: readonly LocalizationCalibrationRow[], outDir: string, notes: string[] = []): string {
  fs.mkdirSync(outDir, { recursive: true });
  writeTableFiles(aq.from(rows as LocalizationCalibrationRow[]), outDir, 'calibration', { decimals: 1, notes });
  return writeTableFiles(aq.from(summarizeLocalizationCalibration(rows)), outDir, 'calibration-summary', { decimals: 1, notes: [
    'mean and std over the directions; within 2 m and 5 deg of the truth, percent of the queries within 10 m of a map scan', ...notes] }).markdown;
}
