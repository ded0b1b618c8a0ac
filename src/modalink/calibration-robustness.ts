/**
 * Calibration robustness of ModaLink (the paper's own "next check"): the depth images of the
 * database are projected with a WRONG camera-LiDAR calibration, `error x camFromLidar`, where
 * the error is a translation of m centimetres or a rotation of m degrees about a seeded random
 * unit direction in the camera frame; the queries (camera images) are unchanged. Recall@1 and
 * @1% within one drive (protocol B's rule: each query's own scan left out, a hit within 10 m),
 * for each magnitude and each of `directions` directions, against the unperturbed database.
 *
 * Convention: direction k of a kind is the k-th draw of createRng(seed) for translations and of
 * createRng(seed + 1) for rotations (normal vectors, normalised), the same for every magnitude,
 * so a curve moves one error along a fixed direction.
 * @see notebooks/03-place-recognition.ipynb
 */
import * as aq from 'arquero';
import { createRng } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import { fromRt, identity4, type Mat4 } from '../geometry/se3.js';
import { rotationFromAxisAngle } from '../geometry/so3.js';
import { createSequenceView } from './data.js';
import { describeView, loadModaLinkRun, recallFromDescriptors } from './evaluate.js';
import { syntheticAlignment } from './splits.js';
import { writeTableFiles } from '../data/formats/table-files.js';

/** What is perturbed: the calibration's translation (cm) or rotation (deg). */
export type CalibrationErrorKind = 'translation' | 'rotation';

/** The levels: 1, 2, 5, 10 cm and 0.1, 0.2, 0.5, 1 deg. */
export const CALIBRATION_LEVELS: Readonly<Record<CalibrationErrorKind, readonly number[]>> = Object.freeze({
  translation: Object.freeze([1, 2, 5, 10]), rotation: Object.freeze([0.1, 0.2, 0.5, 1]),
});

/** Unit directions drawn from `seed` (normal draws, normalised). */
export function seededDirections(seed: number, n: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const v = Float64Array.from([rng.normal(), rng.normal(), rng.normal()]);
    const norm = Math.hypot(v[0], v[1], v[2]);
    return v.map((x) => x / norm);
  });
}

/**
 * The error transform: a translation of `magnitude` cm along `direction`, or a rotation of
 * `magnitude` degrees about it (camera frame).
 * @returns [16] row-major rigid transform
 */
export function calibrationError(kind: CalibrationErrorKind, magnitude: number, direction: ArrayLike<number>): Mat4 {
  if (magnitude === 0) return identity4();
  const d = Array.from(direction);
  if (kind === 'translation') return fromRt([1, 0, 0, 0, 1, 0, 0, 0, 1], d.map((x) => (x * magnitude) / 100));
  return fromRt(rotationFromAxisAngle(d.map((x) => (x * magnitude * Math.PI) / 180)), [0, 0, 0]);
}

/** One measurement: a magnitude along one direction (magnitude 0: the true calibration). */
export interface CalibrationRow { kind: CalibrationErrorKind | 'none'; magnitude: number; unit: 'cm' | 'deg' | ''; direction: number; queries: number; 'recall@1': number; 'recall@1%': number }

/** Options of {@link calibrationRobustness}. */
export interface CalibrationRobustnessOptions {
  runDir: string; dataRoot: string;
  /** The drive tested within (default 0). */ seq?: number;
  /** Magnitudes per kind (default {@link CALIBRATION_LEVELS}). */ levels?: Readonly<Record<CalibrationErrorKind, readonly number[]>>;
  /** Directions per magnitude, integer >= 1 (default 3). */ directions?: number;
  /** Seed of the directions (default 0). */ seed?: number;
  /** Packed cache of the unperturbed view (default none). */ cacheDir?: string;
  /** Progress lines. */ log?: (line: string) => void;
}

// #region calibrationRobustness
/** Scores the run with the true calibration and with every error. */
export async function calibrationRobustness(o: CalibrationRobustnessOptions): Promise<CalibrationRow[]> {
  const seq = o.seq ?? 0, levels = o.levels ?? CALIBRATION_LEVELS, nDir = o.directions ?? 3, seed = o.seed ?? 0;
  if (!Number.isInteger(nDir) || nDir < 1) throw new InputError('directions', `expected an integer >= 1, got ${nDir}`);
  const { model } = await loadModaLinkRun(o.runDir);
  try {
    const c = model.config, align = syntheticAlignment(o.dataRoot)?.get(seq);
    const clean = createSequenceView(o.dataRoot, seq, c, { cacheDir: o.cacheDir, worldFromPoses: align });
    clean.precompute();
    const D = model.descriptorSize, queries = describeView(model, clean, 'image');
    const own = Int32Array.from(clean.frames, (_, i) => i); // protocol B: each query's own scan left out
    const score = (db: Float32Array): { queries: number; r1: number; r1p: number } => {
      const r = recallFromDescriptors(queries, db, D, clean.positionsXZ, clean.positionsXZ, c.positiveThresholdM, own);
      return { queries: r.numQueries, r1: r.recallAt1, r1p: r.recallAt1Percent };
    };
    const base = score(describeView(model, clean, 'depth'));
    const rows: CalibrationRow[] = [{ kind: 'none', magnitude: 0, unit: '', direction: 0, queries: base.queries, 'recall@1': base.r1, 'recall@1%': base.r1p }];
    o.log?.(`true calibration: R@1 ${base.r1.toFixed(3)}`);
    for (const kind of ['translation', 'rotation'] as const) {
      const dirs = seededDirections(seed + (kind === 'rotation' ? 1 : 0), nDir), unit = kind === 'translation' ? 'cm' : 'deg';
      for (const magnitude of levels[kind]) {
        dirs.forEach((dir, k) => {
          // depth images only (no cache: images are not read), projected with the wrong calibration
          const view = createSequenceView(o.dataRoot, seq, c, { worldFromPoses: align, calibrationError: calibrationError(kind, magnitude, dir) });
          const r = score(describeView(model, view, 'depth'));
          rows.push({ kind, magnitude, unit, direction: k, queries: r.queries, 'recall@1': r.r1, 'recall@1%': r.r1p });
          o.log?.(`${kind} ${magnitude} ${unit} direction ${k}: R@1 ${r.r1.toFixed(3)}`);
        });
      }
    }
    return rows;
  } finally {
    model.dispose();
  }
}
// #endregion calibrationRobustness

/** Per kind and magnitude: the mean and standard deviation (population) of Recall@1 over directions. */
export interface CalibrationSummaryRow { kind: CalibrationErrorKind; magnitude: number; unit: 'cm' | 'deg'; directions: number; 'recall@1 mean': number; 'recall@1 std': number; 'recall@1% mean': number }

/** Means over directions, in the order of the rows. */
export function summarizeCalibration(rows: readonly CalibrationRow[]): CalibrationSummaryRow[] {
  const out: CalibrationSummaryRow[] = [];
  for (const r of rows) {
    if (r.kind === 'none' || out.some((s) => s.kind === r.kind && s.magnitude === r.magnitude)) continue;
    const g = rows.filter((x) => x.kind === r.kind && x.magnitude === r.magnitude);
    const m = g.reduce((a, x) => a + x['recall@1'], 0) / g.length;
    out.push({ kind: r.kind, magnitude: r.magnitude, unit: r.unit as 'cm' | 'deg', directions: g.length, 'recall@1 mean': m,
      'recall@1 std': Math.sqrt(g.reduce((a, x) => a + (x['recall@1'] - m) ** 2, 0) / g.length), 'recall@1% mean': g.reduce((a, x) => a + x['recall@1%'], 0) / g.length });
  }
  return out;
}

/**
 * The error at which the mean Recall@1 first falls `drop` (default 0.05 = 5 points) below the
 * true calibration's: linear between the tested magnitudes (0 = the true calibration).
 * @returns the magnitude, or null when no tested magnitude drops that far
 */
export function dropPoint(baseline: number, summary: readonly CalibrationSummaryRow[], kind: CalibrationErrorKind, drop = 0.05): number | null {
  const target = baseline - drop;
  let prevM = 0, prevR = baseline;
  for (const s of summary.filter((x) => x.kind === kind).sort((a, b) => a.magnitude - b.magnitude)) {
    const r = s['recall@1 mean'];
    if (r <= target) return prevM + ((prevR - target) / (prevR - r)) * (s.magnitude - prevM);
    prevM = s.magnitude; prevR = r;
  }
  return null;
}

/**
 * Runs {@link calibrationRobustness} and writes `<outDir>/calibration.{md,csv}` (every direction)
 * and `calibration-summary.{md,csv}` (mean and std over directions; notes: the true calibration's
 * recall and the error at which Recall@1 drops 5 points).
 * @returns the summary's markdown
 */
export async function writeCalibrationTables(o: CalibrationRobustnessOptions, outDir: string): Promise<string> {
  const rows = await calibrationRobustness(o);
  const summary = summarizeCalibration(rows), base = rows[0];
  writeTableFiles(aq.from(rows), outDir, 'calibration');
  const at = (kind: CalibrationErrorKind, unit: string): string => {
    const d = dropPoint(base['recall@1'], summary, kind);
    const top = Math.max(...summary.filter((s) => s.kind === kind).map((s) => s.magnitude));
    return d === null ? `not reached up to ${top} ${unit}` : `${d.toFixed(2)} ${unit}`;
  };
  const seq = String(o.seq ?? 0).padStart(2, '0');
  return writeTableFiles(aq.from(summary), outDir, 'calibration-summary', { notes: [
    `Run ${o.runDir}, data ${o.dataRoot}, drive ${seq} within itself (each query's own scan left out, a hit within 10 m): ${base.queries} queries; the true calibration's Recall@1 ${base['recall@1'].toFixed(3)}, Recall@1% ${base['recall@1%'].toFixed(3)}.`,
    `Depth images projected through error x camFromLidar, the error a translation (cm) or a rotation (deg) along ${o.directions ?? 3} seeded unit directions (seed ${o.seed ?? 0}) in the camera frame; camera images unchanged.`,
    `Recall@1 falls 5 points below the true calibration's at: translation ${at('translation', 'cm')}, rotation ${at('rotation', 'deg')} (linear between the tested magnitudes).`,
  ] }).markdown;
}
